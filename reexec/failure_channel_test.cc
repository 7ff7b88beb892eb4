// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The failure channel's record: what the child writes reads back as the
// same failure, and anything else is refused, naming the bytes. The real
// processes on both ends are in protocol_test.

#include "reexec/failure_channel.h"

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gons::reexec::internal {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(FailureChannelTest, RecordReadsBackAsTheSameFailure) {
  const std::string record =
      FormatFailureRecord(ChildFailureKind::kSwitchFailed,
                          absl::StatusCode::kPermissionDenied, "setns: EPERM");
  EXPECT_EQ(record, "switch-failed 7 setns: EPERM\n");
  absl::StatusOr<std::optional<ChildFailure>> failure =
      ParseFailureRecord(record);
  ASSERT_TRUE(failure.ok()) << failure.status();
  ASSERT_TRUE(failure->has_value());
  EXPECT_EQ((*failure)->kind, ChildFailureKind::kSwitchFailed);
  EXPECT_EQ((*failure)->code, absl::StatusCode::kPermissionDenied);
  EXPECT_EQ((*failure)->message, "setns: EPERM");
}

TEST(FailureChannelTest, NothingWrittenIsNoFailure) {
  absl::StatusOr<std::optional<ChildFailure>> failure = ParseFailureRecord("");
  ASSERT_TRUE(failure.ok()) << failure.status();
  EXPECT_FALSE(failure->has_value());
}

TEST(FailureChannelTest, LongMessageIsCutAndNewlinesKeepOneLine) {
  const std::string record = FormatFailureRecord(
      ChildFailureKind::kUnknownAction, absl::StatusCode::kNotFound,
      "a\nb" + std::string(2 * kMaxFailureRecord, 'x'));
  EXPECT_EQ(record.size(), kMaxFailureRecord);
  absl::StatusOr<std::optional<ChildFailure>> failure =
      ParseFailureRecord(record);
  ASSERT_TRUE(failure.ok()) << failure.status();
  ASSERT_TRUE(failure->has_value());
  EXPECT_EQ((*failure)->kind, ChildFailureKind::kUnknownAction);
  EXPECT_THAT((*failure)->message, HasSubstr("a b"));
}

TEST(FailureChannelTest, MalformedRecordsAreDataLossNamingTheBytes) {
  for (const std::string& bytes : {
           std::string("garbage"),
           std::string("garbage\n"),
           std::string("switch-failed 7\n"),
           std::string("switch-failed 0 zero is OK\n"),
           std::string("switch-failed 17 beyond the codes\n"),
           std::string("switch-failed +7 signed\n"),
           std::string("switch-failed 7 one\nswitch-failed 7 two\n"),
           std::string("switch-failed 7 a\0b\n", 20),
           std::string("unknown-action 5 ") +
               std::string(kMaxFailureRecord, 'y') + "\n",
       }) {
    absl::StatusOr<std::optional<ChildFailure>> failure =
        ParseFailureRecord(bytes);
    EXPECT_EQ(failure.status().code(), absl::StatusCode::kDataLoss) << bytes;
    EXPECT_THAT(failure.status().message(), HasSubstr("malformed")) << bytes;
  }
}

TEST(FailureChannelTest, MalformedBytesAreEscapedAndBounded) {
  const std::string bytes = "\x1b[2J" + std::string(10000, 'z');
  absl::StatusOr<std::optional<ChildFailure>> failure =
      ParseFailureRecord(bytes);
  ASSERT_EQ(failure.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(failure.status().message(), HasSubstr("\\x1b[2J"));
  EXPECT_THAT(failure.status().message(), Not(HasSubstr("\x1b")));
  EXPECT_LT(failure.status().message().size(), 500u);
}

}  // namespace
}  // namespace gons::reexec::internal
