# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_aigw_global_optspecs
    string join \n h/help V/version
end

function __fish_aigw_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_aigw_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_aigw_using_subcommand
    set -l cmd (__fish_aigw_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c aigw -n "__fish_aigw_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aigw -n "__fish_aigw_needs_command" -s V -l version -d 'Print version'
complete -c aigw -n "__fish_aigw_needs_command" -f -a "render" -d 'Render the Kubernetes objects for the given manifests (to stdout)'
complete -c aigw -n "__fish_aigw_needs_command" -f -a "validate" -d 'Check the manifests as an API server and the controller would; write no manifests'
complete -c aigw -n "__fish_aigw_needs_command" -f -a "routes" -d 'Show the routing each Gateway will serve: matches, backends, weights, auth, timeouts'
complete -c aigw -n "__fish_aigw_needs_command" -f -a "migrate" -d 'Move manifests forward to a later release, editing only the lines that change'
complete -c aigw -n "__fish_aigw_needs_command" -f -a "diff" -d 'Show what a change of manifests does to the routing and to the objects'
complete -c aigw -n "__fish_aigw_needs_command" -f -a "explain" -d 'Explain a diagnostic code (e.g. `aigw explain AIGW031`); without a code, list them all'
complete -c aigw -n "__fish_aigw_needs_command" -f -a "schema" -d 'Print the JSON Schema of an input kind (for editors and check-jsonschema)'
complete -c aigw -n "__fish_aigw_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c aigw -n "__fish_aigw_needs_command" -f -a "krm" -d 'Run as a kustomize or kpt function (KRM): a ResourceList on stdin and stdout'
complete -c aigw -n "__fish_aigw_needs_command" -f -a "version" -d 'Print the version of aigw and the Envoy AI Gateway release(s) it compiles for'
complete -c aigw -n "__fish_aigw_needs_command" -f -a "man" -d 'Print the man page (roff) of aigw, or of one of its commands'
complete -c aigw -n "__fish_aigw_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigw -n "__fish_aigw_using_subcommand render" -l exclude -d 'Leave out what matches GLOB in directory walks (gitignore syntax, relative to the walked directory; repeatable)' -r
complete -c aigw -n "__fish_aigw_using_subcommand render" -s n -l namespace -d 'Namespace for AI Gateway objects that do not set metadata.namespace' -r
complete -c aigw -n "__fish_aigw_using_subcommand render" -l release -d 'The Envoy AI Gateway release to check against: v0.1, v0.5, v0.6, v0.7, v1.0 or v1.1 (built in). Without it, AI Gateway CRDs in the input or --crds define the API, else the manifests\' fields select the newest release that has them all' -r
complete -c aigw -n "__fish_aigw_using_subcommand render" -l crds -d 'Read AI Gateway CustomResourceDefinitions from PATH (a file, a directory, or - for standard input) and check against them: any release whose CRDs you have (repeatable)' -r -F
complete -c aigw -n "__fish_aigw_using_subcommand render" -l format -d 'How to print diagnostics. Human output goes to stderr; for validate, the machine formats go to stdout' -r -f -a "human\t'Source snippets with the problem underlined'
json\t'A JSON array, one object per diagnostic'
github\t'GitHub Actions workflow commands (`::error file=…::…`)'
sarif\t'SARIF 2.1.0, for code-scanning uploads'"
complete -c aigw -n "__fish_aigw_using_subcommand render" -l color -d 'When to colour human diagnostics: auto (a terminal, and NO_COLOR unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c aigw -n "__fish_aigw_using_subcommand render" -s o -l output -d 'Output format of the rendered objects' -r -f -a "yaml\t'Multi-document YAML, each document starting with `---`'
json\t'One JSON object: a `v1` List of all objects'"
complete -c aigw -n "__fish_aigw_using_subcommand render" -l output-dir -d 'Write one file per object into DIR (DIR/<namespace>/<kind>-<name>.yaml, objects without a namespace in DIR/_cluster/) and a kustomization.yaml listing them in apply order, instead of printing them. DIR is replaced whole; a non-empty DIR that aigw did not write is never overwritten' -r -F
complete -c aigw -n "__fish_aigw_using_subcommand render" -l extproc-image -d 'Image of the external processor container' -r
complete -c aigw -n "__fish_aigw_using_subcommand render" -l extproc-image-pull-policy -d 'imagePullPolicy of the external processor container' -r -f -a "Always\t''
IfNotPresent\t''
Never\t''"
complete -c aigw -n "__fish_aigw_using_subcommand render" -l extproc-log-level -d 'Log level of the external processor' -r -f -a "debug\t''
info\t''
warn\t''
error\t''"
complete -c aigw -n "__fish_aigw_using_subcommand render" -l strict -d 'Treat warnings as errors (exit 1 on any warning). AIGW_STRICT takes 1/true/yes/on or 0/false/no/off'
complete -c aigw -n "__fish_aigw_using_subcommand render" -l allow-empty -d 'Succeed when no Kubernetes object is found. Without it, a run that reads no object fails (exit 2): an empty render applied with pruning (Argo CD, kubectl apply --prune) deletes everything'
complete -c aigw -n "__fish_aigw_using_subcommand render" -s q -l quiet -d 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line'
complete -c aigw -n "__fish_aigw_using_subcommand render" -s v -l verbose -d 'List every skipped file and folder (by default, skips of one kind are summed up in one line)'
complete -c aigw -n "__fish_aigw_using_subcommand render" -l derived-only -d 'Emit only the derived objects, not the pass-through ones'
complete -c aigw -n "__fish_aigw_using_subcommand render" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aigw -n "__fish_aigw_using_subcommand validate" -l exclude -d 'Leave out what matches GLOB in directory walks (gitignore syntax, relative to the walked directory; repeatable)' -r
complete -c aigw -n "__fish_aigw_using_subcommand validate" -s n -l namespace -d 'Namespace for AI Gateway objects that do not set metadata.namespace' -r
complete -c aigw -n "__fish_aigw_using_subcommand validate" -l release -d 'The Envoy AI Gateway release to check against: v0.1, v0.5, v0.6, v0.7, v1.0 or v1.1 (built in). Without it, AI Gateway CRDs in the input or --crds define the API, else the manifests\' fields select the newest release that has them all' -r
complete -c aigw -n "__fish_aigw_using_subcommand validate" -l crds -d 'Read AI Gateway CustomResourceDefinitions from PATH (a file, a directory, or - for standard input) and check against them: any release whose CRDs you have (repeatable)' -r -F
complete -c aigw -n "__fish_aigw_using_subcommand validate" -l format -d 'How to print diagnostics. Human output goes to stderr; for validate, the machine formats go to stdout' -r -f -a "human\t'Source snippets with the problem underlined'
json\t'A JSON array, one object per diagnostic'
github\t'GitHub Actions workflow commands (`::error file=…::…`)'
sarif\t'SARIF 2.1.0, for code-scanning uploads'"
complete -c aigw -n "__fish_aigw_using_subcommand validate" -l color -d 'When to colour human diagnostics: auto (a terminal, and NO_COLOR unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c aigw -n "__fish_aigw_using_subcommand validate" -l strict -d 'Treat warnings as errors (exit 1 on any warning). AIGW_STRICT takes 1/true/yes/on or 0/false/no/off'
complete -c aigw -n "__fish_aigw_using_subcommand validate" -l allow-empty -d 'Succeed when no Kubernetes object is found. Without it, a run that reads no object fails (exit 2): an empty render applied with pruning (Argo CD, kubectl apply --prune) deletes everything'
complete -c aigw -n "__fish_aigw_using_subcommand validate" -s q -l quiet -d 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line'
complete -c aigw -n "__fish_aigw_using_subcommand validate" -s v -l verbose -d 'List every skipped file and folder (by default, skips of one kind are summed up in one line)'
complete -c aigw -n "__fish_aigw_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aigw -n "__fish_aigw_using_subcommand routes" -l exclude -d 'Leave out what matches GLOB in directory walks (gitignore syntax, relative to the walked directory; repeatable)' -r
complete -c aigw -n "__fish_aigw_using_subcommand routes" -s n -l namespace -d 'Namespace for AI Gateway objects that do not set metadata.namespace' -r
complete -c aigw -n "__fish_aigw_using_subcommand routes" -l release -d 'The Envoy AI Gateway release to check against: v0.1, v0.5, v0.6, v0.7, v1.0 or v1.1 (built in). Without it, AI Gateway CRDs in the input or --crds define the API, else the manifests\' fields select the newest release that has them all' -r
complete -c aigw -n "__fish_aigw_using_subcommand routes" -l crds -d 'Read AI Gateway CustomResourceDefinitions from PATH (a file, a directory, or - for standard input) and check against them: any release whose CRDs you have (repeatable)' -r -F
complete -c aigw -n "__fish_aigw_using_subcommand routes" -l format -d 'How to print diagnostics. Human output goes to stderr; for validate, the machine formats go to stdout' -r -f -a "human\t'Source snippets with the problem underlined'
json\t'A JSON array, one object per diagnostic'
github\t'GitHub Actions workflow commands (`::error file=…::…`)'
sarif\t'SARIF 2.1.0, for code-scanning uploads'"
complete -c aigw -n "__fish_aigw_using_subcommand routes" -l color -d 'When to colour human diagnostics: auto (a terminal, and NO_COLOR unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c aigw -n "__fish_aigw_using_subcommand routes" -s o -l output -d 'Output format of the routing table' -r -f -a "text\t'Aligned columns, one table per Gateway and route'
json\t'The structure documented in the routes module'"
complete -c aigw -n "__fish_aigw_using_subcommand routes" -l strict -d 'Treat warnings as errors (exit 1 on any warning). AIGW_STRICT takes 1/true/yes/on or 0/false/no/off'
complete -c aigw -n "__fish_aigw_using_subcommand routes" -l allow-empty -d 'Succeed when no Kubernetes object is found. Without it, a run that reads no object fails (exit 2): an empty render applied with pruning (Argo CD, kubectl apply --prune) deletes everything'
complete -c aigw -n "__fish_aigw_using_subcommand routes" -s q -l quiet -d 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line'
complete -c aigw -n "__fish_aigw_using_subcommand routes" -s v -l verbose -d 'List every skipped file and folder (by default, skips of one kind are summed up in one line)'
complete -c aigw -n "__fish_aigw_using_subcommand routes" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aigw -n "__fish_aigw_using_subcommand migrate" -l exclude -d 'Leave out what matches GLOB in directory walks (gitignore syntax, relative to the walked directory; repeatable)' -r
complete -c aigw -n "__fish_aigw_using_subcommand migrate" -s n -l namespace -d 'Namespace for AI Gateway objects that do not set metadata.namespace' -r
complete -c aigw -n "__fish_aigw_using_subcommand migrate" -l format -d 'How to print diagnostics. Human output goes to stderr; for validate, the machine formats go to stdout' -r -f -a "human\t'Source snippets with the problem underlined'
json\t'A JSON array, one object per diagnostic'
github\t'GitHub Actions workflow commands (`::error file=…::…`)'
sarif\t'SARIF 2.1.0, for code-scanning uploads'"
complete -c aigw -n "__fish_aigw_using_subcommand migrate" -l color -d 'When to colour human diagnostics: auto (a terminal, and NO_COLOR unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c aigw -n "__fish_aigw_using_subcommand migrate" -l to -d 'The release to migrate to (vX.Y): v0.2 to v1.1' -r
complete -c aigw -n "__fish_aigw_using_subcommand migrate" -l from -d 'The release the manifests are written for (default: detected): v0.1, v0.5, v0.6, v0.7, v1.0 or v1.1' -r
complete -c aigw -n "__fish_aigw_using_subcommand migrate" -l release -d 'The Envoy AI Gateway release to check against: v0.1, v0.5, v0.6, v0.7, v1.0 or v1.1 (built in). Without it, AI Gateway CRDs in the input or --crds define the API, else the manifests\' fields select the newest release that has them all' -r
complete -c aigw -n "__fish_aigw_using_subcommand migrate" -l crds -d 'Read AI Gateway CustomResourceDefinitions from PATH (a file, a directory, or - for standard input) and check against them: any release whose CRDs you have (repeatable)' -r -F
complete -c aigw -n "__fish_aigw_using_subcommand migrate" -l strict -d 'Treat warnings as errors (exit 1 on any warning). AIGW_STRICT takes 1/true/yes/on or 0/false/no/off'
complete -c aigw -n "__fish_aigw_using_subcommand migrate" -l allow-empty -d 'Succeed when no Kubernetes object is found. Without it, a run that reads no object fails (exit 2): an empty render applied with pruning (Argo CD, kubectl apply --prune) deletes everything'
complete -c aigw -n "__fish_aigw_using_subcommand migrate" -s q -l quiet -d 'Print nothing on stderr but diagnostics and errors: no notes about skipped files, no success line'
complete -c aigw -n "__fish_aigw_using_subcommand migrate" -s v -l verbose -d 'List every skipped file and folder (by default, skips of one kind are summed up in one line)'
complete -c aigw -n "__fish_aigw_using_subcommand migrate" -l write -d 'Edit the files in place instead of printing a diff'
complete -c aigw -n "__fish_aigw_using_subcommand migrate" -l check -d 'Print nothing to stdout; exit 1 when anything would change (for CI)'
complete -c aigw -n "__fish_aigw_using_subcommand migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aigw -n "__fish_aigw_using_subcommand diff" -l git -d 'Compare the tree at git revision REV with the working tree' -r
complete -c aigw -n "__fish_aigw_using_subcommand diff" -s o -l output -d 'Output format' -r -f -a "text\t'Readable lines, coloured on a terminal'
markdown\t'A pull-request comment'
json\t'The structure documented in the diff module'"
complete -c aigw -n "__fish_aigw_using_subcommand diff" -l exclude -d 'Leave out what matches GLOB in directory walks (repeatable)' -r
complete -c aigw -n "__fish_aigw_using_subcommand diff" -s n -l namespace -d 'Namespace for AI Gateway objects that do not set metadata.namespace' -r
complete -c aigw -n "__fish_aigw_using_subcommand diff" -l color -d 'When to colour text output and diagnostics: auto (a terminal, and NO_COLOR unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c aigw -n "__fish_aigw_using_subcommand diff" -l exit-code -d 'Exit 1 when there is any difference, 0 when there is none (as `git diff --exit-code`)'
complete -c aigw -n "__fish_aigw_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aigw -n "__fish_aigw_using_subcommand explain" -s h -l help -d 'Print help'
complete -c aigw -n "__fish_aigw_using_subcommand schema" -l release -d 'The release whose schema to print (v0.1, v0.5, v0.6, v0.7, v1.0, v1.1). Without it: the v0.1 input schema, as in schemas/' -r
complete -c aigw -n "__fish_aigw_using_subcommand schema" -s h -l help -d 'Print help'
complete -c aigw -n "__fish_aigw_using_subcommand completions" -s h -l help -d 'Print help'
complete -c aigw -n "__fish_aigw_using_subcommand krm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aigw -n "__fish_aigw_using_subcommand version" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c aigw -n "__fish_aigw_using_subcommand version" -s h -l help -d 'Print help'
complete -c aigw -n "__fish_aigw_using_subcommand man" -s h -l help -d 'Print help'
complete -c aigw -n "__fish_aigw_using_subcommand help; and not __fish_seen_subcommand_from render validate routes migrate diff explain schema completions krm version man help" -f -a "render" -d 'Render the Kubernetes objects for the given manifests (to stdout)'
complete -c aigw -n "__fish_aigw_using_subcommand help; and not __fish_seen_subcommand_from render validate routes migrate diff explain schema completions krm version man help" -f -a "validate" -d 'Check the manifests as an API server and the controller would; write no manifests'
complete -c aigw -n "__fish_aigw_using_subcommand help; and not __fish_seen_subcommand_from render validate routes migrate diff explain schema completions krm version man help" -f -a "routes" -d 'Show the routing each Gateway will serve: matches, backends, weights, auth, timeouts'
complete -c aigw -n "__fish_aigw_using_subcommand help; and not __fish_seen_subcommand_from render validate routes migrate diff explain schema completions krm version man help" -f -a "migrate" -d 'Move manifests forward to a later release, editing only the lines that change'
complete -c aigw -n "__fish_aigw_using_subcommand help; and not __fish_seen_subcommand_from render validate routes migrate diff explain schema completions krm version man help" -f -a "diff" -d 'Show what a change of manifests does to the routing and to the objects'
complete -c aigw -n "__fish_aigw_using_subcommand help; and not __fish_seen_subcommand_from render validate routes migrate diff explain schema completions krm version man help" -f -a "explain" -d 'Explain a diagnostic code (e.g. `aigw explain AIGW031`); without a code, list them all'
complete -c aigw -n "__fish_aigw_using_subcommand help; and not __fish_seen_subcommand_from render validate routes migrate diff explain schema completions krm version man help" -f -a "schema" -d 'Print the JSON Schema of an input kind (for editors and check-jsonschema)'
complete -c aigw -n "__fish_aigw_using_subcommand help; and not __fish_seen_subcommand_from render validate routes migrate diff explain schema completions krm version man help" -f -a "completions" -d 'Print a shell completion script'
complete -c aigw -n "__fish_aigw_using_subcommand help; and not __fish_seen_subcommand_from render validate routes migrate diff explain schema completions krm version man help" -f -a "krm" -d 'Run as a kustomize or kpt function (KRM): a ResourceList on stdin and stdout'
complete -c aigw -n "__fish_aigw_using_subcommand help; and not __fish_seen_subcommand_from render validate routes migrate diff explain schema completions krm version man help" -f -a "version" -d 'Print the version of aigw and the Envoy AI Gateway release(s) it compiles for'
complete -c aigw -n "__fish_aigw_using_subcommand help; and not __fish_seen_subcommand_from render validate routes migrate diff explain schema completions krm version man help" -f -a "man" -d 'Print the man page (roff) of aigw, or of one of its commands'
complete -c aigw -n "__fish_aigw_using_subcommand help; and not __fish_seen_subcommand_from render validate routes migrate diff explain schema completions krm version man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
