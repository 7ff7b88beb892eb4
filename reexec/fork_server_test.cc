// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The fork server end to end, on real processes: what a call returns and
// what its copy holds, against the spawn path where both apply, timeouts,
// concurrency and large params. Every case ends with the same descriptors
// as it began and no child but the helper, which has none but its spare
// (fork_server_fixture.h); fork_server_recovery_test.cc has the helpers and
// copies that die.

#include "reexec/fork_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
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
#include "gtest/gtest.h"
#include "reexec/fork_server_fixture.h"
#include "reexec/leak_check.h"
#include "reexec/reexec.h"
#include "reexec/started_child.h"

namespace gons::reexec {
namespace {

using fork_server_testing::ChildrenOf;
using fork_server_testing::ForkServerTest;
using fork_server_testing::Name;
using fork_server_testing::RunnerWords;
using internal::ForkServerHelperPid;

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
