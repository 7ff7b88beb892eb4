// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The reexec runner end to end: this test binary re-executes itself (its
// main() is //testing:gtest_main, which calls CheckAction()).

#include "reexec/reexec.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/probe_runner.h"
#include "integration/subprocess.h"
#include "reexec/leak_check.h"
#include "testing/child_coverage.h"

namespace gons::reexec {
namespace {

using leak_check::OpenDescriptors;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string ReadFile(const char* path) {
  std::ifstream file(path);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

// The actions, registered during static initialization like a user's.
const bool registered = [] {
  Register("answer", [] { std::printf("42\n"); });
  Register("getenv", [] {
    const char* value = std::getenv("GONS_TEST_VALUE");
    (void)WriteResult(std::string(value != nullptr ? value : "<unset>"));
  });
  Register("echo", [] {
    absl::StatusOr<std::string> param = ReadParam<std::string>();
    if (!param.ok()) std::abort();
    (void)WriteResult(*param);
  });
  Register("own-descriptors", [] {
    std::vector<int> fds = OpenDescriptors();
    (void)WriteResult(fds);
  });
  Register("nested",
           [] { (void)WriteResult(RunReexecAction("answer").ToString()); });
  Register("garbage", [] { std::printf("this is not JSON\n"); });
  Register("string", [] { std::printf("\"text\"\n"); });
  Register("result-then-hang", [] {
    std::printf("42\n");
    std::fflush(stdout);
    for (;;) pause();
  });
  Register("large-result-then-hang", [] {
    (void)WriteResult(std::string(8 << 20, 'r'));
    for (;;) pause();
  });
  Register("hang", [] {
    for (;;) pause();
  });
  Register("abort", [] { std::abort(); });
  Register("exit-3", [] { _exit(3); });
  Register("exit-early", [] { _exit(0); });
  Register("stderr-flood", [] {
    const std::string line(1023, 'e');
    for (int i = 0; i < 1024; ++i) std::fprintf(stderr, "%s\n", line.c_str());
    std::printf("\"done\"\n");
  });
  Register("namespace-ids", [] {
    std::map<std::string, int64_t> ids;
    for (const char* type : {"user", "net"}) {
      struct stat info;
      stat(absl::StrCat("/proc/self/ns/", type).c_str(), &info);
      ids[type] = static_cast<int64_t>(info.st_ino);
    }
    (void)WriteResult(ids);
  });
  Register("process-name", [] {
    std::string comm = ReadFile("/proc/self/comm");
    std::string cmdline = ReadFile("/proc/self/cmdline");
    (void)WriteResult(std::vector<std::string>{comm, cmdline});
  });
  return true;
}();

class ReexecTest : public ::testing::Test {
 protected:
  void SetUp() override { descriptors_ = OpenDescriptors(); }
  void TearDown() override {
    // Nothing left behind: no descriptor, no child (running or zombie).
    EXPECT_EQ(OpenDescriptors(), descriptors_);
    EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD);
  }
  std::vector<int> descriptors_;
};

TEST_F(ReexecTest, ReturnsResultAsJson) {
  int answer = 0;
  ASSERT_TRUE(RunReexecAction("answer", Result(&answer)).ok());
  EXPECT_EQ(answer, 42);
}

TEST_F(ReexecTest, PassesEnvironment) {
  std::string value;
  ASSERT_TRUE(RunReexecAction("getenv", Environment({"GONS_TEST_VALUE=xyz"}),
                              Result(&value))
                  .ok());
  EXPECT_EQ(value, "xyz");
}

TEST_F(ReexecTest, RefusesGonsVariablesInEnvironment) {
  const absl::Status status =
      RunReexecAction("getenv", Environment({"gons_net=/x"}));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RunReexecAction("getenv", Environment({"NOEQUALS"})).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ReexecTest, EchoesRandomParam) {
  for (const std::size_t size : {std::size_t{8} << 10, std::size_t{64} << 20}) {
    std::string param(size, ' ');
    unsigned state = 12345;
    for (char& c : param) {
      state = state * 1103515245 + 12345;
      c = static_cast<char>('!' + (state >> 16) % 90);
    }
    std::string echoed;
    const absl::Status status =
        RunReexecAction("echo", Param(param), Result(&echoed));
    ASSERT_TRUE(status.ok()) << status;
    EXPECT_TRUE(echoed == param) << "size " << size;
  }
}

TEST_F(ReexecTest, DuplicateRegistrationStopsTheProgram) {
  EXPECT_DEATH(
      {
        Register("twice", [] {});
        Register("twice", [] {});
      },
      "action \"twice\" is registered twice");
}

TEST_F(ReexecTest, UnregisteredActionIsNotFound) {
  const absl::Status status = RunReexecAction("no-such-action");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("Register()"));
}

TEST_F(ReexecTest, ActionRegisteredTooLateIsUnknownToTheChild) {
  Register("too-late", [] {});
  const absl::Status status = RunReexecAction("too-late");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("the child does not know"));
}

TEST_F(ReexecTest, EnteringOwnUserNamespaceFailsInTheChild) {
  // The kernel's EINVAL is what the test is about; a filter answers first.
  if (integration::SeccompRefusesNamespaceCalls()) {
    GONS_SKIP_OR_FAIL(
        "setns(2) is refused with EPERM by a seccomp filter that refuses "
        "namespace calls, before the kernel's EINVAL");
  }
  const absl::Status status =
      RunReexecAction("answer", Namespaces({{"user", "/proc/self/ns/user"}}));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(status.message(), HasSubstr("could not enter"));
  EXPECT_THAT(status.message(), HasSubstr("already in this user namespace"));
}

TEST_F(ReexecTest, RejectsBadNamespaces) {
  EXPECT_EQ(RunReexecAction("answer", Namespaces({{"network", "/x"}})).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      RunReexecAction("answer", Namespaces({{"net", "/x"}, {"!net", "/y"}}))
          .code(),
      absl::StatusCode::kInvalidArgument);
}

TEST_F(ReexecTest, CannotReexecuteFromInsideAChild) {
  std::string nested;
  ASSERT_TRUE(RunReexecAction("nested", Result(&nested)).ok());
  EXPECT_THAT(nested, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(nested, HasSubstr("inside the re-executed child"));
}

TEST_F(ReexecTest, UndecodableResultIsDataLoss) {
  int number = 7;
  const absl::Status status = RunReexecAction("garbage", Result(&number));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("not valid JSON"));
  EXPECT_EQ(number, 7);
}

TEST_F(ReexecTest, ResultOfWrongTypeIsInvalidArgument) {
  int number = 7;
  const absl::Status status = RunReexecAction("string", Result(&number));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("$: expected an integer, found a string"));
}

TEST_F(ReexecTest, MissingResultIsDataLoss) {
  int number = 0;
  EXPECT_EQ(RunReexecAction("exit-early", Result(&number)).code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(ReexecTest, ChildThatHangsAfterItsResultIsKilledAndSucceeds) {
  int answer = 0;
  const absl::Status status = RunReexecAction(
      "result-then-hang", Result(&answer), Timeout(absl::Seconds(60)));
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(answer, 42);
}

TEST_F(ReexecTest, ChildThatHangsAfterALargeResultIsKilledAndSucceeds) {
  std::string result;
  const absl::Status status = RunReexecAction(
      "large-result-then-hang", Result(&result), Timeout(absl::Seconds(60)));
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(result == std::string(8 << 20, 'r')) << result.size();
}

TEST_F(ReexecTest, TimeoutKillsASilentChild) {
  const absl::Status status =
      RunReexecAction("hang", Timeout(absl::Milliseconds(200)));
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
}

TEST_F(ReexecTest, AbortingChildNamesTheSignal) {
  const absl::Status status = RunReexecAction("abort");
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(status.message(), HasSubstr("SIGABRT"));
}

TEST_F(ReexecTest, ExitCodeIsReported) {
  const absl::Status status = RunReexecAction("exit-3");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnknown);
  EXPECT_THAT(status.message(), HasSubstr("exited with status 3"));
}

TEST_F(ReexecTest, ChildThatDoesNotReadALargeParamFailsClearly) {
  const absl::Status status =
      RunReexecAction("exit-early", Param(std::string(64 << 20, 'x')));
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(status.message(), HasSubstr("stopped reading its param"));
}

TEST_F(ReexecTest, StderrFloodIsBoundedAndDoesNotFailTheCall) {
  std::string result, error;
  const absl::Status status =
      RunReexecAction("stderr-flood", Result(&result), StandardError(&error));
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(result, "done");
  EXPECT_LT(error.size(), std::size_t{100} << 10);
  EXPECT_THAT(error, HasSubstr("bytes omitted"));
}

TEST_F(ReexecTest, ChildInheritsOnlyItsThreeDescriptors) {
  const int leaky = open("/dev/null", O_RDONLY);  // No O_CLOEXEC on purpose.
  ASSERT_GE(leaky, 0);
  std::vector<int> child_descriptors;
  const absl::Status status =
      RunReexecAction("own-descriptors", Result(&child_descriptors));
  close(leaky);
  ASSERT_TRUE(status.ok()) << status;
  if (internal::CoverageRuntimeLinked() && std::getenv("GCOV_PREFIX")) {
    // `bazel coverage`: //testing passes the coverage directory as 3.
    EXPECT_THAT(child_descriptors, ElementsAre(0, 1, 2, 3));
  } else {
    EXPECT_THAT(child_descriptors, ElementsAre(0, 1, 2));
  }
}

TEST_F(ReexecTest, ChildHasAReadableProcessName) {
  std::vector<std::string> names;
  ASSERT_TRUE(RunReexecAction("process-name", Result(&names)).ok());
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "process-name\n");
  EXPECT_THAT(names[1], HasSubstr("[reexec process-name]"));
}

TEST_F(ReexecTest, ManyThreadsAtOnce) {
  constexpr int kThreads = 8;
  constexpr int kCallsPerThread = 25;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &failures] {
      for (int call = 0; call < kCallsPerThread; ++call) {
        const std::string param = absl::StrCat("thread ", t, " call ", call);
        std::string echoed;
        if (!RunReexecAction("echo", Param(param), Result(&echoed)).ok() ||
            echoed != param) {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(failures, ::testing::Each(0));
}

TEST_F(ReexecTest, RunsInAThrowawayNetNamespace) {
  GONS_REQUIRE_NAMESPACES(integration::CurrentPrivilege(),
                          CLONE_NEWUSER | CLONE_NEWNET);
  absl::StatusOr<std::unique_ptr<integration::NamespaceHolder>> holder =
      integration::NamespaceHolder::Start(
          {"unshare", "--user", "--map-root-user", "--net"}, "",
          /*unprivileged=*/false);
  ASSERT_TRUE(holder.ok()) << holder.status();
  std::map<std::string, int64_t> ids;
  const absl::Status status =
      RunReexecAction("namespace-ids",
                      Namespaces({{"user", (*holder)->NamespacePath("user")},
                                  {"net", (*holder)->NamespacePath("net")}}),
                      Result(&ids));
  ASSERT_TRUE(status.ok()) << status;
  absl::StatusOr<unsigned long long> net =
      integration::NamespaceId((*holder)->NamespacePath("net"));
  ASSERT_TRUE(net.ok());
  EXPECT_EQ(static_cast<unsigned long long>(ids.at("net")), *net);
}

// A parent that was itself started with gons_* variables (and entered those
// namespaces) re-executes cleanly: its child does not try to enter them
// again, which for the user namespace would fail with EINVAL.
TEST_F(ReexecTest, ParentStartedWithGonsUserReexecutesCleanly) {
  GONS_REQUIRE_NAMESPACES(integration::CurrentPrivilege(),
                          CLONE_NEWUSER | CLONE_NEWUTS);
  absl::StatusOr<std::unique_ptr<integration::NamespaceHolder>> holder =
      integration::NamespaceHolder::Start(
          {"unshare", "--user", "--map-root-user", "--uts"},
          "hostname switched-parent", /*unprivileged=*/false);
  ASSERT_TRUE(holder.ok()) << holder.status();
  integration::SubprocessOptions options;
  options.argv = {integration::RunfilePath("reexec/example")};
  options.environment = integration::CleanEnvironment(
      {"gons_user=" + (*holder)->NamespacePath("user"),
       "gons_uts=" + (*holder)->NamespacePath("uts")});
  absl::StatusOr<integration::SubprocessResult> result =
      integration::RunSubprocess(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 0) << result->standard_error;
  EXPECT_EQ(result->standard_output, "switched-parent\n");
}

TEST_F(ReexecTest, ExampleReadsTheHostNameOfAnotherUtsNamespace) {
  // Only root may make and enter a UTS namespace outside a user namespace;
  // an ordinary user makes one inside its own user namespace and runs the
  // example there (through nsenter, the standard tool).
  const bool as_root = geteuid() == 0;
  GONS_REQUIRE_NAMESPACES(
      integration::CurrentPrivilege(),
      as_root ? CLONE_NEWUTS : CLONE_NEWUSER | CLONE_NEWUTS);
  std::vector<std::string> launcher = {"unshare", "--uts"};
  if (!as_root) launcher = {"unshare", "--user", "--map-root-user", "--uts"};
  absl::StatusOr<std::unique_ptr<integration::NamespaceHolder>> holder =
      integration::NamespaceHolder::Start(launcher, "hostname other-uts",
                                          /*unprivileged=*/false);
  ASSERT_TRUE(holder.ok()) << holder.status();
  integration::SubprocessOptions options;
  options.argv = {integration::RunfilePath("reexec/example"),
                  (*holder)->NamespacePath("uts")};
  if (!as_root) {
    absl::StatusOr<std::string> nsenter = integration::FindProgram("nsenter");
    ASSERT_TRUE(nsenter.ok()) << nsenter.status();
    options.argv.insert(options.argv.begin(),
                        {*nsenter, "--preserve-credentials",
                         "--user=" + (*holder)->NamespacePath("user"), "--"});
  }
  options.environment = integration::CleanEnvironment();
  absl::StatusOr<integration::SubprocessResult> result =
      integration::RunSubprocess(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 0) << result->standard_error;
  EXPECT_EQ(result->standard_output, "other-uts\n");
}

}  // namespace
}  // namespace gons::reexec
