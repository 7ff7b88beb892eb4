// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/bounded_file.h"

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gons::nsinspect {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(BoundedFileTest, ReadsAProcFileWhole) {
  absl::StatusOr<std::string> status = ReadBoundedFile("/proc/self/status");
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_THAT(*status, StartsWith("Name:"));
  EXPECT_THAT(*status, HasSubstr("\nNSpid:"));
}

TEST(BoundedFileTest, RefusesAFileAboveTheLimit) {
  absl::StatusOr<std::string> status = ReadBoundedFile("/proc/self/status", 64);
  EXPECT_TRUE(absl::IsResourceExhausted(status.status())) << status.status();
  EXPECT_THAT(status.status().message(),
              HasSubstr("/proc/self/status: larger than 64 bytes"));
}

TEST(BoundedFileTest, NamesThePathThatIsMissing) {
  absl::StatusOr<std::string> missing = ReadBoundedFile("/proc/self/gons-x");
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();
  EXPECT_THAT(missing.status().message(), HasSubstr("/proc/self/gons-x"));
}

}  // namespace
}  // namespace gons::nsinspect
