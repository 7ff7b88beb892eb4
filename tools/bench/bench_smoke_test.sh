#!/usr/bin/env bash
# Copyright 2026 The gons Authors.
# SPDX-License-Identifier: Apache-2.0
#
# Runs the benchmark with --quick and checks that it printed its whole
# table: every section and the closing line. Figures are not checked.
set -euo pipefail

# The benchmark makes its own namespaces, a user namespace first even as
# root. Where the host forbids that, skip with the host check's cause,
# unless GONS_MUST_WORK=1 (CI), where a skip would hide a broken host.
if ! reason="$(integration/namespace_check user mnt net uts ipc cgroup time)"; then
  if [[ "${GONS_MUST_WORK:-}" == 1 ]]; then
    echo "FAILED (GONS_MUST_WORK=1): ${reason}" >&2
    exit 1
  fi
  echo "SKIPPED: ${reason}"
  exit 0
fi

output="$(tools/bench/bench --quick)" || {
  echo "bench --quick failed; its output:" >&2
  echo "${output:-}" >&2
  exit 1
}
echo "${output}"
for expected in \
    "| measurement" "**Start-up" "**Entering N namespaces" \
    "**Reexec round trip" "**Fork server round trip" \
    "**Param and result of 1 MiB" \
    "**An action in each of 8" "gons reexec echo" \
    "**nsinspect: one call over 50 throwaway targets" \
    "**In-process namespace thread" "RunInNamespaces, fresh thread" \
    "load average at end"; do
  if [[ "${output}" != *"${expected}"* ]]; then
    echo "missing from the table: ${expected}" >&2
    exit 1
  fi
done
echo "bench_smoke_test: the table is complete"
