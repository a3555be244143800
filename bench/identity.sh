#!/usr/bin/env bash
# JSON identity: scans every file of the corpus (.corpus/list.txt) with the
# appxray built from BASE (a commit) and with the one built from the work
# tree (or from HEAD_REV), one process per file and as one batch
# (`scan --out DIR --jobs 2`), and compares the reports by SHA-256. BASE
# scans everything twice: a file whose two BASE reports differ is
# nondeterministic in BASE already, listed and left out of the comparison.
# Prints one hash over all of each run's reports; fails if any report of
# the work tree differs from BASE's.
#
#   bench/identity.sh BASE [HEAD_REV]
#
# Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/identity.sh BASE [HEAD_REV]" >&2; exit 2; }
[ -f .corpus/list.txt ] || { echo "bench: no corpus (run scripts/setup.sh)" >&2; exit 1; }
out=bench/out/identity
rm -rf "$out" && mkdir -p "$out"

# build REV DEST: builds cmd/appxray from a commit ("" = the work tree).
build() {
  if [ -z "$1" ]; then CGO_ENABLED=0 go build -o "$2" ./cmd/appxray; return; fi
  local src; src=$(mktemp -d)
  git archive "$1" | tar -x -C "$src"
  (cd "$src" && CGO_ENABLED=0 go build -o "$2" ./cmd/appxray)
  rm -rf "$src"
}
build "$1" "$PWD/$out/base"
build "${2:-}" "$PWD/$out/head"

mapfile -t files < .corpus/list.txt
# single BIN DIR: one process per file, two at a time, each report named by
# the file's line in the list; a file that cannot be scanned leaves its
# exit code instead of a report.
single() {
  mkdir -p "$2"
  local i=0
  for f in "${files[@]}"; do
    i=$((i + 1))
    printf '%s\0%s\0' "$i" "$f"
  done | xargs -0 -n 2 -P 2 sh -c '"$0" scan --format json "$3" > "$1/$2.json" 2>/dev/null || echo "exit $?" > "$1/$2.json"' "$1" "$2" || true
}
single "$out/base" "$out/base-1"
single "$out/base" "$out/base-2"
single "$out/head" "$out/head-single"
"$out/head" scan --out "$out/head-batch" --jobs 2 "${files[@]}" >/dev/null 2>&1 || true

declare -A flaky=([0]=1) # (a key no file has: an empty array is unset to set -u)
nflaky=0
for i in $(seq 1 ${#files[@]}); do
  cmp -s "$out/base-1/$i.json" "$out/base-2/$i.json" || { flaky[$i]=1; nflaky=$((nflaky + 1)); }
done
# hashes DIR: one hash over the reports of the files BASE scans the same
# way twice.
hashes() {
  for i in $(seq 1 ${#files[@]}); do
    [ -n "${flaky[$i]:-}" ] || sha256sum < "$1/$i.json"
  done | sha256sum | cut -c1-16
}
echo "corpus: ${#files[@]} files; nondeterministic in base (two base runs differ, left out): $nflaky"
for i in "${!flaky[@]}"; do [ "$i" = 0 ] || echo "  nondeterministic: ${files[$((i - 1))]}"; done
hb=$(hashes "$out/base-1")
hh=$(hashes "$out/head-single")
echo "base $(git rev-parse --short "$1"), one process per file: $hb"
echo "head ${2:-work tree}, one process per file: $hh"
bad=0
for i in $(seq 1 ${#files[@]}); do
  [ -n "${flaky[$i]:-}" ] && continue
  if ! cmp -s "$out/base-1/$i.json" "$out/head-single/$i.json"; then
    bad=$((bad + 1))
    [ $bad -le 20 ] && echo "  differs: ${files[$((i - 1))]}"
  fi
done
# The batch report of a file is the same document as its single report.
# Files of the same content share one report, made from one of them (whose
# name it carries, and a bare DEX file's evidence too): it is compared with
# that file's.
declare -A idx
for i in "${!files[@]}"; do idx[${files[$i]}]=$((i + 1)); done
nb=0 db=0
while IFS=$'\t' read -r f r; do
  i=${idx[$f]}
  [ -n "${flaky[$i]:-}" ] && continue
  [ "$(jq -r .file.name "$out/head-batch/$r")" = "$(basename "$f")" ] || continue
  nb=$((nb + 1))
  if ! cmp -s <(jq -S . "$out/head-batch/$r") <(jq -S . "$out/base-1/$i.json"); then
    db=$((db + 1))
    [ $db -le 20 ] && echo "  batch differs: $f"
  fi
done < <(jq -r 'select(.status == "scanned") | [.file, .report] | @tsv' "$out/head-batch/index.jsonl")
echo "head batch (--jobs 2): $nb reports compared (one per content), $db differ"
if [ $bad -eq 0 ] && [ $db -eq 0 ]; then echo "identical"; else echo "NOT identical: $bad single, $db batch"; exit 1; fi
