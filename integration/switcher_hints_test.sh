#!/usr/bin/env bash
# Copyright 2026 The gons Authors.
# SPDX-License-Identifier: Apache-2.0
#
# The switcher's hints about a refused setns(), on real processes rather
# than the fake system calls of //gons:switcher_test. In a user namespace
# of its own (so alike as root and as an ordinary user), with a holder in
# new net and mount namespaces that this user namespace owns:
#   - under a seccomp filter that refuses setns (tools/seccomp, as a
#     container runtime's default profile does), the status names the
#     filter first and does not say the process lacks CAP_SYS_ADMIN, which
#     it holds over the namespace;
#   - without CAP_SYS_CHROOT (dropped from the bounding set with capsh),
#     entering the mount namespace is refused and the status names that
#     capability, not CAP_SYS_ADMIN, which the process has.
# Each case has a control: the same probe without the restriction is OK.
set -euo pipefail

runfiles="${TEST_SRCDIR}/${TEST_WORKSPACE}"
export PROBE="${runfiles}/tools/probe/probe"
export NO_NAMESPACES="${runfiles}/tools/seccomp/no_namespaces"
export PATH="${PATH}:/usr/sbin:/sbin"  # capsh

if ! why="$("${runfiles}/integration/namespace_check" user mnt net)"; then
  if [[ "${GONS_MUST_WORK:-}" == 1 ]]; then
    echo "FAIL: GONS_MUST_WORK=1, cannot skip: ${why}" >&2
    exit 1
  fi
  echo "SKIPPED: the switcher's hints: ${why}"
  exit 0
fi
command -v capsh >/dev/null || { echo "FAIL: capsh is missing (Debian: libcap2-bin)" >&2; exit 1; }

# Prints one line per probe run: "<label> <code or OK> <message>".
results="$(unshare --user --map-root-user /bin/bash -ec '
  unshare --net --mount sleep 60 &
  holder=$!
  trap "kill ${holder}" EXIT
  for _ in $(seq 1000); do
    [[ "$(readlink /proc/${holder}/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ]] && break
    sleep 0.01
  done
  net="gons_net=/proc/${holder}/ns/net"
  mnt="gons_mnt=/proc/${holder}/ns/mnt"
  run() {
    local label="$1"; shift
    echo "${label} $("$@" | python3 -c "
import json, sys
status = json.load(sys.stdin)[\"status\"]
print(\"OK\" if status[\"ok\"] else status[\"code\"], status.get(\"message\", \"\"))
")"
  }
  run net_control env "${net}" "${PROBE}" || true
  run net_filtered "${NO_NAMESPACES}" env "${net}" "${PROBE}" || true
  run mnt_control env "${mnt}" "${PROBE}" || true
  run mnt_no_chroot capsh --drop=cap_sys_chroot -- -c "${mnt} \"${PROBE}\"" || true
')"
echo "${results}"

failures=0
expect() {  # LABEL PATTERN [--not]
  local line
  line="$(grep "^$1 " <<<"${results}" || true)"
  if [[ "${3:-}" == --not ]]; then
    if grep -qE -- "$2" <<<"${line}"; then
      echo "FAIL: $1 should not match /$2/: ${line}" >&2
      failures=$((failures + 1))
    fi
  elif ! grep -qE -- "$2" <<<"${line}"; then
    echo "FAIL: $1 should match /$2/: ${line}" >&2
    failures=$((failures + 1))
  fi
}
expect net_control '^net_control OK'
expect net_filtered '^net_filtered PERMISSION_DENIED '
expect net_filtered 'likely cause: a seccomp filter is active'
expect net_filtered 'lacks CAP_SYS_ADMIN in its own user namespace' --not
expect mnt_control '^mnt_control OK'
expect mnt_no_chroot '^mnt_no_chroot PERMISSION_DENIED '
expect mnt_no_chroot 'lacks CAP_SYS_CHROOT'
expect mnt_no_chroot 'lacks CAP_SYS_ADMIN' --not
if ((failures > 0)); then
  exit 1
fi
echo "PASS"
