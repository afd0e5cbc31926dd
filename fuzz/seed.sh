#!/usr/bin/env bash
# Seeds the fuzz corpus with every input manifest of testdata/ and examples/.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/pipeline
find ../testdata ../examples -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name 'stdin.txt' \) |
  while read -r f; do cp "$f" "corpus/pipeline/$(echo "$f" | tr '/.' '__')"; done
echo "seeded $(ls corpus/pipeline | wc -l) inputs"
