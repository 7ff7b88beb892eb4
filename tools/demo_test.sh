#!/bin/bash
# Copyright 2026 The gons Authors.
# SPDX-License-Identifier: Apache-2.0
#
# Runs the demo like a user would and checks that it exits 0 and shows each
# of its points. As root it runs it twice: as root, and rootless as uid
# 65534 from a copy that user can read (Bazel's output tree is below root's
# home directory).
set -euo pipefail

tools="${TEST_SRCDIR}/${TEST_WORKSPACE}/tools"

check_output() {
  local who="$1" output="$2" expected
  # The default order is tolerant: root enters the others with its own
  # privileges and the user namespace last; rootless needs the user
  # namespace's privileges first.
  local switches="!user entered, !mnt entered, !ipc entered, !net entered, !uts entered"
  if [[ "${who}" == "as root" ]]; then
    switches="!mnt entered, !ipc entered, !net entered, !uts entered, !user entered"
  fi
  for expected in \
      "== 1. Throwaway namespaces" \
      "host name: gons-demo   uid: 0   gons::Status(): OK" \
      "switches: ${switches}" \
      "host name: gons-bwrap   gons::Status(): OK" \
      "gons::Status(): OK   switches: mnt entered, !net entered" \
      "switches: mnt entered, net failed" \
      "INVALID_ARGUMENT: gons: gons_net=\"/etc/passwd\" is not a" \
      "host name:    gons-demo" \
      "host name:    gons-bwrap" \
      "10.200.0.1/24" \
      "10.200.1.1/24" \
      "gons-demo-tmpfs" \
      "nsinspect: --pid 999999999: no such process" \
      "are gone, and so is"; do
    if ! grep -qF -- "${expected}" <<<"${output}"; then
      echo "FAIL (${who}): the demo's output lacks: ${expected}" >&2
      echo "${output}" >&2
      exit 1
    fi
  done
  # The probe entered the holder's namespaces: "after" equals the holder's.
  if ! grep -qE '^    net +[0-9]+ +([0-9]+) +\1$' <<<"${output}"; then
    echo "FAIL (${who}): no net namespace id matches the holder's" >&2
    exit 1
  fi
  echo "PASS: the demo ${who}"
}

run_demo() {
  local who="$1"
  shift
  local output
  if ! output="$("$@" 2>&1)"; then
    echo "FAIL (${who}): the demo exited non-zero:" >&2
    echo "${output}" >&2
    exit 1
  fi
  check_output "${who}" "${output}"
}

# On a host that refuses namespace calls (here: a seccomp filter like a
# container runtime's), the demo exits non-zero with a line that names what
# was refused and why.
if refused="$("${tools}/seccomp/no_namespaces" "${tools}/demo.sh" 2>&1)"; then
  echo "FAIL: the demo exited 0 under a filter refusing namespace calls:" >&2
  echo "${refused}" >&2
  exit 1
fi
for expected in "unshare(CLONE_NEWUSER) was refused" \
    "by a seccomp filter that refuses namespace calls"; do
  if [[ "${refused}" != *"${expected}"* ]]; then
    echo "FAIL: the demo's failure under the filter lacks: ${expected}" >&2
    echo "${refused}" >&2
    exit 1
  fi
done
echo "PASS: the demo names the refusal: $(tail -1 <<<"${refused}")"

# The demo itself needs namespaces: skip with the host check's cause (or
# fail under GONS_MUST_WORK=1) where this host refuses them.
if ! why="$("${TEST_SRCDIR}/${TEST_WORKSPACE}/integration/namespace_check" \
            user mnt net uts ipc)"; then
  if [[ "${GONS_MUST_WORK:-}" == 1 ]]; then
    echo "FAIL: GONS_MUST_WORK=1, cannot skip the demo: ${why}" >&2
    exit 1
  fi
  echo "SKIPPED: the demo: ${why}"
  exit 0
fi

run_demo "as $(id -un)" "${tools}/demo.sh"

if [[ "$(id -u)" == 0 ]]; then
  copy="$(mktemp -d /tmp/gons-demo-test-XXXXXX)"
  trap 'rm -rf "${copy}"' EXIT
  mkdir "${copy}/probe" "${copy}/nsinspect"
  cp "${tools}/demo.sh" "${copy}/"
  cp "${tools}/probe/probe" "${copy}/probe/"
  cp "${tools}/nsinspect/nsinspect" "${copy}/nsinspect/"
  chmod -R a+rX "${copy}"
  if setpriv --reuid 65534 --regid 65534 --clear-groups true 2>/dev/null; then
    # From /, which every user may enter, without Bazel's runfiles variables
    # (the copy finds its programs next to itself).
    run_demo "rootless" env -u RUNFILES_DIR -C / setpriv --reuid 65534 \
      --regid 65534 --clear-groups "${copy}/demo.sh"
  elif [[ "${GONS_MUST_WORK:-}" == 1 ]]; then
    echo "FAIL: GONS_MUST_WORK=1, cannot skip the rootless run: cannot" \
         "become uid 65534 here (Bazel's sandbox; tag the test no-sandbox)" >&2
    exit 1
  else
    echo "SKIPPED: the rootless run: cannot become uid 65534 here"
  fi
fi
