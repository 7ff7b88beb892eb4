// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: child_coverage.h
// -----------------------------------------------------------------------------
//
// gcc's coverage runtime (libgcov) across re-execution. libgcov writes each
// object's counters when the process exits, to the .gcda path compiled into
// it, below $GCOV_PREFIX after removing $GCOV_PREFIX_STRIP leading
// components; it reads both variables when it writes, and merges into an
// existing file under a lock. A child in another mount namespace cannot
// reach that path, so the parent passes the child a descriptor of the
// directory instead. Internal to //testing; see check_action.h.

#ifndef GONS_TESTING_CHILD_COVERAGE_H_
#define GONS_TESTING_CHILD_COVERAGE_H_

#include <string>
#include <vector>

namespace gons::reexec::internal {

// The subdirectory of $GCOV_PREFIX below which each child writes its data,
// into a directory of its own; tools/deps/coverage_tools.py reads them all.
inline constexpr char kChildCoverageDirectory[] = "gons-reexec-coverage";

// Whether the program was built by `bazel coverage` (or with
// --collect_code_coverage), and so links gcc's coverage runtime.
bool CoverageRuntimeLinked();

// What the parent passes to its children for their coverage: a descriptor
// of the coverage directory (opened here, kept for the process's life) and
// the GCOV_PREFIX through it. Empty when coverage is off or the directory
// cannot be opened. Call once, before any thread.
struct ChildCoverage {
  int directory = -1;
  std::vector<std::string> variables;
};
ChildCoverage PrepareChildCoverage();

// In a child, at start: keeps the passed descriptor from leaking into
// programs that the action may execute.
void ProtectPassedDirectory();

// In a child, right before _exit(): writes its coverage data into a
// directory of its own, with stderr pointed at a descriptor that refuses
// writes, so that the runtime's complaints never reach the parent (the
// first one lands in gcov-errors.txt there: libgcov sends only its first
// message to GCOV_ERROR_FILE).
void WriteChildCoverage();

}  // namespace gons::reexec::internal

#endif  // GONS_TESTING_CHILD_COVERAGE_H_
