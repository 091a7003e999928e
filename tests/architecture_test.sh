#!/usr/bin/env bash
# Fails when a file under src/<folder>/ includes a header of a folder ARCHITECTURE.md does not allow.
set -euo pipefail
src="$1/src"
declare -A allowed=(
  [util]=""
  [config]="util"
  [http]="util"
  [db]="util"
  [lake]="db util"
  [warehouse]="db util"
  [simulator]="http db util"
  [github]="http util"
  [pypi]="http util"
  [graph]="util"
  [server]="http warehouse db util graph pipeline"
  [pipeline]="github pypi lake warehouse graph db http util"
  [cli]="*"
)
status=0
for dir in "$src"/*/; do
  folder=$(basename "$dir")
  if [[ -z ${allowed[$folder]+set} ]]; then
    echo "architecture: src/$folder/ is not in ARCHITECTURE.md's table (add it there and here)" >&2
    status=1
    continue
  fi
  [[ ${allowed[$folder]} == "*" ]] && continue
  while IFS=: read -r file _ line; do
    used=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$line")
    [[ $used == "$folder" ]] && continue
    if [[ " ${allowed[$folder]} " != *" $used "* ]]; then
      echo "architecture: ${file#"$1"/} includes $used/, which src/$folder/ may not use (allowed: ${allowed[$folder]:-nothing})" >&2
      status=1
    fi
  done < <(grep -rnE '#include "[a-z_]+/' "$dir" || true)
done
exit $status
