// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The fork server end to end, on real processes: this test binary is its
// own helper (its main() is //testing:gtest_main, which calls
// CheckAction()). Each case compares with the spawn path where both apply,
// and every case ends with the same descriptors as it began and no child
// but the helper, which has none but its spare.

#include "reexec/fork_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gons/environment.h"
#include "gons/gons.h"
#include "gtest/gtest.h"
#include "reexec/leak_check.h"
#include "reexec/reexec.h"
#include "reexec/started_child.h"

namespace gons::reexec {
namespace {

using internal::ForkServerHelperPid;
using leak_check::OpenDescriptors;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

// The pids of `pid`'s children.
std::vector<pid_t> ChildrenOf(pid_t pid) {
  std::vector<pid_t> children;
  for (absl::string_view word : absl::StrSplit(
           ReadFile(absl::StrCat("/proc/", pid, "/task/", pid, "/children")),
           ' ', absl::SkipEmpty())) {
    pid_t child = 0;
    if (absl::SimpleAtoi(word, &child)) children.push_back(child);
  }
  return children;
}

// The state letter of a process (R, S, Z...), or '?' once it is gone.
char ProcessState(pid_t pid) {
  const std::string stat = ReadFile(absl::StrCat("/proc/", pid, "/stat"));
  const std::size_t end = stat.rfind(')');
  return end == std::string::npos || end + 2 >= stat.size() ? '?'
                                                            : stat[end + 2];
}

std::string Name(pid_t pid) {
  return ReadFile(absl::StrCat("/proc/", pid, "/comm"));
}

// Whether the helper has no child but one spare (a copy waiting for its
// request, named so by fork_server_copy.cc until its action is named).
bool HasOnlyItsSpare(pid_t helper) {
  const std::vector<pid_t> children = ChildrenOf(helper);
  return children.size() <= 1 &&
         (children.empty() || Name(children[0]) == "gons-spare\n");
}

// Waits until the helper has no child but its spare, which it forks once
// nothing is pending, or 10 seconds passed; returns whether it came to that.
bool AwaitOnlyItsSpare(pid_t helper) {
  for (int attempt = 0; attempt < 10000; ++attempt) {
    if (HasOnlyItsSpare(helper) && !ChildrenOf(helper).empty()) return true;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return HasOnlyItsSpare(helper);
}

// Reads the report a forked test process writes to `read_end` until it
// closes it, then reaps that process, which must have exited with 0.
std::string ReportOfForkedChild(pid_t child, int read_end) {
  std::string report;
  char buffer[256];
  for (ssize_t got; (got = read(read_end, buffer, sizeof(buffer))) > 0;) {
    report.append(buffer, static_cast<std::size_t>(got));
  }
  close(read_end);
  int wait_status = 0;
  EXPECT_EQ(waitpid(child, &wait_status, 0), child);
  EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0)
      << "the forked test process ended with status " << wait_status;
  return report;
}

// A failure's message without the child's stderr.
std::string RunnerWords(const absl::Status& status) {
  const absl::string_view message = status.message();
  return std::string(message.substr(0, message.find("; child stderr: ")));
}

const bool registered = [] {
  Register("answer", [] { std::printf("42\n"); });
  Register("echo", [] {
    absl::StatusOr<std::string> param = ReadParam<std::string>();
    if (!param.ok()) std::abort();
    (void)WriteResult(*param);
  });
  // "SIZE CAPACITY" of the param as ReadParam() returns it.
  Register("param-capacity", [] {
    absl::StatusOr<std::string> param = ReadParam<std::string>();
    if (!param.ok()) std::abort();
    (void)WriteResult(absl::StrCat(param->size(), " ", param->capacity()));
  });
  Register("small-result", [] {
    if (!ReadParam<std::string>().ok()) std::abort();
    (void)WriteResult(std::string("ok"));
  });
  Register("getenv", [] {
    const char* value = std::getenv("GONS_TEST_VALUE");
    (void)WriteResult(std::string(value != nullptr ? value : "<unset>"));
  });
  Register("pids", [] {
    (void)WriteResult(std::vector<int>{getpid(), getppid(), getpgrp()});
  });
  Register("own-descriptors", [] { (void)WriteResult(OpenDescriptors()); });
  Register("garbage", [] { std::printf("this is not JSON\n"); });
  Register("string", [] { std::printf("\"text\"\n"); });
  Register("complain-and-exit-3", [] {
    std::fprintf(stderr, "something went wrong\n");
    _exit(3);
  });
  Register("abort", [] { std::abort(); });
  Register("segfault", [] { raise(SIGSEGV); });
  Register("hang", [] {
    for (;;) pause();
  });
  Register("result-then-hang", [] {
    std::printf("42\n");
    std::fflush(stdout);
    for (;;) pause();
  });
  Register("gons-status",
           [] { (void)WriteResult(std::string(gons::Status().ToString())); });
  return true;
}();

class ForkServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The helper is started by the first call and then stays: it, its
    // control socket and its pidfd are not leaks.
    const absl::Status warm = RunReexecAction("answer", ForkServer(true));
    ASSERT_TRUE(warm.ok()) << warm;
    descriptors_ = OpenDescriptors();
  }
  void TearDown() override {
    // Nothing left behind: no descriptor, and no child but the helper,
    // which has none but its spare.
    const pid_t helper = ForkServerHelperPid();
    ASSERT_GT(helper, 0);
    EXPECT_EQ(OpenDescriptors(), descriptors_);
    EXPECT_THAT(ChildrenOf(getpid()), ElementsAre(helper));
    EXPECT_TRUE(AwaitOnlyItsSpare(helper))
        << ::testing::PrintToString(ChildrenOf(helper));
  }
  std::vector<int> descriptors_;
};

TEST_F(ForkServerTest, ReturnsTheSameAsTheSpawnPath) {
  // A param only for the action that reads it: a child that exits without
  // reading one may or may not have taken it, on either path.
  for (const char* action :
       {"answer", "echo", "garbage", "string", "complain-and-exit-3", "abort",
        "segfault", "no-such-action"}) {
    const bool echo = std::string(action) == "echo";
    int number = 0;
    std::string text;
    std::string spawned_error, forked_error;
    const absl::Status spawned_int =
        echo ? RunReexecAction(action, Param("a param"), Result(&number),
                               StandardError(&spawned_error))
             : RunReexecAction(action, Result(&number),
                               StandardError(&spawned_error));
    const int spawned_number = std::exchange(number, 0);
    const absl::Status forked_int =
        echo ? RunReexecAction(action, Param("a param"), Result(&number),
                               StandardError(&forked_error), ForkServer(true))
             : RunReexecAction(action, Result(&number),
                               StandardError(&forked_error), ForkServer(true));
    // A sanitizer's report of a crash names the pid and addresses: only
    // the runner's own words are compared then.
    const bool crashes =
        std::string(action) == "abort" || std::string(action) == "segfault";
    if (crashes) {
      EXPECT_EQ(forked_int.code(), spawned_int.code()) << action;
      EXPECT_EQ(RunnerWords(forked_int), RunnerWords(spawned_int)) << action;
    } else {
      EXPECT_EQ(forked_int, spawned_int) << action;
      EXPECT_EQ(forked_error, spawned_error) << action;
    }
    EXPECT_EQ(number, spawned_number) << action;
    const absl::Status spawned_text =
        echo ? RunReexecAction(action, Param("a param"), Result(&text))
             : RunReexecAction(action, Result(&text));
    const std::string spawned_value = std::exchange(text, "");
    const absl::Status forked_text =
        echo ? RunReexecAction(action, Param("a param"), Result(&text),
                               ForkServer(true))
             : RunReexecAction(action, Result(&text), ForkServer(true));
    EXPECT_EQ(forked_text.code(), spawned_text.code()) << action;
    EXPECT_EQ(RunnerWords(forked_text), RunnerWords(spawned_text)) << action;
    if (!crashes) {
      EXPECT_EQ(forked_text, spawned_text) << action;
    }
    EXPECT_EQ(text, spawned_value) << action;
  }
}

TEST_F(ForkServerTest, PassesTheCallsEnvironment) {
  std::string spawned, forked;
  ASSERT_TRUE(RunReexecAction("getenv", Environment({"GONS_TEST_VALUE=x"}),
                              Result(&spawned))
                  .ok());
  ASSERT_TRUE(RunReexecAction("getenv", Environment({"GONS_TEST_VALUE=x"}),
                              Result(&forked), ForkServer(true))
                  .ok());
  EXPECT_EQ(forked, "x");
  EXPECT_EQ(forked, spawned);
  // Not kept for the next call.
  ASSERT_TRUE(
      RunReexecAction("getenv", Result(&forked), ForkServer(true)).ok());
  EXPECT_EQ(forked, "<unset>");
}

TEST_F(ForkServerTest, CopyHasTheSpawnedChildsDescriptors) {
  std::vector<int> spawned, forked;
  ASSERT_TRUE(RunReexecAction("own-descriptors", Result(&spawned)).ok());
  ASSERT_TRUE(
      RunReexecAction("own-descriptors", Result(&forked), ForkServer(true))
          .ok());
  EXPECT_EQ(forked, spawned);
}

TEST_F(ForkServerTest, EachCallIsAFreshCopyOfOneHelper) {
  const pid_t helper = ForkServerHelperPid();
  std::vector<int> first, second;
  ASSERT_TRUE(RunReexecAction("pids", Result(&first), ForkServer(true)).ok());
  ASSERT_TRUE(RunReexecAction("pids", Result(&second), ForkServer(true)).ok());
  ASSERT_EQ(first.size(), 3u);
  ASSERT_EQ(second.size(), 3u);
  EXPECT_EQ(ForkServerHelperPid(), helper);
  EXPECT_NE(first[0], second[0]);
  EXPECT_NE(first[0], helper);
  EXPECT_EQ(first[1], helper);    // The helper is the copy's parent...
  EXPECT_EQ(first[2], first[0]);  // ...and the copy leads its own group.
  EXPECT_EQ(second[1], helper);
}

TEST_F(ForkServerTest, TimeoutKillsTheCopy) {
  const absl::Status status = RunReexecAction(
      "hang", Timeout(absl::Milliseconds(200)), ForkServer(true));
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  int answer = 0;
  const absl::Status grace =
      RunReexecAction("result-then-hang", Result(&answer),
                      Timeout(absl::Seconds(60)), ForkServer(true));
  EXPECT_TRUE(grace.ok()) << grace;
  EXPECT_EQ(answer, 42);
}

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
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_ends[0]);
    std::vector<int> pids;
    const absl::Status status =
        RunReexecAction("pids", Result(&pids), ForkServer(true));
    const pid_t own = ForkServerHelperPid();
    const std::string report = absl::StrCat(
        status.ok() ? "ok" : status.ToString(), " ", own, " ",
        pids.size() == 3 ? pids[1] : -1, " ", ChildrenOf(own).size());
    (void)!write(pipe_ends[1], report.data(), report.size());
    std::exit(0);  // Runs the exit handler that stops its helper.
  }
  close(pipe_ends[1]);
  const std::string report = ReportOfForkedChild(child, pipe_ends[0]);
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
TEST_F(ForkServerTest, CopiesHoldNoOtherCallsDescriptors) {
  const pid_t helper = ForkServerHelperPid();
  absl::Status hung;
  std::thread call([&hung] {
    hung =
        RunReexecAction("hang", Timeout(absl::Seconds(60)), ForkServer(true));
  });
  pid_t running = -1;
  while (running < 0) {
    for (const pid_t copy : ChildrenOf(helper)) {
      if (Name(copy) == "hang\n") running = copy;
    }
    if (running < 0) absl::SleepFor(absl::Milliseconds(1));
  }
  std::vector<int> spawned, forked;
  const absl::Status spawned_status =
      RunReexecAction("own-descriptors", Result(&spawned));
  const absl::Status forked_status =
      RunReexecAction("own-descriptors", Result(&forked), ForkServer(true));
  ASSERT_EQ(kill(running, SIGKILL), 0);
  call.join();
  ASSERT_TRUE(spawned_status.ok()) << spawned_status;
  ASSERT_TRUE(forked_status.ok()) << forked_status;
  EXPECT_EQ(forked, spawned);
  EXPECT_EQ(hung.code(), absl::StatusCode::kAborted) << hung;
}

// A process that used the fork server and exits leaves neither its helper
// nor the helper's spare: the helper kills and reaps the spare before it
// ends, and the process reaps the helper.
TEST_F(ForkServerTest, SpareEndsWithTheProgram) {
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_ends[0]);
    const absl::Status status = RunReexecAction("answer", ForkServer(true));
    const pid_t own = ForkServerHelperPid();
    const bool spared = status.ok() && AwaitOnlyItsSpare(own);
    const std::vector<pid_t> spares = ChildrenOf(own);
    const std::string report =
        absl::StrCat(spared ? "ok" : status.ToString(), " ", own, " ",
                     spares.size() == 1 ? spares[0] : -1);
    (void)!write(pipe_ends[1], report.data(), report.size());
    std::exit(0);  // Runs the exit handler that stops its helper.
  }
  close(pipe_ends[1]);
  const std::string report = ReportOfForkedChild(child, pipe_ends[0]);
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

TEST_F(ForkServerTest, EightThreadsAtOnce) {
  std::vector<std::thread> threads;
  std::vector<std::string> failures(8);
  for (int thread = 0; thread < 8; ++thread) {
    threads.emplace_back([thread, &failures] {
      for (int call = 0; call < 10; ++call) {
        const std::string param = absl::StrCat("thread ", thread, " ", call);
        std::string echoed;
        const absl::Status status = RunReexecAction(
            "echo", Param(param), Result(&echoed), ForkServer(true));
        if (!status.ok() || echoed != param) {
          failures[static_cast<std::size_t>(thread)] =
              absl::StrCat(status.ToString(), " ", echoed);
          return;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& failure : failures) EXPECT_EQ(failure, "");
}

// The 1 MiB path (see //reexec:transfer_test for the spawn path): the copy
// reads a param into one buffer of its announced size (the call's
// gons_reexec_param_size reaches it), the parent reads the result into the
// param's recycled buffer, and a small result keeps no large buffer.
TEST_F(ForkServerTest, LargeParamsKeepTheTransferPathsGuarantees) {
  constexpr std::size_t kKiB = 1024;
  for (const std::size_t size :
       {64 * kKiB, 1024 * kKiB, 4096 * kKiB + 1, 16384 * kKiB}) {
    std::string sent(size, ' ');
    for (std::size_t i = 0; i < size; ++i) {
      sent[i] = static_cast<char>('a' + i % 26);
    }
    std::string received;
    const absl::Status echoed = RunReexecAction(
        "echo", Param(sent), Result(&received), ForkServer(true));
    ASSERT_TRUE(echoed.ok()) << size << ": " << echoed;
    EXPECT_TRUE(received == sent) << size;
    EXPECT_LE(received.capacity(), size + 2 + 64) << size;

    std::string answer;
    const absl::Status measured = RunReexecAction(
        "param-capacity", Param(sent), Result(&answer), ForkServer(true));
    ASSERT_TRUE(measured.ok()) << size << ": " << measured;
    const std::vector<std::string> words = absl::StrSplit(answer, ' ');
    ASSERT_EQ(words.size(), 2u) << answer;
    std::size_t got = 0;
    std::size_t capacity = 0;
    ASSERT_TRUE(absl::SimpleAtoi(words[0], &got)) << answer;
    ASSERT_TRUE(absl::SimpleAtoi(words[1], &capacity)) << answer;
    EXPECT_EQ(got, size);
    // Reserved once, not a growth's fourfold spare room.
    EXPECT_GE(capacity, size);
    EXPECT_LE(capacity, size + 2 + 64) << size;
  }
  std::string small;
  ASSERT_TRUE(RunReexecAction("small-result", Param(std::string(4 << 20, 'p')),
                              Result(&small), ForkServer(true))
                  .ok());
  EXPECT_EQ(small, "ok");
  EXPECT_LT(small.capacity(), std::size_t{64} << 10);
}

// As ChildOwner::Kill(): a copy that has ended (the helper reaped it and
// said so) has nothing left to kill, which is no error, before and after
// its Reap().
TEST_F(ForkServerTest, KillingAnEndedCopyIsNotAnError) {
  int input[2], output[2];
  ASSERT_EQ(pipe2(input, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(output, O_CLOEXEC), 0);
  internal::ChildSpec spec;
  spec.argv = {"fork_server_test"};
  spec.environment = {absl::StrCat(kReexecActionVariable, "=answer")};
  spec.descriptors = {input[0], output[1], output[1]};
  absl::StatusOr<std::unique_ptr<internal::StartedChild>> copy =
      internal::StartForkedCopy(spec);
  close(input[0]);
  close(output[1]);
  ASSERT_TRUE(copy.ok()) << copy.status();
  pollfd ended = {(*copy)->ended_fd(), POLLIN, 0};
  EXPECT_EQ(poll(&ended, 1, 10000), 1);
  EXPECT_TRUE((*copy)->Kill().ok());
  const absl::StatusOr<siginfo_t> reaped = (*copy)->Reap();
  ASSERT_TRUE(reaped.ok()) << reaped.status();
  EXPECT_EQ(reaped->si_code, CLD_EXITED);
  EXPECT_EQ(reaped->si_status, 0);
  EXPECT_TRUE((*copy)->Kill().ok());
  copy->reset();
  char answer[8] = {};
  EXPECT_EQ(read(output[0], answer, sizeof(answer)), 3);
  EXPECT_STREQ(answer, "42\n");
  close(input[1]);
  close(output[0]);
}

TEST_F(ForkServerTest, CopyStartsWithAnEmptySwitchStatus) {
  std::string spawned, forked;
  ASSERT_TRUE(RunReexecAction("gons-status", Result(&spawned)).ok());
  ASSERT_TRUE(
      RunReexecAction("gons-status", Result(&forked), ForkServer(true)).ok());
  EXPECT_EQ(forked, spawned);
  EXPECT_EQ(forked, "OK");
}

}  // namespace
}  // namespace gons::reexec
