#!/usr/bin/env bash
# Whole-process benchmark of `aigw render` against the floor (serde_yaml
# parsing and re-emitting the same files, examples/floor.rs) and
# `kubectl kustomize` over the same files.
#
#   bash benches/compare.sh                  # sizes 1 100 1000 10000
#   SIZES="100 1000" RUNS=7 bash benches/compare.sh
#
# Runs are interleaved (aigw, floor, kustomize, aigw, ...) so that load
# from other processes hits all three alike; times are medians of the
# wall-clock time, peak RSS comes from /usr/bin/time -v. kustomize is slow
# (and superlinear: over 10 minutes at 1,000 routes here), so it only runs up to
# KUSTOMIZE_MAX routes (default 100).
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1 100 1000 10000"}
RUNS=${RUNS:-11}
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

cargo build --release --quiet --bin aigw --example floor --example corpus
AIGW=${AIGW:-target/release/aigw}
FLOOR=target/release/examples/floor
CORPUS=target/release/examples/corpus

# Milliseconds of one run of "$@", output discarded.
run_ms() {
    local start=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
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

declare -A AIGW_MS
printf '%-7s %9s %10s %10s %11s %9s %9s %10s %10s %8s\n' \
    routes input_KiB aigw_ms floor_ms kustom_ms aigw/flr aigw/kust aigw_RSS flr_RSS RSS/in
for n in $SIZES; do
    dir=$WORK/n$n
    if [ ! -d "$dir/corpus" ]; then
        mkdir -p "$dir"
        "$CORPUS" "$n" "$dir/corpus" >"$dir/bytes"
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
    for _ in $(seq "$runs"); do
        run_ms "$AIGW" render "$dir/corpus" >>"$dir/t.aigw"
        run_ms "$FLOOR" "$dir/corpus" >>"$dir/t.floor"
        if [ -n "$kust" ]; then run_ms "$KUBECTL" kustomize "$dir" >>"$dir/t.kust"; fi
    done
    a=$(median <"$dir/t.aigw"); f=$(median <"$dir/t.floor")
    AIGW_MS[$n]=$a
    k="-"; ak="-"
    if [ -n "$kust" ]; then k=$(median <"$dir/t.kust"); ak=$(ratio "$a" "$k"); fi
    ra=$(rss_kib "$AIGW" render "$dir/corpus"); rf=$(rss_kib "$FLOOR" "$dir/corpus")
    printf '%-7s %9d %10.1f %10.1f %11s %9s %9s %10s %10s %8s\n' \
        "$n" $((bytes / 1024)) "$a" "$f" "$( [ "$k" = - ] && echo - || printf '%.1f' "$k")" \
        "$(ratio "$a" "$f")" "$ak" "$((ra / 1024))MiB" "$((rf / 1024))MiB" \
        "$(ratio "$((ra * 1024))" "$bytes")"
done
if [ -n "${AIGW_MS[1000]:-}" ] && [ -n "${AIGW_MS[10000]:-}" ]; then
    echo "aigw time 10000/1000 routes: $(ratio "${AIGW_MS[10000]}" "${AIGW_MS[1000]}")x"
fi
echo "corpora kept in $WORK"
