#!/usr/bin/env bash
# Batch throughput: scans the same corpus APKs with `appxray scan --out DIR`
# at --jobs 1 and --jobs 2 (a fresh DIR each time, so nothing is skipped),
# and prints apps per minute, the speed-up and the peak memory (max RSS) of
# the whole batch.
#
#   bench/batch.sh [-n APKS]
#
# APKS (default 120) corpus APKs are taken from .corpus/list.txt in its
# order. Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
n=120
if [ "${1:-}" = "-n" ]; then n=$2; shift 2; fi
[ -f .corpus/list.txt ] || { echo "bench: no corpus (run scripts/setup.sh)" >&2; exit 1; }
mapfile -t apks < <(grep -E '\.apk$' .corpus/list.txt | head -n "$n")
[ ${#apks[@]} -ge 100 ] || echo "bench: only ${#apks[@]} APKs in the corpus" >&2

mkdir -p bench/out
go build -o bench/out/appxray ./cmd/appxray
bytes=$(cat "${apks[@]}" | wc -c)
calc() { awk "BEGIN { print $* }"; }
printf 'batch of %d APKs, %.1f MB\n' "${#apks[@]}" "$(calc "$bytes / 1048576")"
printf '%-8s %10s %12s %12s\n' jobs seconds apps/min peak-MB
declare -A rate
for jobs in 1 2; do
  out=$(mktemp -d)
  start=$(date +%s%N)
  /usr/bin/time -f '%M' -o bench/out/batch-rss bench/out/appxray scan --out "$out" --jobs "$jobs" "${apks[@]}" 2>bench/out/batch-$jobs.log || true
  end=$(date +%s%N)
  rss=$(tail -1 bench/out/batch-rss)
  rows=$(wc -l < "$out/index.jsonl")
  rm -rf "$out"
  secs=$(calc "($end - $start) / 1000000000")
  rate[$jobs]=$(calc "$rows / $secs * 60")
  printf '%-8s %10.2f %12.0f %12.1f\n' "$jobs" "$secs" "${rate[$jobs]}" "$(calc "$rss / 1024")"
done
printf 'speed-up with --jobs 2: %.2fx\n' "$(calc "${rate[2]} / ${rate[1]}")"
