// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: check_action.h
// -----------------------------------------------------------------------------
//
// The test binary's version of gons::reexec::CheckAction(). A test that
// re-executes itself must not act as a test in the child: the child runs its
// action and exits, without running the suite again, without printing
// GoogleTest's banner into its result, and without touching Bazel's test
// protocol (XML_OUTPUT_FILE, TEST_PREMATURE_EXIT_FILE, the GTEST_SHARD_*
// and TEST_SHARD_* variables), which its environment no longer carries.
//
// Under `bazel coverage` (--collect_code_coverage), the lines that
// only a child runs count too, also when the child entered another mount
// namespace, where the coverage data path does not exist, or another user
// namespace: the parent keeps a descriptor of the coverage directory and
// passes it to each child as descriptor 3; the child writes its data
// through /proc/self/fd/3 into a directory of its own under
// "gons-reexec-coverage/", right before it exits, so a child killed while
// writing damages only its own data. The coverage runtime never writes to
// the child's stderr, which the parent reads as the action's.
//
// //testing:gtest_main calls it; a test with its own main() calls it first.
//
// Example:
//
//   int main(int argc, char** argv) {
//     gons::reexec::CheckActionInTest();  // In a child: runs it, exits.
//     ::testing::InitGoogleTest(&argc, argv);
//     return RUN_ALL_TESTS();
//   }

#ifndef GONS_TESTING_CHECK_ACTION_H_
#define GONS_TESTING_CHECK_ACTION_H_

namespace gons::reexec {

// Call first thing in a test's main(), before any thread is started and
// before GoogleTest is initialized. In a re-executed child it runs the
// requested action, writes the child's coverage data and exits the process
// (see gons::reexec::CheckAction() for the exit codes). Otherwise it
// prepares the children's coverage and test environment, enables
// RunReexecAction(), and returns. Not thread-safe: call it once.
void CheckActionInTest();

}  // namespace gons::reexec

#endif  // GONS_TESTING_CHECK_ACTION_H_
