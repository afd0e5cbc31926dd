
use builtin;
use str;

set edit:completion:arg-completer[aigw] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'aigw'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'aigw'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand render 'Render the Kubernetes objects for the given manifests (to stdout)'
            cand validate 'Check the manifests as an API server and the controller would; write no manifests'
            cand routes 'Show the routing each Gateway will serve: matches, backends, weights, auth, timeouts'
            cand migrate 'Move manifests forward to a later release, editing only the lines that change'
            cand diff 'Show what a change of manifests does to the routing and to the objects'
            cand explain 'Explain a diagnostic code (e.g. `aigw explain AIGW031`); without a code, list them all'
            cand schema 'Print the JSON Schema of an input kind (for editors and check-jsonschema)'
            cand completions 'Print a shell completion script'
            cand krm 'Run as a kustomize or kpt function (KRM): a ResourceList on stdin and stdout'
            cand version 'Print the version of aigw and the Envoy AI Gateway release(s) it compiles for'
            cand man 'Print the man page (roff) of aigw, or of one of its commands'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigw;render'= {
            cand --exclude 'Leave out what matches GLOB in directory walks (gitignore syntax, relative to the walked directory; repeatable)'
            cand -n 'Namespace for AI Gateway objects that do not set metadata.namespace'
            cand --namespace 'Namespace for AI Gateway objects that do not set metadata.namespace'
            cand --release 'The Envoy AI Gateway release to check against: v0.1, v0.5, v0.6, v0.7, v1.0 or v1.1 (built in). Without it, AI Gateway CRDs in the input or --crds define the API, else the manifests'' fields select the newest release that has them all'
            cand --crds 'Read AI Gateway CustomResourceDefinitions from PATH (a file, a directory, or - for standard input) and check against them: any release whose CRDs you have (repeatable)'
            cand --format 'How to print diagnostics. Human output goes to stderr; for validate, the machine formats go to stdout'
            cand --color 'When to colour human diagnostics: auto (a terminal, and NO_COLOR unset), always, or never'
            cand -o 'Output format of the rendered objects'
            cand --output 'Output format of the rendered objects'
            cand --output-dir 'Write one file per object into DIR (DIR/<namespace>/<kind>-<name>.yaml, objects without a namespace in DIR/_cluster/) and a kustomization.yaml listing them in apply order, instead of printing them. DIR is replaced whole; a non-empty DIR that aigw did not write is never overwritten'
            cand --extproc-image 'Image of the external processor container'
            cand --extproc-image-pull-policy 'imagePullPolicy of the external processor container'
            cand --extproc-log-level 'Log level of the external processor'
            cand --strict 'Treat warnings as errors (exit 1 on any warning). AIGW_STRICT takes 1/true/yes/on or 0/false/no/off'
            cand --allow-empty 'Succeed when no Kubernetes object is found. Without it, a run that reads no object fails (exit 2): an empty render applied with pruning (Argo CD, kubectl apply --prune) deletes everything'
            cand -q 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line'
            cand --quiet 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line'
            cand -v 'List every skipped file and folder (by default, skips of one kind are summed up in one line)'
            cand --verbose 'List every skipped file and folder (by default, skips of one kind are summed up in one line)'
            cand --derived-only 'Emit only the derived objects, not the pass-through ones'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aigw;validate'= {
            cand --exclude 'Leave out what matches GLOB in directory walks (gitignore syntax, relative to the walked directory; repeatable)'
            cand -n 'Namespace for AI Gateway objects that do not set metadata.namespace'
            cand --namespace 'Namespace for AI Gateway objects that do not set metadata.namespace'
            cand --release 'The Envoy AI Gateway release to check against: v0.1, v0.5, v0.6, v0.7, v1.0 or v1.1 (built in). Without it, AI Gateway CRDs in the input or --crds define the API, else the manifests'' fields select the newest release that has them all'
            cand --crds 'Read AI Gateway CustomResourceDefinitions from PATH (a file, a directory, or - for standard input) and check against them: any release whose CRDs you have (repeatable)'
            cand --format 'How to print diagnostics. Human output goes to stderr; for validate, the machine formats go to stdout'
            cand --color 'When to colour human diagnostics: auto (a terminal, and NO_COLOR unset), always, or never'
            cand --strict 'Treat warnings as errors (exit 1 on any warning). AIGW_STRICT takes 1/true/yes/on or 0/false/no/off'
            cand --allow-empty 'Succeed when no Kubernetes object is found. Without it, a run that reads no object fails (exit 2): an empty render applied with pruning (Argo CD, kubectl apply --prune) deletes everything'
            cand -q 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line'
            cand --quiet 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line'
            cand -v 'List every skipped file and folder (by default, skips of one kind are summed up in one line)'
            cand --verbose 'List every skipped file and folder (by default, skips of one kind are summed up in one line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aigw;routes'= {
            cand --exclude 'Leave out what matches GLOB in directory walks (gitignore syntax, relative to the walked directory; repeatable)'
            cand -n 'Namespace for AI Gateway objects that do not set metadata.namespace'
            cand --namespace 'Namespace for AI Gateway objects that do not set metadata.namespace'
            cand --release 'The Envoy AI Gateway release to check against: v0.1, v0.5, v0.6, v0.7, v1.0 or v1.1 (built in). Without it, AI Gateway CRDs in the input or --crds define the API, else the manifests'' fields select the newest release that has them all'
            cand --crds 'Read AI Gateway CustomResourceDefinitions from PATH (a file, a directory, or - for standard input) and check against them: any release whose CRDs you have (repeatable)'
            cand --format 'How to print diagnostics. Human output goes to stderr; for validate, the machine formats go to stdout'
            cand --color 'When to colour human diagnostics: auto (a terminal, and NO_COLOR unset), always, or never'
            cand -o 'Output format of the routing table'
            cand --output 'Output format of the routing table'
            cand --strict 'Treat warnings as errors (exit 1 on any warning). AIGW_STRICT takes 1/true/yes/on or 0/false/no/off'
            cand --allow-empty 'Succeed when no Kubernetes object is found. Without it, a run that reads no object fails (exit 2): an empty render applied with pruning (Argo CD, kubectl apply --prune) deletes everything'
            cand -q 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line'
            cand --quiet 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line'
            cand -v 'List every skipped file and folder (by default, skips of one kind are summed up in one line)'
            cand --verbose 'List every skipped file and folder (by default, skips of one kind are summed up in one line)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aigw;migrate'= {
            cand --exclude 'Leave out what matches GLOB in directory walks (gitignore syntax, relative to the walked directory; repeatable)'
            cand -n 'Namespace for AI Gateway objects that do not set metadata.namespace'
            cand --namespace 'Namespace for AI Gateway objects that do not set metadata.namespace'
            cand --format 'How to print diagnostics. Human output goes to stderr; for validate, the machine formats go to stdout'
            cand --color 'When to colour human diagnostics: auto (a terminal, and NO_COLOR unset), always, or never'
            cand --to 'The release to migrate to (vX.Y): v0.2 to v1.1'
            cand --from 'The release the manifests are written for (default: detected): v0.1, v0.5, v0.6, v0.7, v1.0 or v1.1'
            cand --release 'The Envoy AI Gateway release to check against: v0.1, v0.5, v0.6, v0.7, v1.0 or v1.1 (built in). Without it, AI Gateway CRDs in the input or --crds define the API, else the manifests'' fields select the newest release that has them all'
            cand --crds 'Read AI Gateway CustomResourceDefinitions from PATH (a file, a directory, or - for standard input) and check against them: any release whose CRDs you have (repeatable)'
            cand --strict 'Treat warnings as errors (exit 1 on any warning). AIGW_STRICT takes 1/true/yes/on or 0/false/no/off'
            cand --allow-empty 'Succeed when no Kubernetes object is found. Without it, a run that reads no object fails (exit 2): an empty render applied with pruning (Argo CD, kubectl apply --prune) deletes everything'
            cand -q 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line'
            cand --quiet 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line'
            cand -v 'List every skipped file and folder (by default, skips of one kind are summed up in one line)'
            cand --verbose 'List every skipped file and folder (by default, skips of one kind are summed up in one line)'
            cand --write 'Edit the files in place instead of printing a diff'
            cand --check 'Print nothing to stdout; exit 1 when anything would change (for CI)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aigw;diff'= {
            cand --git 'Compare the tree at git revision REV with the working tree'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --exclude 'Leave out what matches GLOB in directory walks (repeatable)'
            cand -n 'Namespace for AI Gateway objects that do not set metadata.namespace'
            cand --namespace 'Namespace for AI Gateway objects that do not set metadata.namespace'
            cand --color 'When to colour text output and diagnostics: auto (a terminal, and NO_COLOR unset), always, or never'
            cand --exit-code 'Exit 1 when there is any difference, 0 when there is none (as `git diff --exit-code`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aigw;explain'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigw;schema'= {
            cand --release 'The release whose schema to print (v0.1, v0.5, v0.6, v0.7, v1.0, v1.1). Without it: the v0.1 input schema, as in schemas/'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigw;completions'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigw;krm'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aigw;version'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigw;man'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigw;help'= {
            cand render 'Render the Kubernetes objects for the given manifests (to stdout)'
            cand validate 'Check the manifests as an API server and the controller would; write no manifests'
            cand routes 'Show the routing each Gateway will serve: matches, backends, weights, auth, timeouts'
            cand migrate 'Move manifests forward to a later release, editing only the lines that change'
            cand diff 'Show what a change of manifests does to the routing and to the objects'
            cand explain 'Explain a diagnostic code (e.g. `aigw explain AIGW031`); without a code, list them all'
            cand schema 'Print the JSON Schema of an input kind (for editors and check-jsonschema)'
            cand completions 'Print a shell completion script'
            cand krm 'Run as a kustomize or kpt function (KRM): a ResourceList on stdin and stdout'
            cand version 'Print the version of aigw and the Envoy AI Gateway release(s) it compiles for'
            cand man 'Print the man page (roff) of aigw, or of one of its commands'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigw;help;render'= {
        }
        &'aigw;help;validate'= {
        }
        &'aigw;help;routes'= {
        }
        &'aigw;help;migrate'= {
        }
        &'aigw;help;diff'= {
        }
        &'aigw;help;explain'= {
        }
        &'aigw;help;schema'= {
        }
        &'aigw;help;completions'= {
        }
        &'aigw;help;krm'= {
        }
        &'aigw;help;version'= {
        }
        &'aigw;help;man'= {
        }
        &'aigw;help;help'= {
        }
    ]
    $completions[$command]
}
