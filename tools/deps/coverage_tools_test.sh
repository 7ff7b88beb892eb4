#!/usr/bin/env bash
# Copyright 2026 The gons Authors.
# SPDX-License-Identifier: Apache-2.0
#
# The local coverage tools on real gcc data: the lcov merger adds up the
# test's own .gcda tree and its re-executed children's trees, and survives a
# damaged child file; the report generator adds up lcov reports.
set -euo pipefail

tools="${TEST_SRCDIR}/${TEST_WORKSPACE}/tools/deps/coverage_tools.py"
work="$(mktemp -d "${TEST_TMPDIR:-/tmp}/coverage-tools.XXXXXX")"
trap 'rm -rf "${work}"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# A program laid out like Bazel's: sources at the root, objects under
# bazel-out/, compiled from the root with relative paths.
mkdir -p "${work}/root/bazel-out/obj" "${work}/coverage"
cd "${work}/root"
cat > counted.c <<'SOURCE'
int counted(int n) {
  int sum = 0;
  for (int i = 0; i < n; ++i) sum += i;
  return sum;
}
int main(void) { return counted(3) == 3 ? 0 : 1; }
SOURCE
gcc --coverage -c counted.c -o bazel-out/obj/counted.o
gcc --coverage bazel-out/obj/counted.o -o bazel-out/obj/counted
printf '%s\n' counted.c bazel-out/obj/counted.gcno > manifest

# Components of ${work}/root, which GCOV_PREFIX_STRIP removes.
strip="$(tr -cd / <<< "${work}/root" | wc -c)"
run() { GCOV_PREFIX="$1" GCOV_PREFIX_STRIP="${strip}" bazel-out/obj/counted; }
run "${work}/coverage"                                  # The test itself.
run "${work}/coverage/gons-reexec-coverage/child-one"   # Two children.
run "${work}/coverage/gons-reexec-coverage/child-two"
damaged="${work}/coverage/gons-reexec-coverage/child-damaged/bazel-out/obj"
mkdir -p "${damaged}"
echo "not coverage data" > "${damaged}/counted.gcda"

# `bazel coverage` runs the merger with the test's GCOV_PREFIX and
# GCOV_PREFIX_STRIP, which gcov-tool of GCC 16 would apply to the children's
# trees.
GCOV_PREFIX="${work}/coverage" GCOV_PREFIX_STRIP="${strip}" \
  "${tools}" --coverage_dir="${work}/coverage" \
  --output_file="${work}/merged.dat" \
  --source_file_manifest="${work}/root/manifest" \
  --filter_sources='/usr/.+' 2> "${work}/merger.stderr" ||
  fail "the merger failed: $(cat "${work}/merger.stderr")"
grep -q "child-damaged.*not a gcov data file" "${work}/merger.stderr" ||
  fail "the damaged file was not reported: $(cat "${work}/merger.stderr")"
# Three runs: main() and counted() once each, the loop body three times.
grep -qx "SF:counted.c" "${work}/merged.dat" || fail "no counted.c"
grep -qx "FNDA:3,counted" "${work}/merged.dat" ||
  fail "counted() not called 3 times: $(cat "${work}/merged.dat")"
grep -qx "DA:3,12" "${work}/merged.dat" ||
  fail "line 3 not run 12 times: $(cat "${work}/merged.dat")"
grep -qx "LF:5" "${work}/merged.dat" || fail "$(cat "${work}/merged.dat")"

# Without the notes in the manifest, the object is outside the report.
echo counted.c > manifest-without-notes
"${tools}" --coverage_dir="${work}/coverage" \
  --output_file="${work}/filtered.dat" \
  --source_file_manifest="${work}/root/manifest-without-notes" 2>/dev/null
[[ ! -s "${work}/filtered.dat" ]] || fail "$(cat "${work}/filtered.dat")"

# The report generator adds up the reports that Bazel lists.
cat > "${work}/second.dat" <<'REPORT'
SF:counted.c
FN:1,counted
FNDA:1,counted
DA:3,4
DA:7,1
end_of_record
SF:other.c
DA:1,0
end_of_record
REPORT
printf '%s\n' "${work}/merged.dat" "${work}/second.dat" > "${work}/reports"
"${tools}" --reports_file="${work}/reports" \
  --output_file="${work}/combined.dat"
grep -qx "FNDA:4,counted" "${work}/combined.dat" || fail "$(cat "${work}/combined.dat")"
grep -qx "DA:3,16" "${work}/combined.dat" || fail "$(cat "${work}/combined.dat")"
grep -qx "SF:other.c" "${work}/combined.dat" || fail "$(cat "${work}/combined.dat")"

# Bad input is refused with a message.
if "${tools}" --coverage_dir=x --bogus=1 2> "${work}/usage"; then
  fail "an unknown flag was accepted"
fi
grep -q "unexpected argument '--bogus=1'" "${work}/usage" || fail "$(cat "${work}/usage")"
echo PASS
