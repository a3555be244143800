#!/usr/bin/env bash
# The speed and memory targets (issue 9), measured side by side in one run
# with bench/measure: each round runs every command once, back to back, so
# that the machine's load falls on all of them alike; medians over the
# rounds, peak memory (max RSS) the largest of any round.
#
#   bench/run.sh [-n RUNS] [-b REV] [-a]
#
#  - appium-uiautomator2-server (18 MB): full scan (--format json) against
#    `unzip -p` (inflating every entry): at most 0.35x, peak under 60 MB;
#  - bench/out/synthetic.apk (bench/synth.sh: 300 MB of corpus DEX files
#    and assets): at most 0.8x `unzip -p`, peak under 200 MB;
#  - the smallest corpus APK appxray scans: under 5 ms for the whole
#    process (beside an empty Go program, the floor of any process);
#  - the batch targets are bench/batch.sh's, JSON identity bench/identity.sh's.
#
# -b REV also builds appxray from commit REV and times it in the same
# rounds (before/after); -a adds aapt and androguard on the 18 MB APK.
# Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5 base="" andro=0
while [ $# -gt 0 ]; do
  case $1 in
    -n) runs=$2; shift 2 ;;
    -b) base=$2; shift 2 ;;
    -a) andro=1; shift ;;
    *) echo "usage: bench/run.sh [-n RUNS] [-b REV] [-a]" >&2; exit 2 ;;
  esac
done
big=.corpus/npm/appium-uiautomator2-server/package/apks/appium-uiautomator2-server-v10.6.6.apk
[ -f "$big" ] || { echo "bench: $big missing (run scripts/setup.sh)" >&2; exit 1; }
mkdir -p bench/out
go build -o bench/out/measure ./bench/measure
# appxray needs no cgo; without it the binary is static and a process
# starts without the dynamic loader (about 0.6 ms of a 4 ms small scan).
CGO_ENABLED=0 go build -o bench/out/appxray ./cmd/appxray
x=bench/out/appxray
if [ -n "$base" ]; then
  src=$(mktemp -d)
  git archive "$base" | tar -x -C "$src"
  (cd "$src" && CGO_ENABLED=0 go build -o "$OLDPWD/bench/out/appxray-base" ./cmd/appxray)
  rm -rf "$src"
fi
[ -f bench/out/synthetic.apk ] || bench/synth.sh
syn=bench/out/synthetic.apk
# The smallest corpus APK that appxray scans.
small=""
while read -r f; do
  if "$x" scan --format json "$f" >/dev/null 2>&1; then small=$f; break; fi
done < <(grep -E '\.apk$' .corpus/list.txt | tr '\n' '\0' | xargs -0 ls -Sr)
# An empty Go program, built outside the module (a .go file under bench/
# would be one more package to vet and format).
empty=$(mktemp -d)
printf 'package main\n\nfunc main() {}\n' > "$empty/empty.go"
(cd "$empty" && GO111MODULE=off go build -o "$OLDPWD/bench/out/empty" empty.go)
rm -rf "$empty"

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "machine: $(nproc) CPUs, load average $(load) (before); $runs rounds"
echo "columns: command, median wall s, median CPU s, peak MB, median ratio to the round's first command"
# row LABEL FILE [-b]: unzip -p FILE, then appxray (and the base) on it.
row() {
  local label=$1 file=$2
  echo "== $label: $file ($(awk "BEGIN {printf \"%.1f\", $(stat -c %s "$file") / 1048576}") MB)"
  local cmds=(-- "=unzip-p:sh" -c 'unzip -p "$1" > /dev/null' _ "$file" -- "=appxray:$x" scan --format json "$file")
  [ -n "$base" ] && cmds+=(-- "=appxray-base:bench/out/appxray-base" scan --format json "$file")
  bench/out/measure -n "$runs" "${cmds[@]}" | tee bench/out/row
}
verdict() { # verdict WHAT OK
  if [ "$2" = 1 ]; then echo "target $1: met"; else echo "target $1: NOT met"; fi
}
row "18 MB APK" "$big"
r=$(awk '$1 == "appxray" {print $5}' bench/out/row); m=$(awk '$1 == "appxray" {print $4}' bench/out/row)
verdict "18 MB scan <= 0.35x unzip -p ($r)" "$(awk "BEGIN {print ($r <= 0.35)}")"
verdict "18 MB peak < 60 MB ($m)" "$(awk "BEGIN {print ($m < 60)}")"
row "synthetic APK" "$syn"
r=$(awk '$1 == "appxray" {print $5}' bench/out/row); m=$(awk '$1 == "appxray" {print $4}' bench/out/row)
verdict "synthetic scan <= 0.8x unzip -p ($r)" "$(awk "BEGIN {print ($r <= 0.8)}")"
verdict "synthetic peak < 200 MB ($m)" "$(awk "BEGIN {print ($m < 200)}")"
echo "== smallest corpus APK: $small ($(stat -c %s "$small") bytes)"
cmds=(-- "=empty-go:bench/out/empty" -- "=appxray-help:$x" --help -- "=appxray:$x" scan --format json "$small")
[ -n "$base" ] && cmds+=(-- "=appxray-base:bench/out/appxray-base" scan --format json "$small")
bench/out/measure -n $((runs * 4 + 1)) "${cmds[@]}" | tee bench/out/row
w=$(awk '$1 == "appxray" {print $2 * 1000}' bench/out/row)
verdict "smallest APK < 5 ms wall ($w ms)" "$(awk "BEGIN {print ($w < 5)}")"
if [ $andro -eq 1 ]; then
  echo "== aapt and androguard on $big"
  bench/out/measure -n 1 -- "=appxray:$x" scan --format json "$big" -- "=aapt-badging:aapt" dump badging "$big" \
    -- "=androguard:/usr/bin/python3" -c 'import sys
from androguard.misc import AnalyzeAPK
AnalyzeAPK(sys.argv[1])' "$big"
fi
# The flow analysis alone on the 18 MB APK (detect/flows BenchmarkFlows,
# its requirements computed once outside the loop): median time per run,
# bytes allocated per run, flows found. FLOWS=0 skips it.
if [ "${FLOWS:-1}" != 0 ]; then
  out=$(APPXRAY_BENCH_APK="$PWD/$big" go test -run '^$' -bench 'BenchmarkFlows/env$' -benchtime "${runs}x" -count "$runs" -benchmem ./detect/flows 2>/dev/null | grep '^BenchmarkFlows/env' || true)
  if [ -n "$out" ]; then
    field() { echo "$out" | awk -v u="$1" '{for (i = 1; i < NF; i++) if ($(i+1) == u) print $i}'; }
    t=$(field ns/op | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "== flow analysis alone on the 18 MB APK: $(awk -v t="$t" 'BEGIN {printf "%.3f", t/1e9}') s median, $(field B/op | tail -1 | awk '{printf "%.1f", $1/1048576}') MB allocated, $(field flows/op | tail -1 | awk '{printf "%d", $1}') flows"
  fi
fi
echo "machine: load average $(load) (after)"
