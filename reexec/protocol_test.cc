// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The child protocol: exactly one result, the environment the caller asked
// for, no input that a NUL byte silently cuts short, and the child's own
// failures told apart from its action's exit status by the failure channel
// (descriptor 4, see failure_channel.h); for a spawned child and for a fork
// server's copy alike.

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reexec/failure_channel.h"
#include "reexec/reexec.h"

namespace gons::reexec {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Before main(), as hostile code linked into a child could: with
// PROTOCOL_TEST_CHANNEL=garbage (or =flood), writes a malformed record (or
// more bytes than a record may have) on the failure channel.
const bool wrote_on_channel = [] {
  const char* what = std::getenv("PROTOCOL_TEST_CHANNEL");
  if (what == nullptr) return false;
  const std::string bytes =
      std::string(what) == "flood"
          ? std::string(3 * internal::kMaxFailureRecord, 'f')
          : std::string("not a record\x1b[2J");
  return write(internal::kFailureChannelDescriptor, bytes.data(),
               bytes.size()) == static_cast<ssize_t>(bytes.size());
}();

const bool registered = [] {
  // An action's own exit statuses that the child uses for its failures,
  // with a fake report on stderr: neither may pass for those failures.
  Register("exit-111", [] {
    std::fprintf(stderr, "gons reexec: PERMISSION_DENIED: fake\n");
    std::fflush(stderr);
    _exit(111);
  });
  Register("exit-112", [] {
    std::fprintf(stderr, "gons reexec: no action is registered\n");
    std::fflush(stderr);
    _exit(112);
  });
  Register("answer", [] { (void)WriteResult(42); });
  Register("protocol-variables", [] {
    (void)WriteResult(std::vector<bool>{
        std::getenv(internal::kFailureChannelVariable) != nullptr,
        std::getenv("gons_reexec_action") != nullptr});
  });
  Register("two-results", [] {
    (void)WriteResult(42);
    const absl::Status second = WriteResult(43);
    std::fprintf(stderr, "second: %s\n", second.ToString().c_str());
  });
  Register("result-then-subprocess", [] {
    (void)WriteResult(std::string("answer"));
    std::fflush(nullptr);
    if (std::system("printf 7") != 0) std::exit(9);
  });
  Register("number-then-digit", [] {
    (void)WriteResult(42);
    std::fflush(nullptr);
    if (std::system("printf 7") != 0) std::exit(9);
  });
  Register("print-variable", [] {
    const char* value = std::getenv("PROTOCOL_TEST_VARIABLE");
    (void)WriteResult(std::string(value == nullptr ? "(unset)" : value));
  });
  return true;
}();

// Each case for a spawned child and for a fork server's copy, which must
// keep the same protocol (fork_server.h).
class ProtocolTest : public ::testing::TestWithParam<bool> {
 protected:
  // RunReexecAction() on the path of this instance.
  template <typename... Options>
  static absl::Status Run(std::string_view name, Options&&... options) {
    return RunReexecAction(name, ForkServer(GetParam()),
                           std::forward<Options>(options)...);
  }
};

INSTANTIATE_TEST_SUITE_P(Paths, ProtocolTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& instance) {
                           return instance.param ? "ForkServer" : "Spawned";
                         });

TEST_P(ProtocolTest, SecondWriteResultFailsInTheChild) {
  int answer = 0;
  std::string standard_error;
  const absl::Status status =
      Run("two-results", Result(&answer), StandardError(&standard_error));
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(answer, 42);
  EXPECT_THAT(standard_error, HasSubstr("second: FAILED_PRECONDITION"));
}

TEST_P(ProtocolTest, BytesAfterTheResultAreAnErrorThatNamesThem) {
  std::string answer;
  const absl::Status status = Run("result-then-subprocess", Result(&answer));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_THAT(status.message(), HasSubstr("\"7\""));
  EXPECT_EQ(answer, "");
}

TEST_P(ProtocolTest, DigitAfterANumberResultIsNotPartOfIt) {
  int answer = 0;
  const absl::Status status = Run("number-then-digit", Result(&answer));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_THAT(status.message(), HasSubstr("\"7\""));
  EXPECT_EQ(answer, 0);
}

TEST_P(ProtocolTest, EnvironmentOverridesAnInheritedVariable) {
  ASSERT_EQ(setenv("PROTOCOL_TEST_VARIABLE", "inherited", 1), 0);
  std::string value;
  const absl::Status status = Run("print-variable",
                                  Environment({"PROTOCOL_TEST_VARIABLE=first",
                                               "PROTOCOL_TEST_VARIABLE=last"}),
                                  Result(&value));
  unsetenv("PROTOCOL_TEST_VARIABLE");
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(value, "last");
}

TEST_P(ProtocolTest, NulBytesAreRefused) {
  const std::string with_nul("/proc/self/ns/net\0tail", 22);
  EXPECT_EQ(Run("print-variable", Namespaces({{"net", std::string("\0x", 2)}}))
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Run("print-variable", Namespaces({{"net", with_nul}})).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Run("print-variable", Environment({std::string("A=b\0c", 5)})).code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Run(std::string("print-variable\0x", 16)).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(ProtocolTest, ActionExiting111IsReportedAsItsExitStatus) {
  const absl::Status status = Run("exit-111");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnknown) << status;
  EXPECT_THAT(status.message(), HasSubstr("exited with status 111"));
  EXPECT_THAT(status.message(), Not(HasSubstr("could not enter")));
}

TEST_P(ProtocolTest, ActionExiting112IsReportedAsItsExitStatus) {
  const absl::Status status = Run("exit-112");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnknown) << status;
  EXPECT_THAT(status.message(), HasSubstr("exited with status 112"));
  EXPECT_THAT(status.message(), Not(HasSubstr("does not know")));
}

TEST_P(ProtocolTest, SwitchFailureGivesTheSwitchersCodeAndMessage) {
  // A path that is no namespace file: the switcher's own status, whatever
  // the host allows (no privilege is needed to fail to open it).
  const absl::Status status =
      Run("answer", Namespaces({{"uts", "/nonexistent/protocol-test"}}));
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
  EXPECT_THAT(status.message(), HasSubstr("could not enter"));
  EXPECT_THAT(status.message(), HasSubstr("/nonexistent/protocol-test"));
}

TEST_P(ProtocolTest, UnknownActionGivesTheChildsStatus) {
  // Known to the parent only: registered after CheckAction() ran (in the
  // fork server's helper too, which never runs a test).
  const std::string name =
      GetParam() ? "protocol-too-late-forked" : "protocol-too-late";
  Register(name, [] {});
  const absl::Status status = Run(name);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
  EXPECT_THAT(status.message(), HasSubstr("the child does not know"));
  EXPECT_THAT(status.message(),
              HasSubstr("no action is registered as \"" + name + "\""));
}

TEST_P(ProtocolTest, ActionDoesNotSeeTheChannelVariable) {
  std::vector<bool> present;
  const absl::Status status = Run("protocol-variables", Result(&present));
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_THAT(present, ElementsAre(false, false));
}

// Spawned children only: a fork server's copy runs no code before main().
TEST(ProtocolChannelTest, GarbageOnTheChannelIsAClearError) {
  const absl::Status status =
      RunReexecAction("answer", Environment({"PROTOCOL_TEST_CHANNEL=garbage"}));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_THAT(status.message(), HasSubstr("malformed"));
  EXPECT_THAT(status.message(), HasSubstr("not a record\\x1b[2J"));
}

TEST(ProtocolChannelTest, FloodOnTheChannelIsAClearError) {
  const absl::Status status =
      RunReexecAction("answer", Environment({"PROTOCOL_TEST_CHANNEL=flood"}));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_THAT(status.message(), HasSubstr("longer than 4096 bytes"));
}

}  // namespace
}  // namespace gons::reexec
