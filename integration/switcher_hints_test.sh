#!/usr/bin/env bash
# Copyright 2026 The gons Authors.
# SPDX-License-Identifier: Apache-2.0
#
# The switcher's hints about a refused setns(), on real processes rather
# than the fake system calls of //gons:switcher_test:
#   - under a seccomp filter that refuses setns (tools/seccomp, as a
#     container runtime's default profile does), the status names the filter
#     and blames no capability the process has;
#   - a process without CAP_SYS_CHROOT (dropped from its bounding set with
#     capsh) that enters a mount namespace is told that capability, not
#     CAP_SYS_ADMIN, which it has.
# Each case has a control: the same probe without the restriction is OK.
# Runs alike as root and as an ordinary user: the mount namespace case
# works inside a user namespace of its own (unshare --map-root-user).
set -euo pipefail

runfiles="${TEST_SRCDIR}/${TEST_WORKSPACE}"
probe="${runfiles}/tools/probe/probe"
no_namespaces="${runfiles}/tools/seccomp/no_namespaces"
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# Prints the probe's status message; `expect` is OK or an error code.
probe_status() {
  "$@" | python3 -c '
import json, sys
status = json.load(sys.stdin)["status"]
print(status["code"] if not status["ok"] else "OK")
print(status.get("message", ""))'
}

# Case 1: a seccomp filter refuses setns(). Entering the caller's own net
# namespace needs no privilege beyond CAP_SYS_ADMIN over it, which root
# has; the filter refuses it anyway.
if [[ "$(id -u)" != 0 ]]; then
  echo "no control for the seccomp case: only root may enter its own net namespace"
elif grep -qE '^Seccomp:[[:space:]]+2$' /proc/self/status; then
  echo "no control for the seccomp case: this test already runs under a filter"
else
  control="$(probe_status env gons_net=/proc/self/ns/net "${probe}" || true)"
  [[ "${control}" == OK* ]] || fail "without the filter: ${control}"
fi
filtered="$(probe_status "${no_namespaces}" env \
  gons_net=/proc/self/ns/net "${probe}" || true)"
echo "under the seccomp filter: ${filtered}"
[[ "${filtered}" == PERMISSION_DENIED* ]] || fail "code: ${filtered}"
grep -q "seccomp filter" <<<"${filtered}" || fail "no seccomp hint: ${filtered}"
if [[ "$(id -u)" == 0 ]] &&
   grep -q "lacks CAP_SYS_ADMIN" <<<"${filtered}"; then
  fail "root was told it lacks CAP_SYS_ADMIN: ${filtered}"
fi

# Case 2: no CAP_SYS_CHROOT. Needs a user and a mount namespace.
if ! why="$("${runfiles}/integration/namespace_check" user mnt)"; then
  if [[ "${GONS_MUST_WORK:-}" == 1 ]]; then
    fail "GONS_MUST_WORK=1, cannot skip the CAP_SYS_CHROOT case: ${why}"
  else
    echo "SKIPPED: the CAP_SYS_CHROOT case: ${why}"
  fi
else
  export probe
  chroot_case="$(unshare --user --map-root-user /bin/bash -ec '
    unshare --mount sleep 60 &
    holder=$!
    trap "kill ${holder}" EXIT
    # Wait until the holder runs in its own mount namespace.
    for _ in $(seq 1000); do
      [[ "$(readlink /proc/${holder}/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ]] && break
      sleep 0.01
    done
    echo "== control"
    gons_mnt=/proc/${holder}/ns/mnt "${probe}" || true
    echo
    echo "== without CAP_SYS_CHROOT"
    capsh --drop=cap_sys_chroot -- -c \
      "gons_mnt=/proc/${holder}/ns/mnt \"${probe}\"" || true
    echo')"
  control="$(sed -n '/^== control$/,/^== without/p' <<<"${chroot_case}" |
             sed -n 2p | probe_status cat || true)"
  dropped="$(sed -n '/^== without CAP_SYS_CHROOT$/,$p' <<<"${chroot_case}" |
             sed -n 2p | probe_status cat || true)"
  echo "with CAP_SYS_CHROOT: ${control}"
  echo "without CAP_SYS_CHROOT: ${dropped}"
  [[ "${control}" == OK* ]] || fail "control: ${control}"
  [[ "${dropped}" == PERMISSION_DENIED* ]] || fail "code: ${dropped}"
  grep -q "lacks CAP_SYS_CHROOT" <<<"${dropped}" ||
    fail "no CAP_SYS_CHROOT hint: ${dropped}"
  if grep -q "lacks CAP_SYS_ADMIN" <<<"${dropped}"; then
    fail "told it lacks CAP_SYS_ADMIN, which it has: ${dropped}"
  fi
fi

if ((failures > 0)); then
  exit 1
fi
echo "PASS"
