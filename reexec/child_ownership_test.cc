// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The runner owns its child from start to reap, whatever the calling
// program does with SIGCHLD or its other children, and whatever the child
// does to its process group, its stdout or its own scheduling: real
// hostile parents and children, not mocks.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reexec/leak_check.h"
#include "reexec/reexec.h"

namespace gons::reexec {
namespace {

using ::testing::HasSubstr;

const bool registered = [] {
  Register("exit-3", [] { std::_Exit(3); });
  Register("abort", [] { std::abort(); });
  Register("answer-42", [] { (void)WriteResult(42); });
  // Its grandchild's pid on stderr, then waits to be killed.
  Register("grandchild-then-hang", [] {
    const pid_t grandchild = fork();
    if (grandchild == 0) {
      for (;;) pause();
    }
    std::fprintf(stderr, "grandchild %d\n", static_cast<int>(grandchild));
    std::fflush(stderr);
    for (;;) pause();
  });
  Register("terminate-own-group", [] { kill(0, SIGTERM); });
  Register("stop-self", [] { raise(SIGSTOP); });
  // A string: its closing quote ends it, where a bare number could still
  // go on (json.h: a bare number is complete only at the end of stdout).
  Register("result-then-slow-exit", [] {
    (void)WriteResult(std::string("forty-two"));
    sleep(100);
  });
  Register("stdout-flood", [] {
    const std::string chunk(1 << 16, '1');
    for (;;) {
      if (write(1, chunk.data(), chunk.size()) < 0) return;
    }
  });
  // Writes its pid to the file named by PID_FILE, then waits.
  Register("pid-to-file-then-hang", [] {
    { std::ofstream(std::getenv("PID_FILE")) << getpid() << "\n"; }
    for (;;) pause();
  });
  return true;
}();

// Waits (bounded) until `pid` no longer runs: gone, or a zombie of
// whichever process inherited it.
bool Ended(pid_t pid) {
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (absl::Now() < give_up) {
    std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
    std::string text;
    if (!std::getline(stat, text)) return true;
    const std::size_t close = text.rfind(')');
    if (close != std::string::npos && close + 2 < text.size() &&
        text[close + 2] == 'Z') {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return false;
}

using ChildOwnershipTest = leak_check::NoLeakTest;

TEST_F(ChildOwnershipTest, RealExitStatusWithSigchldIgnored) {
  struct sigaction ignore = {}, previous = {};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(sigaction(SIGCHLD, &ignore, &previous), 0);
  const absl::Status exited = RunReexecAction("exit-3");
  const absl::Status aborted = RunReexecAction("abort");
  int answer = 0;
  const absl::Status answered = RunReexecAction("answer-42", Result(&answer));
  sigaction(SIGCHLD, &previous, nullptr);
  EXPECT_EQ(exited.code(), absl::StatusCode::kUnknown) << exited;
  EXPECT_THAT(exited.message(), HasSubstr("exited with status 3"));
  EXPECT_EQ(aborted.code(), absl::StatusCode::kAborted) << aborted;
  EXPECT_THAT(aborted.message(), HasSubstr("SIGABRT"));
  EXPECT_TRUE(answered.ok()) << answered;
  EXPECT_EQ(answer, 42);
}

// As a server's SIGCHLD handler does, in a thread that never stops.
TEST_F(ChildOwnershipTest, RealExitStatusWithAThreadReapingEveryChild) {
  std::atomic<bool> stop{false};
  std::thread reaper([&] {
    while (!stop.load()) {
      if (waitpid(-1, nullptr, WNOHANG) <= 0) std::this_thread::yield();
    }
  });
  std::vector<absl::Status> statuses;
  for (int i = 0; i < 10; ++i) statuses.push_back(RunReexecAction("exit-3"));
  stop = true;
  reaper.join();
  for (const absl::Status& status : statuses) {
    EXPECT_EQ(status.code(), absl::StatusCode::kUnknown) << status;
    EXPECT_THAT(status.message(), HasSubstr("exited with status 3"));
  }
}

TEST_F(ChildOwnershipTest, TimeoutKillsTheChildsDescendants) {
  std::string standard_error;
  const absl::Status status =
      RunReexecAction("grandchild-then-hang", Timeout(absl::Milliseconds(500)),
                      StandardError(&standard_error));
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  int grandchild = 0;
  ASSERT_EQ(std::sscanf(standard_error.c_str(), "grandchild %d", &grandchild),
            1)
      << standard_error;
  ASSERT_GT(grandchild, 1);
  EXPECT_TRUE(Ended(grandchild));
}

// Before, the child shared the caller's process group: this killed the test.
TEST_F(ChildOwnershipTest, ActionSignallingItsGroupCannotReachTheCaller) {
  const absl::Status status = RunReexecAction("terminate-own-group");
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  EXPECT_THAT(status.message(), HasSubstr("SIGTERM"));
}

TEST_F(ChildOwnershipTest, StoppedChildIsTimedOut) {
  const absl::Time start = absl::Now();
  const absl::Status status =
      RunReexecAction("stop-self", Timeout(absl::Milliseconds(300)));
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));
}

TEST_F(ChildOwnershipTest, ResultCompleteBeforeTheDeadlineIsASuccess) {
  std::string answer;
  const absl::Status status =
      RunReexecAction("result-then-slow-exit", Result(&answer),
                      Timeout(absl::Milliseconds(300)));
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(answer, "forty-two");
}

TEST_F(ChildOwnershipTest, StdoutBeyondTheBoundIsResourceExhausted) {
  std::string result;
  const absl::Status status = RunReexecAction(
      "stdout-flood", Result(&result), MaxResultSize(std::size_t{4} << 20));
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
  EXPECT_THAT(status.message(), HasSubstr("MaxResultSize"));
}

// The caller dies (SIGKILL, so no destructor runs): the child follows.
TEST_F(ChildOwnershipTest, DieWithParentKillsTheChildWithItsCaller) {
  char directory[] = "/tmp/die_with_parent_XXXXXX";
  ASSERT_NE(mkdtemp(directory), nullptr);
  const std::string pid_file = absl::StrCat(directory, "/pid");
  const pid_t caller = fork();
  ASSERT_GE(caller, 0);
  if (caller == 0) {
    (void)RunReexecAction("pid-to-file-then-hang", DieWithParent(true),
                          Environment({"PID_FILE=" + pid_file}));
    _exit(1);
  }
  int child = 0;
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (absl::Now() < give_up) {
    std::ifstream file(pid_file);
    std::string line;
    if (std::getline(file, line) && absl::SimpleAtoi(line, &child)) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(kill(caller, SIGKILL), 0);
  EXPECT_EQ(waitpid(caller, nullptr, 0), caller);
  unlink(pid_file.c_str());
  rmdir(directory);
  ASSERT_GT(child, 1) << "the child never wrote its pid";
  EXPECT_TRUE(Ended(child));
}

}  // namespace
}  // namespace gons::reexec
