#!/bin/bash
# The consumer's binary has the switcher linked in and running before main():
# without variables it is OK, and a gons_* variable is acted upon (a missing
# path is reported, which a hook that never ran could not do).
set -euo pipefail
consumer=./consumer

"${consumer}" | grep -qx OK

if output=$(gons_uts=/nonexistent/uts "${consumer}"); then
  echo "FAIL: a missing namespace path was accepted: ${output}" >&2
  exit 1
fi
echo "${output}"
grep -q 'NOT_FOUND: gons: gons_uts="/nonexistent/uts": opening failed' \
  <<<"${output}"
echo "PASS"
