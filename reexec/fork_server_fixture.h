// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: fork_server_fixture.h
// -----------------------------------------------------------------------------
//
// What the fork server's end-to-end tests share (fork_server_test.cc, the
// calls; fork_server_recovery_test.cc, helpers and copies that die): the
// actions they run, registered by linking this library (each test binary
// is its own helper: its main() is //testing:gtest_main, which calls
// CheckAction()), a fixture that checks nothing is left behind, and
// readers of the processes' state in /proc.
//
// Example:
//
//   using fork_server_testing::ForkServerTest;
//   TEST_F(ForkServerTest, Answers) {
//     EXPECT_TRUE(RunReexecAction("answer", ForkServer(true)).ok());
//   }
//
// Test-only.

#ifndef GONS_REEXEC_FORK_SERVER_FIXTURE_H_
#define GONS_REEXEC_FORK_SERVER_FIXTURE_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace gons::reexec::fork_server_testing {

// Returns the contents of `path`, or "" when it cannot be read.
std::string ReadFile(const std::string& path);

// Returns the pids of `pid`'s children.
std::vector<pid_t> ChildrenOf(pid_t pid);

// Returns the state letter of a process (R, S, Z...), or '?' once it is
// gone.
char ProcessState(pid_t pid);

// Returns a process's name (/proc/PID/comm, with its newline).
std::string Name(pid_t pid);

// Returns whether the helper has no child but one spare (a copy waiting for
// its request, named so by fork_server_copy.cc until its action is named).
bool HasOnlyItsSpare(pid_t helper);

// Waits until the helper has no child but its spare, which it forks once
// nothing is pending, or 10 seconds passed; returns whether it came to that.
bool AwaitOnlyItsSpare(pid_t helper);

// Forks this test process, runs `report` in the copy, which then exits
// with std::exit(0) (its exit handlers run, the fork server's among
// them), and returns the text `report` returned there, once the copy is
// reaped; a failure of the test when it did not exit with 0. `report`
// must not use GoogleTest's assertions (the copy's are not counted).
std::string ReportOfForkedProcess(absl::FunctionRef<std::string()> report);

// Returns a failure's message without the child's stderr.
std::string RunnerWords(const absl::Status& status);

// Warms the helper up before each test, and checks after it that nothing
// is left behind: no descriptor, no child but the helper, and none of the
// helper's but its spare.
class ForkServerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::vector<int> descriptors_;
};

}  // namespace gons::reexec::fork_server_testing

#endif  // GONS_REEXEC_FORK_SERVER_FIXTURE_H_
