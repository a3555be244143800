#!/usr/bin/env bash
# Builds bench/out/synthetic.apk, the large input of the bench: an unsigned
# APK of about SIZE MB (default 300) made of real corpus parts. The
# manifest and resource table are appium-uiautomator2-server's; the DEX
# files are every distinct classes*.dex of the corpus's APKs and every bare
# .dex of the corpus, each once, in the list's order (classes.dex,
# classes2.dex, …); the rest is the corpus APKs' other entries (assets,
# resources, native libraries), copied under assets/copyN/ as many times as
# it takes to reach SIZE. Entries are deflated as zip does by default.
# Prints what it built.
#
#   bench/synth.sh [SIZE_MB]
#
# Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-300}
[ -f .corpus/list.txt ] || { echo "bench: no corpus (run scripts/setup.sh)" >&2; exit 1; }
out=bench/out/synthetic.apk
mkdir -p bench/out
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
base=.corpus/npm/appium-uiautomator2-server/package/apks/appium-uiautomator2-server-v10.6.6.apk
mkdir -p "$tmp/apk" "$tmp/parts"
unzip -q -o "$base" AndroidManifest.xml resources.arsc -d "$tmp/apk"

# DEX: every distinct DEX file of the corpus, once.
n=0
declare -A seen
adddex() {
  local sum
  sum=$(sha256sum < "$1" | cut -c1-64)
  [ -n "${seen[$sum]:-}" ] && return
  seen[$sum]=1
  n=$((n + 1))
  if [ $n -eq 1 ]; then cp "$1" "$tmp/apk/classes.dex"; else cp "$1" "$tmp/apk/classes$n.dex"; fi
}
i=0
while read -r f; do
  case $f in
    *.dex) [ "$(head -c 3 "$f")" = dex ] && adddex "$f" ;;
    *.apk)
      i=$((i + 1))
      d="$tmp/parts/$i"
      mkdir -p "$d"
      unzip -q -o "$f" -d "$d" 2>/dev/null || true
      for x in "$d"/classes*.dex; do
        [ -f "$x" ] && [ "$(head -c 3 "$x")" = dex ] && adddex "$x"
        rm -f "$x"
      done
      rm -rf "$d/META-INF" "$d/AndroidManifest.xml" "$d/resources.arsc"
      ;;
  esac
done < .corpus/list.txt
# The other parts, copied (hard links) under assets/copyN/ as many times
# as it takes to reach the size, measured on one copy's compressed size.
(cd "$tmp/apk" && zip -q -X -r "$tmp/dex.zip" .)
(cd "$tmp/parts" && zip -q -X -r "$tmp/parts.zip" .)
have=$(stat -c %s "$tmp/dex.zip") per=$(stat -c %s "$tmp/parts.zip")
copies=$(( (size * 1048576 - have + per - 1) / per ))
(( copies < 1 )) && copies=1
for ((c = 1; c <= copies; c++)); do
  mkdir -p "$tmp/apk/assets"
  cp -al "$tmp/parts" "$tmp/apk/assets/copy$c"
done
rm -f "$out"
(cd "$tmp/apk" && zip -q -X -r "$tmp/apk.zip" AndroidManifest.xml resources.arsc classes*.dex assets)
mv "$tmp/apk.zip" "$out"
dexbytes=$(unzip -l "$out" | awk '$4 ~ /^classes[0-9]*\.dex$/ {s += $1} END {print s}')
printf 'synthetic: %s, %.1f MB, %d entries, %d DEX files (%.1f MB inflated), %.1f MB inflated in all\n' "$out" \
  "$(awk "BEGIN {print $(stat -c %s "$out") / 1048576}")" "$(unzip -l "$out" | tail -1 | awk '{print $2}')" "$n" \
  "$(awk "BEGIN {print $dexbytes / 1048576}")" "$(awk "BEGIN {print $(unzip -l "$out" | tail -1 | awk '{print $1}') / 1048576}")"
