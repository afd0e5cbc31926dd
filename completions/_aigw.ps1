
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'aigw' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'aigw'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'aigw' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render the Kubernetes objects for the given manifests (to stdout)')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check the manifests as an API server and the controller would; write no manifests')
            [CompletionResult]::new('routes', 'routes', [CompletionResultType]::ParameterValue, 'Show the routing each Gateway will serve: matches, backends, weights, auth, timeouts')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Move manifests forward to a later release, editing only the lines that change')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what a change of manifests does to the routing and to the objects')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a diagnostic code (e.g. `aigw explain AIGW031`); without a code, list them all')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of an input kind (for editors and check-jsonschema)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('krm', 'krm', [CompletionResultType]::ParameterValue, 'Run as a kustomize or kpt function (KRM): a ResourceList on stdin and stdout')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the version of aigw and the Envoy AI Gateway release(s) it compiles for')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) of aigw, or of one of its commands')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigw;render' {
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Leave out what matches GLOB in directory walks (gitignore syntax, relative to the walked directory; repeatable)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for AI Gateway objects that do not set metadata.namespace')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for AI Gateway objects that do not set metadata.namespace')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'The Envoy AI Gateway release to check against: v0.1, v0.5, v0.6, v0.7, v1.0 or v1.1 (built in). Without it, AI Gateway CRDs in the input or --crds define the API, else the manifests'' fields select the newest release that has them all')
            [CompletionResult]::new('--crds', '--crds', [CompletionResultType]::ParameterName, 'Read AI Gateway CustomResourceDefinitions from PATH (a file, a directory, or - for standard input) and check against them: any release whose CRDs you have (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print diagnostics. Human output goes to stderr; for validate, the machine formats go to stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human diagnostics: auto (a terminal, and NO_COLOR unset), always, or never')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the rendered objects')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the rendered objects')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Write one file per object into DIR (DIR/<namespace>/<kind>-<name>.yaml, objects without a namespace in DIR/_cluster/) and a kustomization.yaml listing them in apply order, instead of printing them. DIR is replaced whole; a non-empty DIR that aigw did not write is never overwritten')
            [CompletionResult]::new('--extproc-image', '--extproc-image', [CompletionResultType]::ParameterName, 'Image of the external processor container')
            [CompletionResult]::new('--extproc-image-pull-policy', '--extproc-image-pull-policy', [CompletionResultType]::ParameterName, 'imagePullPolicy of the external processor container')
            [CompletionResult]::new('--extproc-log-level', '--extproc-log-level', [CompletionResultType]::ParameterName, 'Log level of the external processor')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as errors (exit 1 on any warning). AIGW_STRICT takes 1/true/yes/on or 0/false/no/off')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Succeed when no Kubernetes object is found. Without it, a run that reads no object fails (exit 2): an empty render applied with pruning (Argo CD, kubectl apply --prune) deletes everything')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'List every skipped file and folder (by default, skips of one kind are summed up in one line)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'List every skipped file and folder (by default, skips of one kind are summed up in one line)')
            [CompletionResult]::new('--derived-only', '--derived-only', [CompletionResultType]::ParameterName, 'Emit only the derived objects, not the pass-through ones')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aigw;validate' {
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Leave out what matches GLOB in directory walks (gitignore syntax, relative to the walked directory; repeatable)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for AI Gateway objects that do not set metadata.namespace')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for AI Gateway objects that do not set metadata.namespace')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'The Envoy AI Gateway release to check against: v0.1, v0.5, v0.6, v0.7, v1.0 or v1.1 (built in). Without it, AI Gateway CRDs in the input or --crds define the API, else the manifests'' fields select the newest release that has them all')
            [CompletionResult]::new('--crds', '--crds', [CompletionResultType]::ParameterName, 'Read AI Gateway CustomResourceDefinitions from PATH (a file, a directory, or - for standard input) and check against them: any release whose CRDs you have (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print diagnostics. Human output goes to stderr; for validate, the machine formats go to stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human diagnostics: auto (a terminal, and NO_COLOR unset), always, or never')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as errors (exit 1 on any warning). AIGW_STRICT takes 1/true/yes/on or 0/false/no/off')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Succeed when no Kubernetes object is found. Without it, a run that reads no object fails (exit 2): an empty render applied with pruning (Argo CD, kubectl apply --prune) deletes everything')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'List every skipped file and folder (by default, skips of one kind are summed up in one line)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'List every skipped file and folder (by default, skips of one kind are summed up in one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aigw;routes' {
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Leave out what matches GLOB in directory walks (gitignore syntax, relative to the walked directory; repeatable)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for AI Gateway objects that do not set metadata.namespace')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for AI Gateway objects that do not set metadata.namespace')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'The Envoy AI Gateway release to check against: v0.1, v0.5, v0.6, v0.7, v1.0 or v1.1 (built in). Without it, AI Gateway CRDs in the input or --crds define the API, else the manifests'' fields select the newest release that has them all')
            [CompletionResult]::new('--crds', '--crds', [CompletionResultType]::ParameterName, 'Read AI Gateway CustomResourceDefinitions from PATH (a file, a directory, or - for standard input) and check against them: any release whose CRDs you have (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print diagnostics. Human output goes to stderr; for validate, the machine formats go to stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human diagnostics: auto (a terminal, and NO_COLOR unset), always, or never')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the routing table')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the routing table')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as errors (exit 1 on any warning). AIGW_STRICT takes 1/true/yes/on or 0/false/no/off')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Succeed when no Kubernetes object is found. Without it, a run that reads no object fails (exit 2): an empty render applied with pruning (Argo CD, kubectl apply --prune) deletes everything')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'List every skipped file and folder (by default, skips of one kind are summed up in one line)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'List every skipped file and folder (by default, skips of one kind are summed up in one line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aigw;migrate' {
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Leave out what matches GLOB in directory walks (gitignore syntax, relative to the walked directory; repeatable)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for AI Gateway objects that do not set metadata.namespace')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for AI Gateway objects that do not set metadata.namespace')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print diagnostics. Human output goes to stderr; for validate, the machine formats go to stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human diagnostics: auto (a terminal, and NO_COLOR unset), always, or never')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The release to migrate to (vX.Y): v0.2 to v1.1')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The release the manifests are written for (default: detected): v0.1, v0.5, v0.6, v0.7, v1.0 or v1.1')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'The Envoy AI Gateway release to check against: v0.1, v0.5, v0.6, v0.7, v1.0 or v1.1 (built in). Without it, AI Gateway CRDs in the input or --crds define the API, else the manifests'' fields select the newest release that has them all')
            [CompletionResult]::new('--crds', '--crds', [CompletionResultType]::ParameterName, 'Read AI Gateway CustomResourceDefinitions from PATH (a file, a directory, or - for standard input) and check against them: any release whose CRDs you have (repeatable)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as errors (exit 1 on any warning). AIGW_STRICT takes 1/true/yes/on or 0/false/no/off')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Succeed when no Kubernetes object is found. Without it, a run that reads no object fails (exit 2): an empty render applied with pruning (Argo CD, kubectl apply --prune) deletes everything')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'List every skipped file and folder (by default, skips of one kind are summed up in one line)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'List every skipped file and folder (by default, skips of one kind are summed up in one line)')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Edit the files in place instead of printing a diff')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Print nothing to stdout; exit 1 when anything would change (for CI)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aigw;diff' {
            [CompletionResult]::new('--git', '--git', [CompletionResultType]::ParameterName, 'Compare the tree at git revision REV with the working tree')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Leave out what matches GLOB in directory walks (repeatable)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for AI Gateway objects that do not set metadata.namespace')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for AI Gateway objects that do not set metadata.namespace')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output and diagnostics: auto (a terminal, and NO_COLOR unset), always, or never')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit 1 when there is any difference, 0 when there is none (as `git diff --exit-code`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aigw;explain' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigw;schema' {
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'The release whose schema to print (v0.1, v0.5, v0.6, v0.7, v1.0, v1.1). Without it: the v0.1 input schema, as in schemas/')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigw;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigw;krm' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aigw;version' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigw;man' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigw;help' {
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render the Kubernetes objects for the given manifests (to stdout)')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check the manifests as an API server and the controller would; write no manifests')
            [CompletionResult]::new('routes', 'routes', [CompletionResultType]::ParameterValue, 'Show the routing each Gateway will serve: matches, backends, weights, auth, timeouts')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Move manifests forward to a later release, editing only the lines that change')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what a change of manifests does to the routing and to the objects')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a diagnostic code (e.g. `aigw explain AIGW031`); without a code, list them all')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of an input kind (for editors and check-jsonschema)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('krm', 'krm', [CompletionResultType]::ParameterValue, 'Run as a kustomize or kpt function (KRM): a ResourceList on stdin and stdout')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the version of aigw and the Envoy AI Gateway release(s) it compiles for')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) of aigw, or of one of its commands')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigw;help;render' {
            break
        }
        'aigw;help;validate' {
            break
        }
        'aigw;help;routes' {
            break
        }
        'aigw;help;migrate' {
            break
        }
        'aigw;help;diff' {
            break
        }
        'aigw;help;explain' {
            break
        }
        'aigw;help;schema' {
            break
        }
        'aigw;help;completions' {
            break
        }
        'aigw;help;krm' {
            break
        }
        'aigw;help;version' {
            break
        }
        'aigw;help;man' {
            break
        }
        'aigw;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
