// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The child protocol: exactly one result, the environment the caller asked
// for, and no input that a NUL byte silently cuts short.

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reexec/reexec.h"

namespace gons::reexec {
namespace {

using ::testing::HasSubstr;

const bool registered = [] {
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
  Register("print-variable", [] {
    const char* value = std::getenv("PROTOCOL_TEST_VARIABLE");
    (void)WriteResult(std::string(value == nullptr ? "(unset)" : value));
  });
  return true;
}();

TEST(ProtocolTest, SecondWriteResultFailsInTheChild) {
  int answer = 0;
  std::string standard_error;
  const absl::Status status = RunReexecAction("two-results", Result(&answer),
                                              StandardError(&standard_error));
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(answer, 42);
  EXPECT_THAT(standard_error, HasSubstr("second: FAILED_PRECONDITION"));
}

TEST(ProtocolTest, BytesAfterTheResultAreAnErrorThatNamesThem) {
  std::string answer;
  const absl::Status status =
      RunReexecAction("result-then-subprocess", Result(&answer));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_THAT(status.message(), HasSubstr("\"7\""));
  EXPECT_EQ(answer, "");
}

TEST(ProtocolTest, EnvironmentOverridesAnInheritedVariable) {
  ASSERT_EQ(setenv("PROTOCOL_TEST_VARIABLE", "inherited", 1), 0);
  std::string value;
  const absl::Status status =
      RunReexecAction("print-variable",
                      Environment({"PROTOCOL_TEST_VARIABLE=first",
                                   "PROTOCOL_TEST_VARIABLE=last"}),
                      Result(&value));
  unsetenv("PROTOCOL_TEST_VARIABLE");
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(value, "last");
}

TEST(ProtocolTest, NulBytesAreRefused) {
  const std::string with_nul("/proc/self/ns/net\0tail", 22);
  EXPECT_EQ(RunReexecAction("print-variable",
                            Namespaces({{"net", std::string("\0x", 2)}}))
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      RunReexecAction("print-variable", Namespaces({{"net", with_nul}})).code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      RunReexecAction("print-variable", Environment({std::string("A=b\0c", 5)}))
          .code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RunReexecAction(std::string("print-variable\0x", 16)).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gons::reexec
