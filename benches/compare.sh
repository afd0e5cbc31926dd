#!/usr/bin/env bash
# Whole-process benchmark of `aigw render` against the floor (serde_yaml
# parsing and re-emitting the same files, examples/floor.rs) and
# `kubectl kustomize` over the same files; then every input form (YAML and
# JSON streams, a List, many files, KRM ResourceLists, the exec plugin) at
# FORMS objects (examples/forms.rs), for linearity; last, the goals of
# issue 14 as ratios.
#
#   bash benches/compare.sh                  # sizes 1 100 1000 5000 10000
#   SIZES="100 1000" RUNS=7 FORMS="" bash benches/compare.sh
#   RELEASE=v1.1 FORMS="" bash benches/compare.sh   # the same on v1.1 manifests
#
# Runs are interleaved (aigw, floor, kustomize, aigw, ...) so that load
# from other processes hits all three alike; times are medians of the
# wall-clock time, peak RSS comes from /usr/bin/time -v. kustomize is slow
# (and superlinear: over 10 minutes at 1,000 routes here), so it only runs up to
# KUSTOMIZE_MAX routes (default 100).
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1 100 1000 5000 10000"}
RUNS=${RUNS:-11}
# Two sizes of the input forms; the ratio of their times is reported.
FORMS=${FORMS-"10000 40000"}
FORM_RUNS=${FORM_RUNS:-3}
# The release the corpus is written for: empty for v0.1 (rendered into the
# derived objects), v1.1 (validated and written unchanged).
RELEASE=${RELEASE:-}
KUSTOMIZE_MAX=${KUSTOMIZE_MAX:-100}
KUBECTL=${KUBECTL:-$(command -v kubectl || true)}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/aigw-bench.XXXXXX")}

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time (for peak RSS)" >&2
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq time >/dev/null
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq time >/dev/null
    fi
fi

cargo build --release --quiet --bin aigw --example floor --example corpus --example forms
TARGET=${CARGO_TARGET_DIR:-target}
# Copies, as `cargo install` or a download puts them, are what is timed:
# the same binary run from where the linker wrote it started 0.2-0.3 ms
# slower (a tenth of a one-route run; the small floor not measurably).
mkdir -p "$WORK/bin"
install -m 755 "${AIGW:-$TARGET/release/aigw}" "$WORK/bin/aigw"
install -m 755 "$TARGET/release/examples/floor" "$WORK/bin/floor"
AIGW=$WORK/bin/aigw
FLOOR=$WORK/bin/floor
CORPUS=$TARGET/release/examples/corpus
FORMS_GEN=$TARGET/release/examples/forms

# Milliseconds of one run of "$@" (stdin from $STDIN), output discarded.
run_ms() {
    local start=$EPOCHREALTIME
    "$@" <"${STDIN:-/dev/null}" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    local end=$EPOCHREALTIME
    awk -v us=$(( ${end/./} - ${start/./} )) 'BEGIN { print us / 1000 }'
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Peak RSS of one run, in KiB.
rss_kib() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

# The host's transparent huge page setting moves the floor's times (glibc's
# malloc gets huge pages only with `always`; aigw never uses them).
thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || true)
echo "host: $(nproc) cores, transparent huge pages: ${thp:-unknown}"
declare -A AIGW_MS FLOOR_MS RSS_MIB RSS_RATIO
printf '%-7s %9s %10s %10s %11s %9s %9s %10s %10s %8s\n' \
    routes input_KiB aigw_ms floor_ms kustom_ms aigw/flr aigw/kust aigw_RSS flr_RSS RSS/in
for n in $SIZES; do
    dir=$WORK/n$n${RELEASE:+-$RELEASE}
    if [ ! -d "$dir/corpus" ]; then
        mkdir -p "$dir"
        "$CORPUS" "$n" "$dir/corpus" $RELEASE >"$dir/bytes"
        {
            echo "resources:"
            (cd "$dir" && find corpus -type f -name '*.yaml' | sort | sed 's/^/- /')
        } >"$dir/kustomization.yaml"
    fi
    bytes=$(cat "$dir/bytes")
    "$AIGW" render "$dir/corpus" >/dev/null 2>&1 || { echo "aigw failed on $dir/corpus" >&2; exit 1; }
    kust=""
    if [ -n "$KUBECTL" ] && [ "$n" -le "$KUSTOMIZE_MAX" ]; then kust=1; fi
    runs=$RUNS
    if [ "$n" -ge 10000 ]; then runs=$(( RUNS < 5 ? RUNS : 5 )); fi
    : >"$dir/t.aigw"; : >"$dir/t.floor"; : >"$dir/t.kust"
    # aigw and the floor take turns at going first; kustomize runs apart:
    # a process started right after kubectl (a Go program with a large
    # heap) ran a third slower, and in the loop it was always aigw.
    for i in $(seq "$runs"); do
        if (( i % 2 )); then
            run_ms "$AIGW" render "$dir/corpus" >>"$dir/t.aigw"
            run_ms "$FLOOR" "$dir/corpus" >>"$dir/t.floor"
        else
            run_ms "$FLOOR" "$dir/corpus" >>"$dir/t.floor"
            run_ms "$AIGW" render "$dir/corpus" >>"$dir/t.aigw"
        fi
    done
    if [ -n "$kust" ]; then
        for _ in $(seq "$runs"); do run_ms "$KUBECTL" kustomize "$dir" >>"$dir/t.kust"; done
    fi
    a=$(median <"$dir/t.aigw"); f=$(median <"$dir/t.floor")
    AIGW_MS[$n]=$a; FLOOR_MS[$n]=$f
    k="-"; ak="-"
    if [ -n "$kust" ]; then k=$(median <"$dir/t.kust"); ak=$(ratio "$a" "$k"); fi
    ra=$(rss_kib "$AIGW" render "$dir/corpus"); rf=$(rss_kib "$FLOOR" "$dir/corpus")
    RSS_MIB[$n]=$(awk -v k="$ra" 'BEGIN { printf "%.1f", k / 1024 }')
    RSS_RATIO[$n]=$(ratio "$((ra * 1024))" "$bytes")
    printf '%-7s %9d %10.1f %10.1f %11s %9s %9s %10s %10s %8s\n' \
        "$n" $((bytes / 1024)) "$a" "$f" "$( [ "$k" = - ] && echo - || printf '%.1f' "$k")" \
        "$(ratio "$a" "$f")" "$ak" "$((ra / 1024))MiB" "$((rf / 1024))MiB" \
        "$(ratio "$((ra * 1024))" "$bytes")"
done
if [ -n "${AIGW_MS[1000]:-}" ] && [ -n "${AIGW_MS[10000]:-}" ]; then
    echo "aigw time 10000/1000 routes: $(ratio "${AIGW_MS[10000]}" "${AIGW_MS[1000]}")x"
fi

# Each input form of the same ConfigMaps: render (files), krm (stdin) and
# the exec plugin (config file argument, stream on stdin).
# Sets FORM_ARGS (aigw's arguments) and FORM_STDIN for one form.
form_cmd() {
    local form=$1 dir=$2
    FORM_STDIN=/dev/null
    case $form in
        yaml-stream) FORM_ARGS=(render "$dir/stream.yaml") ;;
        json-stream) FORM_ARGS=(render "$dir/stream.json") ;;
        list) FORM_ARGS=(render "$dir/list.yaml") ;;
        files) FORM_ARGS=(render "$dir/files") ;;
        krm-yaml) FORM_ARGS=(krm); FORM_STDIN=$dir/rl.yaml ;;
        krm-json) FORM_ARGS=(krm); FORM_STDIN=$dir/rl.json ;;
        exec-plugin) FORM_ARGS=(krm "$dir/plugin.yaml"); FORM_STDIN=$dir/stream.yaml ;;
    esac
}
FORM_NAMES="yaml-stream json-stream list files krm-yaml krm-json exec-plugin"
declare -A FORM_RATIO
if [ -n "$FORMS" ]; then
    echo
    printf '%-12s' form; for m in $FORMS; do printf ' %10s' "${m}_ms"; done
    printf ' %10s\n' "last/first"
    for m in $FORMS; do
        [ -d "$WORK/forms$m" ] || "$FORMS_GEN" "$m" "$WORK/forms$m"
    done
    for form in $FORM_NAMES; do
        printf '%-12s' "$form"
        first=""; last=""
        # The sizes take turns, so that both meet the same load.
        for m in $FORMS; do : >"$WORK/t.form$m"; done
        for _ in $(seq "$FORM_RUNS"); do
            for m in $FORMS; do
                form_cmd "$form" "$WORK/forms$m"
                STDIN=$FORM_STDIN run_ms "$AIGW" "${FORM_ARGS[@]}" >>"$WORK/t.form$m"
            done
        done
        for m in $FORMS; do
            t=$(median <"$WORK/t.form$m")
            printf ' %10.1f' "$t"
            first=${first:-$t}; last=$t
        done
        FORM_RATIO[$form]=$(ratio "$last" "$first")
        printf ' %10s\n' "${FORM_RATIO[$form]}x"
    done
fi

# The goals of issue 14, each as a ratio against its limit.
goal() {
    local what=$1 value=$2 limit=$3
    [ -n "$value" ] || return 0
    local met
    met=$(awk -v v="$value" -v l="$limit" 'BEGIN { print (v <= l) ? "met" : "NOT met" }')
    printf '%-44s %9s %9s  %s\n' "$what" "$value" "$limit" "$met"
}
echo
printf '%-44s %9s %9s\n' goal value limit
for n in 5000 10000; do
    goal "peak RSS / input, $n routes" "${RSS_RATIO[$n]:-}" 12
done
goal "peak RSS MiB, 100 routes" "${RSS_MIB[100]:-}" 30
if [ -n "${AIGW_MS[1]:-}" ]; then
    goal "time / floor, 1 route (cold start)" "$(ratio "${AIGW_MS[1]}" "${FLOOR_MS[1]}")" 1.5
fi
for n in 100 1000 10000; do
    if [ -n "${AIGW_MS[$n]:-}" ]; then
        goal "time / floor, $n routes" "$(ratio "${AIGW_MS[$n]}" "${FLOOR_MS[$n]}")" 1.0
    fi
done
if [ -n "${AIGW_MS[1000]:-}" ] && [ -n "${AIGW_MS[10000]:-}" ]; then
    goal "time 10000 / 1000 routes" "$(ratio "${AIGW_MS[10000]}" "${AIGW_MS[1000]}")" 10.5
fi
if [ "$(wc -w <<<"$FORMS")" -ge 2 ]; then
    # 4.5 for four times the objects: linear, with an eighth to spare.
    sizes=$(awk '{ print $NF "/" $1 }' <<<"$FORMS")
    limit=$(awk '{ printf "%.2f", 1.125 * $NF / $1 }' <<<"$FORMS")
    for form in $FORM_NAMES; do
        goal "time $sizes objects, $form" "${FORM_RATIO[$form]}" "$limit"
    done
fi
echo "corpora kept in $WORK"
