// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The runner owns its child from start to reap, whatever the calling
// program does with SIGCHLD or its other children, and whatever the child
// does to its process group, its stdout or its own scheduling, and when it
// forks in another thread, runs out of memory or may not clone: real
// hostile parents and children, not mocks.

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
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
#include "integration/probe_runner.h"
#include "integration/subprocess.h"
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
  // Says it started on the FIFO STARTED_FIFO, waits for the FIFO GO_FIFO
  // to be closed by its writer, then reads its whole param; returns its
  // size.
  Register("read-param-after-go", [] {
    { std::ofstream(std::getenv("STARTED_FIFO")) << "started\n"; }
    {
      std::ifstream go(std::getenv("GO_FIFO"));
      std::string ignored;
      go >> ignored;
    }
    absl::StatusOr<std::string> param = ReadParam<std::string>();
    (void)WriteResult(param.ok() ? param->size() : std::size_t{0});
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

std::string TemporaryPath(const std::string& name) {
  const char* directory = std::getenv("TEST_TMPDIR");
  return absl::StrCat(directory != nullptr ? directory : "/tmp", "/", name, ".",
                      getpid());
}

// Another thread forks (without exec) while the call is still sending a
// param too large for the socket: the copy holds the runner's end of the
// child's stdin, and only shutdown(SHUT_WR), not close(), ends it.
TEST_F(ChildOwnershipTest, ForkInAnotherThreadDoesNotStallAParam) {
  const std::string started = TemporaryPath("started");
  const std::string go = TemporaryPath("go");
  ASSERT_EQ(mkfifo(started.c_str(), 0600), 0) << std::strerror(errno);
  ASSERT_EQ(mkfifo(go.c_str(), 0600), 0) << std::strerror(errno);
  constexpr std::size_t kParamSize = 16 << 20;
  std::size_t received = 0;
  absl::Status status;
  std::thread call([&] {
    status = RunReexecAction(
        "read-param-after-go", Param(std::string(kParamSize, 'p')),
        Environment({"STARTED_FIFO=" + started, "GO_FIFO=" + go}),
        Timeout(absl::Seconds(20)), Result(&received));
  });
  {
    std::ifstream child_started(started);
    std::string word;
    child_started >> word;
  }
  // The child reads nothing yet, so the runner is still sending.
  const pid_t copy = fork();
  if (copy == 0) {
    for (;;) pause();
  }
  { std::ofstream(go) << "go\n"; }
  call.join();
  ASSERT_GT(copy, 0) << std::strerror(errno);
  EXPECT_EQ(kill(copy, SIGKILL), 0);
  EXPECT_EQ(waitpid(copy, nullptr, 0), copy);
  unlink(started.c_str());
  unlink(go.c_str());
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(received, kParamSize);
}

// A real std::bad_alloc: flood_caller lowers its own address space limit
// and reads a child that never stops writing.
TEST_F(ChildOwnershipTest, OutOfMemoryWhileReadingAFloodKillsAndReaps) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "AddressSanitizer and ThreadSanitizer reserve terabytes "
                  "of address space at start, so RLIMIT_AS cannot be "
                  "lowered to make an allocation fail, and their allocators "
                  "abort instead of throwing std::bad_alloc";
#endif
  integration::SubprocessOptions options;
  options.argv = {integration::RunfilePath("reexec/flood_caller"), "256"};
  options.environment = integration::CleanEnvironment();
  absl::StatusOr<integration::SubprocessResult> result =
      integration::RunSubprocess(options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->exit_code, 0) << result->standard_error;
  EXPECT_EQ(result->standard_output, "RESOURCE_EXHAUSTED none\n")
      << result->standard_error;
  EXPECT_THAT(result->standard_error,
              HasSubstr("out of memory; the child was killed and reaped"));
}

// Refuses clone() with CLONE_PIDFD (EPERM) and clone3() (ENOSYS), as a
// container runtime's filter may; fork() and threads still work.
bool RefuseThePidfdClone() {
#if defined(__x86_64__)
  constexpr unsigned int kArchitecture = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
  constexpr unsigned int kArchitecture = AUDIT_ARCH_AARCH64;
#endif
  sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kArchitecture, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3),
      // The flags' low 32 bits (both architectures are little-endian).
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[0])),
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_PIDFD, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog program = {static_cast<unsigned short>(std::size(filter)), filter};
  return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0;
}

TEST_F(ChildOwnershipTest, SeccompFilterRefusingThePidfdCloneIsNamed) {
  int report[2];
  ASSERT_EQ(pipe2(report, O_CLOEXEC), 0);
  // In a forked copy (no other thread runs now): the filter stays for
  // life.
  const pid_t tester = fork();
  if (tester == 0) {
    std::string text = "could not install the filter";
    if (RefuseThePidfdClone()) {
      const absl::Status status = RunReexecAction("answer-42");
      text = absl::StrCat(absl::StatusCodeToString(status.code()), " ",
                          status.message());
    }
    const bool written = write(report[1], text.data(), text.size()) ==
                         static_cast<ssize_t>(text.size());
    _exit(written ? 0 : 1);
  }
  close(report[1]);
  ASSERT_GT(tester, 0) << std::strerror(errno);
  std::string text;
  char buffer[4096];
  ssize_t got;
  while ((got = read(report[0], buffer, sizeof(buffer))) > 0) {
    text.append(buffer, static_cast<std::size_t>(got));
  }
  close(report[0]);
  int wait_status = 0;
  ASSERT_EQ(waitpid(tester, &wait_status, 0), tester);
  EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0);
  EXPECT_THAT(text, ::testing::StartsWith("FAILED_PRECONDITION "));
  EXPECT_THAT(text, HasSubstr("CLONE_PIDFD) for the child was refused"));
  EXPECT_THAT(text, HasSubstr("a seccomp filter"));
  EXPECT_THAT(text, HasSubstr("no fallback"));
}

}  // namespace
}  // namespace gons::reexec
