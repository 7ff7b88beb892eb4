#!/usr/bin/env bash
# Copyright 2026 The gons Authors.
# SPDX-License-Identifier: Apache-2.0
#
# Checks the seccomp launcher against the standard tools (unshare, nsenter)
# and checks that the host check of //integration names each restriction:
# the launcher's filter, user.max_user_namespaces=0 (set inside a throwaway
# user namespace, where the limit is its own), and no restriction at all.
set -uo pipefail

launcher="tools/seccomp/no_namespaces"
check="integration/namespace_check"
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$(( failures + 1 ))
}

expect_output() {  # NAME EXPECTED OUTPUT
  if [[ "$3" != *"$2"* ]]; then
    fail "$1: the output lacks '$2': $3"
  else
    echo "PASS: $1: $3"
  fi
}

# The filter: namespace calls refused, everything else (fork, threads,
# exec) works.
if ! "${launcher}" sh -c 'true' ; then
  fail "a plain command does not run under the launcher"
fi
output="$("${launcher}" unshare --user true 2>&1)" &&
  fail "unshare --user worked under the filter"
expect_output "unshare --user under the filter" "Operation not permitted" \
  "${output}"
output="$("${launcher}" nsenter --uts=/proc/self/ns/uts true 2>&1)" &&
  fail "nsenter worked under the filter"
expect_output "nsenter under the filter" "Operation not permitted" "${output}"
grep -q '^Seccomp:.2' <("${launcher}" cat /proc/self/status) ||
  fail "no seccomp filter in the launched process's status"

# The host check names the filter and the refused call.
for who in "" "--rootless"; do
  output="$("${launcher}" "${check}" ${who} user net)" &&
    fail "the check ${who} passed under the filter"
  expect_output "the check ${who} under the filter" \
    "unshare(CLONE_NEWUSER)" "${output}"
  expect_output "the check ${who} under the filter" \
    "a seccomp filter that refuses namespace calls" "${output}"
done

if unshare --user --map-root-user true 2>/dev/null; then
  # Permissive here: the check passes, for the caller and an ordinary user
  # (when root, the check runs the probe as uid 65534 itself).
  output="$("${check}" user mnt net)" || fail "the check failed: ${output}"
  if [[ "$(id -u)" == 0 ]]; then
    output="$("${check}" uts net)" || fail "the check as root failed: ${output}"
  fi
  # In a user namespace whose user.max_user_namespaces is 0, the check names
  # the sysctl (nested namespaces then cannot be made).
  output="$(unshare --user --map-root-user sh -c \
    'echo 0 > /proc/sys/user/max_user_namespaces && exec "$0" user net' \
    "${check}")" && fail "the check passed with user.max_user_namespaces=0"
  expect_output "the check with user.max_user_namespaces=0" \
    "user.max_user_namespaces=0" "${output}"
  expect_output "the check with user.max_user_namespaces=0" \
    "No space left on device" "${output}"
elif [[ "${GONS_MUST_WORK:-}" == 1 ]]; then
  fail "GONS_MUST_WORK=1, cannot skip the permissive and sysctl cases:" \
       "$(id -un) cannot make a user namespace here"
else
  echo "SKIPPED: the permissive and sysctl cases: this host does not let" \
       "$(id -un) make a user namespace"
fi

(( failures == 0 ))
