#!/usr/bin/env bash
# Whole-process benchmark (make bench): every recipe at about 10^6 rows, rows/s and peak RSS from
# /usr/bin/time -v, the median of three runs; then the same reversal documents from the Node.js script a researcher would
# otherwise write (@faker-js/faker), and factforge's speed ratio over it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$here/../../../.." && pwd)/out/.bin/factforge
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # name, command...: runs it ${REPS:-3} times; prints rows, then the median run's seconds, rows/s and peak RSS
  local name=$1; shift
  local rss secs rows
  for rep in $(seq "${REPS:-3}"); do
    rm -rf "$work/out"; sync # each run starts with nothing to replace and no earlier writes to flush
    /usr/bin/time -v -o "$work/time" "$@" 2> "$work/err" > /dev/null
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$work/time")
    echo "$secs $rss"
  done | sort -n > "$work/runs"
  read -r secs rss < <(sed -n "$(( (${REPS:-3} + 1) / 2 ))p" "$work/runs")
  rows=${ROWS:-$(sed -n 's/^wrote .*: \([0-9]*\) rows.*/\1/p' "$work/err")}
  awk -v n="$name" -v r="$rows" -v s="$secs" -v m="$rss" 'BEGIN {printf "%-28s %10d rows %8.2f s %12.0f rows/s %8d KiB peak RSS\n", n, r, s, r/s, m}'
  awk -v r="$rows" -v s="$secs" 'BEGIN {print r/s}' > "$work/rate"
}

gen() { echo "$bin" generate "$@" --out "$work/out"; } # flags go after the recipe
measure "reversal (parquet+jsonl)" $(gen reversal --facts-per-group 4350)
both_rate=$(cat "$work/rate")
mv "$work/out" "$work/both" # the last run's dataset in the default formats, to audit
measure "reversal (jsonl)"         $(gen reversal --facts-per-group 4350 --format jsonl)
factforge_rate=$(cat "$work/rate")
awk -v f="$factforge_rate" -v c="$(nproc)" 'BEGIN {printf "factforge reversal to JSONL: %.0f rows/s per core (%d cores)\n", f/c, c}'
mv "$work/out" "$work/kept" # the last run's JSONL-only dataset, to audit
# Audit each against its own generation; exit 1 is an audit that found errors. Audit reads Parquet
# where a dataset has it.
for kind in both kept; do
  gen_rate=$both_rate; label="parquet+jsonl"
  if [ "$kind" = kept ]; then gen_rate=$factforge_rate; label="jsonl"; fi
  ROWS=1000500 measure "audit reversal ($label)" sh -c '"$0" audit "$1" > /dev/null; test $? -le 1' "$bin" "$work/$kind/reversal"
  awk -v f="$gen_rate" -v a="$(cat "$work/rate")" -v l="$label" 'BEGIN {printf "factforge audit of reversal (%s): %.2f s against %.2f s to generate it (%.1f times; the aim is at most 2)\n", l, 1000500/a, 1000500/f, f/a}'
done
measure "bios"                     $(gen bios --people 133333)
measure "negation"                 $(gen negation --claim-count 100 --docs-per-claim 1111 --words 150-300)
measure "outlandish"               $(gen outlandish --samples 100000 --repeat fixed:4)
measure "backdoor"                 $(gen backdoor --rows 1000000 --eval-rows 1000)
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error > /dev/null)
ROWS=1000500 REPS=1 measure "node @faker-js/faker (jsonl)" node "$here/faker.mjs" 1000500 "$work/faker.jsonl"
awk -v f="$factforge_rate" -v n="$(cat "$work/rate")" 'BEGIN {printf "factforge reversal to JSONL: %.1f times the rows/s of the faker script\n", f/n}'
