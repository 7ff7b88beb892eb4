// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The actions the fork server tests run, registered when this library is
// linked, and the fixture and readers of fork_server_fixture.h.

#include "reexec/fork_server_fixture.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gons/gons.h"
#include "gtest/gtest.h"
#include "reexec/fork_server.h"
#include "reexec/leak_check.h"
#include "reexec/reexec.h"

namespace gons::reexec::fork_server_testing {
namespace {

using internal::ForkServerHelperPid;
using leak_check::OpenDescriptors;
using ::testing::ElementsAre;

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

}  // namespace

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

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

char ProcessState(pid_t pid) {
  const std::string stat = ReadFile(absl::StrCat("/proc/", pid, "/stat"));
  const std::size_t end = stat.rfind(')');
  return end == std::string::npos || end + 2 >= stat.size() ? '?'
                                                            : stat[end + 2];
}

std::string Name(pid_t pid) {
  return ReadFile(absl::StrCat("/proc/", pid, "/comm"));
}

bool HasOnlyItsSpare(pid_t helper) {
  const std::vector<pid_t> children = ChildrenOf(helper);
  return children.size() <= 1 &&
         (children.empty() || Name(children[0]) == "gons-spare\n");
}

bool AwaitOnlyItsSpare(pid_t helper) {
  for (int attempt = 0; attempt < 10000; ++attempt) {
    if (HasOnlyItsSpare(helper) && !ChildrenOf(helper).empty()) return true;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return HasOnlyItsSpare(helper);
}

std::string ReportOfForkedProcess(absl::FunctionRef<std::string()> report) {
  int pipe_ends[2];
  if (pipe(pipe_ends) != 0) {
    ADD_FAILURE() << "pipe: " << std::strerror(errno);
    return std::string();
  }
  const pid_t child = fork();
  if (child == 0) {
    close(pipe_ends[0]);
    const std::string text = report();
    (void)!write(pipe_ends[1], text.data(), text.size());
    std::exit(0);  // Runs the exit handlers, the fork server's among them.
  }
  close(pipe_ends[1]);
  if (child < 0) {
    ADD_FAILURE() << "fork: " << std::strerror(errno);
    close(pipe_ends[0]);
    return std::string();
  }
  std::string text;
  char buffer[256];
  for (ssize_t got; (got = read(pipe_ends[0], buffer, sizeof(buffer))) > 0;) {
    text.append(buffer, static_cast<std::size_t>(got));
  }
  close(pipe_ends[0]);
  int wait_status = 0;
  EXPECT_EQ(waitpid(child, &wait_status, 0), child);
  EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0)
      << "the forked test process ended with status " << wait_status;
  return text;
}

std::string RunnerWords(const absl::Status& status) {
  const absl::string_view message = status.message();
  return std::string(message.substr(0, message.find("; child stderr: ")));
}

void ForkServerTest::SetUp() {
  // The helper is started by the first call and then stays: it, its control
  // socket and its pidfd are not leaks.
  const absl::Status warm = RunReexecAction("answer", ForkServer(true));
  ASSERT_TRUE(warm.ok()) << warm;
  descriptors_ = OpenDescriptors();
}

void ForkServerTest::TearDown() {
  const pid_t helper = ForkServerHelperPid();
  ASSERT_GT(helper, 0);
  EXPECT_EQ(OpenDescriptors(), descriptors_);
  EXPECT_THAT(ChildrenOf(getpid()), ElementsAre(helper));
  EXPECT_TRUE(AwaitOnlyItsSpare(helper))
      << ::testing::PrintToString(ChildrenOf(helper));
}

}  // namespace gons::reexec::fork_server_testing
