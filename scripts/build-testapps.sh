#!/usr/bin/env bash
# Builds every apktool project folder under testapps/ into OUTDIR/<name>.apk:
# apktool b (aapt), zipalign, then apksigner with v1+v2+v3 signatures using the
# public test key in testdata/testkey/. Each result is checked with aapt, dexdump
# and apksigner before the script reports success.
#
# An app folder may hold a file named `aapt2` (empty): the app is then built a
# second time with aapt2 into OUTDIR/<name>-aapt2.apk, for a second encoding of
# the same resources.
#
# An app folder may hold a script named `prebuild.sh`: it is sourced, in a
# subshell whose working directory is the app's scratch copy, before apktool
# runs, to make the files that must not be committed as binaries (an inner
# APK built from its own apktool project with `build_inner DIR OUT`, bytes
# generated deterministically). It deletes what it used; the script itself is
# removed from the copy after it ran.
#
# Needs only what scripts/setup.sh installs (Debian: apktool, aapt, zipalign,
# apksigner, dexdump; apktool pulls in a JRE and android-framework-res; python3
# comes with androguard).
#
# Usage: scripts/build-testapps.sh OUTDIR [APP...]
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 OUTDIR [APP...]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
shift

for t in apktool aapt zipalign apksigner dexdump python3; do
  if ! command -v "$t" >/dev/null 2>&1; then
    echo "build-testapps: $t not found; run scripts/setup.sh first" >&2
    exit 1
  fi
done

ks=$root/testdata/testkey/appxray-test.p12
ks_pass=appxray-public-test-key # a published test key: see testdata/testkey/README.md

# apktool writes build/ into the project folder and copies the 45 MB framework
# into its framework directory; keep both in a scratch directory.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# apktool stamps every zip entry with the build time; rewriting the archive with
# one fixed time (keeping each entry's order and compression) makes rebuilds
# byte-identical. python3 is there on any machine set up by scripts/setup.sh
# (androguard needs it).
normalise() { # in out
  python3 - "$1" "$2" <<'PY'
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
    for info in zin.infolist():
        fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
        fixed.compress_type = info.compress_type
        fixed.external_attr = 0o644 << 16
        fixed.create_system = 3
        zout.writestr(fixed, zin.read(info))
PY
}

apps=("$@")
if [ ${#apps[@]} -eq 0 ]; then
  for d in "$root"/testapps/*/; do
    [ -f "$d/apktool.yml" ] && apps+=("$(basename "$d")")
  done
fi

# build_inner DIR OUT: builds the apktool project DIR (inside an app's
# scratch copy) into the signed APK OUT, for an app that carries another app.
inner_count=0
build_inner() {
  local dir=$1 dest=$2 name
  inner_count=$((inner_count + 1))
  name=inner-$inner_count
  apktool b -q -f -p "$work/framework" -o "$work/$name.unsigned.apk" "$dir" 2> >(grep -v 'Could not extract resource: /prebuilt' >&2)
  finish "$name" "$dest"
  check "$dest" >/dev/null
}

# finish NAME OUT: the unsigned build $work/NAME.unsigned.apk rewritten with
# one timestamp, aligned and signed v1+v2+v3 into OUT.
finish() {
  local name=$1 dest=$2
  normalise "$work/$name.unsigned.apk" "$work/$name.fixed.apk"
  zipalign -f -p 4 "$work/$name.fixed.apk" "$work/$name.aligned.apk"
  apksigner sign --ks "$ks" --ks-key-alias appxray-test \
    --ks-pass "pass:$ks_pass" --key-pass "pass:$ks_pass" --v1-signer-name APPXRAY \
    --v1-signing-enabled true --v2-signing-enabled true \
    --v3-signing-enabled true --v4-signing-enabled false \
    --out "$dest" "$work/$name.aligned.apk"
}

build_one() { # name variant(empty|aapt2) output
  local name=$1 variant=$2 dest=$3
  local src=$work/src-$name-$variant
  rm -rf "$src"
  cp -r "$root/testapps/$name" "$src"
  rm -f "$src/aapt2"
  if [ -f "$src/prebuild.sh" ]; then
    (cd "$src" && . ./prebuild.sh)
    rm -f "$src/prebuild.sh"
  fi
  local flags=(-q -f -p "$work/framework" -o "$work/$name.unsigned.apk")
  [ "$variant" = aapt2 ] && flags+=(--use-aapt2)
  # apktool first tries its own bundled aapt; Debian's package has none and
  # falls back to the one on $PATH, warning about it. Only real errors fail.
  apktool b "${flags[@]}" "$src" 2> >(grep -v 'Could not extract resource: /prebuilt' >&2)
  finish "$name" "$dest"
  check "$dest"
}

check() { # apk: every oracle tool must accept it
  local apk=$1
  aapt dump badging "$apk" >/dev/null
  aapt dump --values resources "$apk" >/dev/null
  local x
  for x in $(aapt list "$apk" | grep -E '^(AndroidManifest\.xml|res/.*\.xml)$'); do
    aapt dump xmltree "$apk" "$x" >/dev/null
  done
  dexdump -d "$apk" >/dev/null # dexdump reads every classes*.dex of an APK
  local v
  # From API 18 on, so that apksigner checks v1 and v2 even for apps whose
  # minSdkVersion alone would let it stop at v3.
  v=$(apksigner verify -v --min-sdk-version 18 "$apk")
  case $v in
  *"Verified using v1 scheme (JAR signing): true"*"Verified using v2 scheme (APK Signature Scheme v2): true"*"Verified using v3 scheme (APK Signature Scheme v3): true"*) ;;
  *) echo "build-testapps: $apk lacks a v1, v2 or v3 signature:" >&2; echo "$v" >&2; return 1 ;;
  esac
  echo "built $apk"
}

for name in "${apps[@]}"; do
  if [ ! -f "$root/testapps/$name/apktool.yml" ]; then
    echo "build-testapps: no app testapps/$name" >&2
    exit 1
  fi
  build_one "$name" "" "$out/$name.apk"
  if [ -f "$root/testapps/$name/aapt2" ]; then
    build_one "$name" aapt2 "$out/$name-aapt2.apk"
  fi
done
