#!/bin/bash
# Usage: check_refusal.sh BAZEL
# Builds this workspace with BAZEL and passes when loading fails with the
# fix for both look-alike repositories, fails when anything builds.
set -uo pipefail
cd "$(dirname "$0")"
bazel="$1"

output="$("${bazel}" build //... 2>&1)"
status=$?
"${bazel}" shutdown
echo "${output}"
if (( status == 0 )); then
  echo "FAIL: a workspace with two copies of Abseil and RapidJSON built" >&2
  exit 1
fi
for fix in 'gons_dependencies(abseil = "@com_github_abseil_abseil_cpp")' \
           'gons_dependencies(rapidjson = "@com_github_tencent_rapidjson")'; do
  if ! grep -qF "${fix}" <<<"${output}"; then
    echo "FAIL: the refusal does not show ${fix}" >&2
    exit 1
  fi
done
echo "PASS"
