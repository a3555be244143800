#!/usr/bin/env bash
# Times, on the same APKs in one run: appxray's full scan, `unzip -p` (the cost
# of merely inflating everything), `aapt dump badging`, and androguard's
# AnalyzeAPK; prints medians, ratios and peak memory (max RSS).
#
#   bench/run.sh [-n RUNS] [APK ...]
#
# With no APK it uses the corpus's appium-uiautomator2-server APK (the issue's
# target), io.appium.settings and framework-res.apk. Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
if [ "${1:-}" = "-n" ]; then runs=$2; shift 2; fi
apks=("$@")
if [ ${#apks[@]} -eq 0 ]; then
  apks=(
    .corpus/npm/appium-uiautomator2-server/package/apks/appium-uiautomator2-server-v10.6.6.apk
    .corpus/npm/io.appium.settings/package/apks/settings_apk-debug.apk
    /usr/share/android-framework-res/framework-res.apk
  )
fi
for a in "${apks[@]}"; do [ -f "$a" ] || { echo "bench: $a missing (run scripts/setup.sh)" >&2; exit 1; }; done

mkdir -p bench/out
go build -o bench/out/appxray ./cmd/appxray

# measure N CMD...: runs CMD N times, prints "median_seconds max_rss_kb".
measure() {
  local n=$1; shift
  local times=() rss=0
  for ((i = 0; i < n; i++)); do
    local start end r
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o bench/out/rss "$@" >/dev/null 2>&1 || { echo "bench: $* failed" >&2; exit 1; }
    r=$(tail -1 bench/out/rss)
    end=$(date +%s%N)
    times+=("$(( (end - start) / 1000 ))")
    (( r > rss )) && rss=$r
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v rss="$rss" '{a[NR]=$1} END {printf "%.4f %s\n", a[int((NR+1)/2)]/1e6, rss}'
}

printf '%-40s %10s %10s %10s %12s %10s %10s %10s\n' apk unzip-p appxray aapt androguard "x/unzip" "andro/x" "x-MB"
for apk in "${apks[@]}"; do
  name=$(basename "$apk")
  read -r t_unzip _ < <(measure "$runs" sh -c 'unzip -p "$1" > /dev/null' _ "$apk")
  read -r t_ax rss_ax < <(measure "$runs" bench/out/appxray scan --format json "$apk")
  read -r t_aapt _ < <(measure "$runs" aapt dump badging "$apk")
  read -r t_ag rss_ag < <(measure 1 /usr/bin/python3 -c 'import sys
from androguard.misc import AnalyzeAPK
AnalyzeAPK(sys.argv[1])' "$apk")
  awk -v n="$name" -v u="$t_unzip" -v x="$t_ax" -v a="$t_aapt" -v g="$t_ag" -v rx="$rss_ax" -v rg="$rss_ag" 'BEGIN {
    printf "%-40s %9.3fs %9.3fs %9.3fs %11.2fs %10.2f %10.1f %10.1f\n", substr(n,1,40), u, x, a, g, (u>0?x/u:0), (x>0?g/x:0), rx/1024
    printf "%-40s peak memory: appxray %.1f MB, androguard %.1f MB\n", "", rx/1024, rg/1024 }'
done

# The flow analysis alone (detect/flows BenchmarkFlows on each APK, its
# requirements computed once outside the loop): median time per run, bytes
# allocated per run and flows found. FLOWS=0 skips it.
if [ "${FLOWS:-1}" != 0 ]; then
  printf '\n%-40s %14s %12s %8s\n' apk flow-analysis alloc-MB flows
  for apk in "${apks[@]}"; do
    abs=$(cd "$(dirname "$apk")" && pwd)/$(basename "$apk")
    out=$(APPXRAY_BENCH_APK="$abs" go test -run '^$' -bench 'BenchmarkFlows/env$' -benchtime "${runs}x" -count "$runs" -benchmem ./detect/flows 2>/dev/null | grep '^BenchmarkFlows/env' || true)
    if [ -z "$out" ]; then
      printf '%-40s %14s\n' "$(basename "$apk" | cut -c1-40)" "(no result)"
      continue
    fi
    field() { echo "$out" | awk -v u="$1" '{for (i = 1; i < NF; i++) if ($(i+1) == u) print $i}'; }
    t=$(field ns/op | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%-40s %13.3fs %12.1f %8.0f\n' "$(basename "$apk" | cut -c1-40)" "$(awk -v t="$t" 'BEGIN {print t/1e9}')" \
      "$(field B/op | tail -1 | awk '{print $1/1048576}')" "$(field flows/op | tail -1)"
  done
fi
