#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine and gathers the real-app
# corpus into .corpus/ (git-ignored). Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for t in aapt dexdump apksigner apktool zipalign androguard aapt2; do
  command -v "$t" >/dev/null 2>&1 || need_apt+=("$t")
done
[ -f /usr/share/android-framework-res/framework-res.apk ] || need_apt+=(android-framework-res)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq aapt dexdump apksigner apktool zipalign androguard android-framework-res >/dev/null
  # Bookworm's aapt package carries aapt2; later releases package it on its own.
  command -v aapt2 >/dev/null 2>&1 || apt-get install -y -qq aapt2 >/dev/null
fi

# Headless Chromium for the HTML report's browser test, and a CJK font so its screenshots show Chinese.
command -v chromium >/dev/null 2>&1 || { echo "setup: installing chromium"; export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; }
# PostgreSQL for appxray serve's tests (internal/pgtest starts a scratch server as the postgres user).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "setup: installing postgresql"; export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; apt-get install -y -qq postgresql >/dev/null; }

if ! command -v staticcheck >/dev/null 2>&1 && [ ! -x "$(go env GOPATH)/bin/staticcheck" ]; then
  echo "setup: installing staticcheck"
  go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
fi

mkdir -p .corpus/npm
# npm packages that carry real APKs written by others, pinned so the corpus is stable.
npm_pkgs=(
  appium-uiautomator2-server@10.6.6
  io.appium.settings@8.0.10
  appium-unlock@2.0.0
  appium-android-ime@2.0.0
)
for spec in "${npm_pkgs[@]}"; do
  name=${spec%@*}
  dir=.corpus/npm/$name
  [ -d "$dir" ] && continue
  echo "setup: fetching $spec"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$dir"
  tar -xzf "$tmp"/*.tgz -C "$dir" --wildcards '*.apk'
  rm -rf "$tmp"
done

# The project's own test apps, built from testapps/ with apktool and apksigner.
if [ -x scripts/build-testapps.sh ]; then
  echo "setup: building test apps"
  rm -rf .corpus/testapps
  ./scripts/build-testapps.sh .corpus/testapps
fi

# One list of every corpus file, read by internal/corpus.
{
  dpkg -L androguard | grep -E '\.(apk|dex)$' | while read -r f; do [ -f "$f" ] && echo "$f"; done
  echo /usr/share/android-framework-res/framework-res.apk
  find "$PWD/.corpus/npm" -name '*.apk' | sort
  if [ -d .corpus/testapps ]; then find "$PWD/.corpus/testapps" -name "*.apk" | sort; fi
} > .corpus/list.txt
echo "setup: $(wc -l < .corpus/list.txt) corpus files listed in .corpus/list.txt"
