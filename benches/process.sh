#!/usr/bin/env bash
# Times `carebot ask` as a whole process on the bundled knowledge: start-up, reading the config,
# loading and validating the knowledge base, parsing, answering and printing.
#
#   benches/process.sh [RUNS]      (default 100 runs per question)
#
# Uses hyperfine when it is installed (apt-get install -y hyperfine), else a shell loop; both
# print the median and the 95th percentile in milliseconds (NO_HYPERFINE=1 forces the loop).
# Builds the release binary first.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-100}"
cargo build --release --quiet --bin carebot
bin="$PWD/target/release/carebot"
questions=("!stars Birmingham" "Who runs social services in Coventry?")

# Median and 95th percentile of the numbers (milliseconds) on standard input.
stats() {
    sort -g | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        p = v[int(NR * 0.95 + 0.999)]
        printf "median %.2f ms  p95 %.2f ms  min %.2f ms  (%d runs)\n", m, p, v[1], NR
    }'
}

for q in "${questions[@]}"; do
    "$bin" ask "$q" >/dev/null
    printf '%-45s ' "carebot ask \"$q\":"
    if command -v hyperfine >/dev/null && [ -z "${NO_HYPERFINE:-}" ]; then
        json="$(mktemp)"
        err="$(mktemp)"
        # hyperfine's advice about outliers goes to stderr; show it only if the run fails.
        hyperfine --shell=none --warmup 10 --runs "$runs" --style none \
            --export-json "$json" -- "$bin ask '$q'" >/dev/null 2>"$err" || { cat "$err" >&2; exit 1; }
        rm -f "$err"
        python3 -c 'import json,sys; [print(t*1000) for t in json.load(open(sys.argv[1]))["results"][0]["times"]]' "$json" | stats
        rm -f "$json"
    else
        for _ in $(seq "$runs"); do
            start=$(date +%s%N)
            "$bin" ask "$q" >/dev/null
            end=$(date +%s%N)
            awk -v s="$start" -v e="$end" 'BEGIN { print (e - s) / 1000000 }'
        done | stats
    fi
done
