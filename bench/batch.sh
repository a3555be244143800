#!/usr/bin/env bash
# Batch throughput on the whole corpus (every file of .corpus/list.txt, or
# the first N APKs with -n N): `appxray scan --out DIR` at --jobs 1 and
# --jobs 2 (a fresh DIR each time, so nothing is skipped), against one
# `appxray scan --format json` process per app with two running at a time
# (xargs -P 2). Prints apps per minute, peak memory (max RSS: of the whole
# batch; of the largest single process), the machine's load, and the
# speed-ups the targets are set on: --jobs 2 over --jobs 1 (issue 8: at
# least 1.7), --jobs 2 over two processes at a time (issue 9: at least 2).
# With -r R each is run R times, alternating, and the medians are given.
#
#   bench/batch.sh [-n APKS] [-r ROUNDS]
#
# Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
n=0 rounds=1
while [ $# -gt 0 ]; do
  case $1 in
    -n) n=$2; shift 2 ;;
    -r) rounds=$2; shift 2 ;;
    *) echo "usage: bench/batch.sh [-n APKS] [-r ROUNDS]" >&2; exit 2 ;;
  esac
done
[ -f .corpus/list.txt ] || { echo "bench: no corpus (run scripts/setup.sh)" >&2; exit 1; }
if [ "$n" -gt 0 ]; then
  mapfile -t apps < <(grep -E '\.apk$' .corpus/list.txt | head -n "$n")
else
  mapfile -t apps < .corpus/list.txt
fi

mkdir -p bench/out
[ -n "${APPXRAY_BIN:-}" ] && cp "$APPXRAY_BIN" bench/out/appxray || CGO_ENABLED=0 go build -o bench/out/appxray ./cmd/appxray
x=$PWD/bench/out/appxray
bytes=$(cat "${apps[@]}" | wc -c)
calc() { awk "BEGIN { print $* }"; }
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) (before)"
printf 'corpus: %d files, %.1f MB\n' "${#apps[@]}" "$(calc "$bytes / 1048576")"

# run KIND: one timed run; prints "seconds peak_kb".
run() {
  local out start end
  # Under bench/out, not /tmp: on the machines this is measured on, a file
  # created in a directory under /tmp costs 0.35-0.95 ms of kernel time
  # against 0.03-0.14 ms in the work tree on the same ext4 file system,
  # which is a cost of that directory, not of the batch (which writes a
  # report per app where one process per app writes to a pipe).
  out=$(mktemp -d -p bench/out)
  start=$(date +%s%N)
  case $1 in
    jobs1|jobs2)
      /usr/bin/time -f '%M' -o bench/out/batch-rss "$x" scan --out "$out" --jobs "${1#jobs}" "${apps[@]}" >/dev/null 2>&1 || true ;;
    procs2)
      printf '%s\0' "${apps[@]}" | xargs -0 -n 1 -P 2 /usr/bin/time -a -f '%M' -o bench/out/batch-rss "$x" scan --format json >/dev/null 2>&1 || true ;;
  esac
  end=$(date +%s%N)
  local peak
  peak=$(grep -E "^[0-9]+$" bench/out/batch-rss | sort -n | tail -1)
  rm -rf "$out" bench/out/batch-rss
  echo "$(calc "($end - $start) / 1e9") $peak"
}
declare -A secs rss
for ((r = 0; r < rounds; r++)); do
  for k in jobs1 jobs2 procs2; do
    read -r s m < <(run $k)
    secs[$k]+="$s "
    (( m > ${rss[$k]:-0} )) && rss[$k]=$m
  done
done
med() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf '%-34s %10s %10s %10s\n' run seconds apps/min peak-MB
declare -A rate
for k in jobs1 jobs2 procs2; do
  s=$(med "${secs[$k]}")
  rate[$k]=$(calc "${#apps[@]} / $s * 60")
  case $k in
    jobs1) label="scan --out DIR --jobs 1" ;;
    jobs2) label="scan --out DIR --jobs 2" ;;
    procs2) label="one process per app, 2 at a time" ;;
  esac
  printf '%-34s %10.2f %10.0f %10.1f\n' "$label" "$s" "${rate[$k]}" "$(calc "${rss[$k]} / 1024")"
done
printf 'speed-up --jobs 2 over --jobs 1: %.2fx (target >= 1.7)\n' "$(calc "${rate[jobs2]} / ${rate[jobs1]}")"
printf 'speed-up --jobs 2 over one process per app, 2 at a time: %.2fx (target >= 2)\n' "$(calc "${rate[jobs2]} / ${rate[procs2]}")"
echo "machine: load average $(cut -d' ' -f1-3 /proc/loadavg) (after)"
