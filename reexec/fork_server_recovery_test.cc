// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The fork server when a process of it dies, on real processes: a copy
// that crashes, a helper killed between calls, before its copy starts or
// during a call, a spare that died, a caller that forked, and the spare at
// the program's end. Every case ends as fork_server_fixture.h checks.

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reexec/fork_server.h"
#include "reexec/fork_server_fixture.h"
#include "reexec/leak_check.h"
#include "reexec/reexec.h"

namespace gons::reexec {
namespace {

using fork_server_testing::AwaitOnlyItsSpare;
using fork_server_testing::ChildrenOf;
using fork_server_testing::ForkServerTest;
using fork_server_testing::Name;
using fork_server_testing::ProcessState;
using fork_server_testing::ReportOfForkedProcess;
using internal::ForkServerHelperPid;
using ::testing::HasSubstr;

TEST_F(ForkServerTest, CrashingCopyLeavesTheHelperServing) {
  const pid_t helper = ForkServerHelperPid();
  const absl::Status status = RunReexecAction("abort", ForkServer(true));
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  EXPECT_THAT(status.message(), HasSubstr("SIGABRT"));
  int answer = 0;
  ASSERT_TRUE(
      RunReexecAction("answer", Result(&answer), ForkServer(true)).ok());
  EXPECT_EQ(answer, 42);
  EXPECT_EQ(ForkServerHelperPid(), helper);
}

TEST_F(ForkServerTest, HelperKilledBetweenCallsIsReplaced) {
  const pid_t helper = ForkServerHelperPid();
  ASSERT_EQ(kill(helper, SIGKILL), 0);
  // It stays a zombie until its owner reaps it.
  while (ProcessState(helper) != 'Z') absl::SleepFor(absl::Milliseconds(1));
  int answer = 0;
  const absl::Status status =
      RunReexecAction("answer", Result(&answer), ForkServer(true));
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(answer, 42);
  EXPECT_NE(ForkServerHelperPid(), helper);
  EXPECT_GT(ForkServerHelperPid(), 0);
  EXPECT_EQ(ProcessState(helper), '?');  // Reaped.
}

// A request sent to a stopped helper that is then killed: the call starts
// a new helper and runs the action there, once. (Should the kill come
// before the request was sent, the call finds the helper dead and
// replaces it before sending: the outcome is the same.)
TEST_F(ForkServerTest, HelperThatDiesBeforeItsCopyStartsIsReplacedOnce) {
  const pid_t helper = ForkServerHelperPid();
  ASSERT_EQ(kill(helper, SIGSTOP), 0);
  while (ProcessState(helper) != 'T') absl::SleepFor(absl::Milliseconds(1));
  absl::Status status;
  std::vector<int> pids;
  std::thread call([&status, &pids] {
    status = RunReexecAction("pids", Result(&pids), ForkServer(true));
  });
  absl::SleepFor(absl::Milliseconds(50));  // Likely sent by now.
  ASSERT_EQ(kill(helper, SIGKILL), 0);
  call.join();
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(pids.size(), 3u);
  EXPECT_NE(pids[1], helper);
  EXPECT_EQ(pids[1], ForkServerHelperPid());
}

TEST_F(ForkServerTest, HelperKilledDuringACallFailsItClearly) {
  const pid_t helper = ForkServerHelperPid();
  std::thread killer([helper] {
    // Once the copy runs the action (RunAction() names the process).
    for (bool running = false; !running;) {
      for (const pid_t copy : ChildrenOf(helper)) {
        running = running || Name(copy) == "hang\n";
      }
      if (!running) absl::SleepFor(absl::Milliseconds(1));
    }
    kill(helper, SIGKILL);
  });
  const absl::Status status =
      RunReexecAction("hang", Timeout(absl::Seconds(60)), ForkServer(true));
  killer.join();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_THAT(status.message(), HasSubstr("helper ended while the copy ran"));
  // The next call gets a new helper.
  ASSERT_TRUE(RunReexecAction("answer", ForkServer(true)).ok());
  EXPECT_NE(ForkServerHelperPid(), helper);
}

TEST_F(ForkServerTest, ForkedCallerStartsItsOwnHelper) {
  const pid_t helper = ForkServerHelperPid();
  const std::string report = ReportOfForkedProcess([] {
    std::vector<int> pids;
    const absl::Status status =
        RunReexecAction("pids", Result(&pids), ForkServer(true));
    const pid_t own = ForkServerHelperPid();
    return absl::StrCat(status.ok() ? "ok" : status.ToString(), " ", own, " ",
                        pids.size() == 3 ? pids[1] : -1, " ",
                        ChildrenOf(own).size());
  });
  const std::vector<std::string> words = absl::StrSplit(report, ' ');
  ASSERT_EQ(words.size(), 4u) << report;
  EXPECT_EQ(words[0], "ok") << report;
  EXPECT_NE(words[1], absl::StrCat(helper)) << "the parent's helper, shared";
  EXPECT_EQ(words[2], words[1]) << "the copy's parent is the child's helper";
  // The parent's helper is untouched and still serves.
  EXPECT_EQ(ForkServerHelperPid(), helper);
  ASSERT_TRUE(RunReexecAction("answer", ForkServer(true)).ok());
}

// The spare (forked ahead of the next request) is the helper's child like
// any copy: one killed while it waits is reaped, and the next call gets a
// fresh copy.
TEST_F(ForkServerTest, SpareThatDiedIsReplaced) {
  const pid_t helper = ForkServerHelperPid();
  ASSERT_TRUE(AwaitOnlyItsSpare(helper));
  const std::vector<pid_t> spares = ChildrenOf(helper);
  ASSERT_EQ(spares.size(), 1u);
  const pid_t spare = spares[0];
  ASSERT_EQ(kill(spare, SIGKILL), 0);
  while (ProcessState(spare) != '?') absl::SleepFor(absl::Milliseconds(1));
  std::vector<int> pids;
  const absl::Status status =
      RunReexecAction("pids", Result(&pids), ForkServer(true));
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(pids.size(), 3u);
  EXPECT_NE(pids[0], spare);
  EXPECT_EQ(pids[1], helper);
  EXPECT_EQ(ForkServerHelperPid(), helper);
}

// A copy holds nothing of another call's, also of one that runs while it
// is forked: the helper's descriptors for that call are closed before the
// copy waits for its request.
TEST_F(ForkServerTest, SpareEndsWithTheProgram) {
  // The copy's exit handler stops its helper, and so its spare.
  const std::string report = ReportOfForkedProcess([] {
    const absl::Status status = RunReexecAction("answer", ForkServer(true));
    const pid_t own = ForkServerHelperPid();
    const bool spared = status.ok() && AwaitOnlyItsSpare(own);
    const std::vector<pid_t> spares = ChildrenOf(own);
    return absl::StrCat(spared ? "ok" : status.ToString(), " ", own, " ",
                        spares.size() == 1 ? spares[0] : -1);
  });
  const std::vector<std::string> words = absl::StrSplit(report, ' ');
  ASSERT_EQ(words.size(), 3u) << report;
  ASSERT_EQ(words[0], "ok") << report;
  pid_t own = 0;
  pid_t spare = 0;
  ASSERT_TRUE(absl::SimpleAtoi(words[1], &own)) << report;
  ASSERT_TRUE(absl::SimpleAtoi(words[2], &spare)) << report;
  ASSERT_GT(spare, 0) << report;
  EXPECT_EQ(ProcessState(own), '?');
  EXPECT_EQ(ProcessState(spare), '?');
}

}  // namespace
}  // namespace gons::reexec
