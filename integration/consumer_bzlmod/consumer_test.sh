#!/bin/bash
# The consumer module's binary has the switcher running before main() and
# runs an action in a re-executed child inside a throwaway UTS namespace
# (made here with unshare, killed on exit): the child reports that
# namespace's host name, not this one's.
set -euo pipefail
consumer=./consumer

if ! unshare --uts true 2>/dev/null; then
  if [[ "${GONS_MUST_WORK:-}" == 1 ]]; then
    echo "FAIL: cannot make a UTS namespace (unshare --uts)" >&2
    exit 1
  fi
  echo "SKIP: cannot make a UTS namespace here (needs root)"
  exit 0
fi

exec {from_holder}< <(exec unshare --uts /bin/sh -c \
  'hostname gons-consumer-child && echo ready && exec sleep infinity')
holder=$!
trap 'kill -KILL "${holder}" 2>/dev/null || true; wait "${holder}" 2>/dev/null || true' EXIT
read -r line <&"${from_holder}"
[[ "${line}" == ready ]]

output="$("${consumer}" "/proc/${holder}/ns/uts")"
echo "${output}"
[[ "$(sed -n 1p <<<"${output}")" == OK ]]
[[ "$(sed -n 2p <<<"${output}")" == gons-consumer-child ]]
[[ "$(hostname)" != gons-consumer-child ]]
echo "PASS"
