// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/proc_directory.h"

#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/nsinspect/bounded_file.h"

namespace gons::nsinspect {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ProcDirectoryTest, ConfinedLookupsFollowThreadSelf) {
  const ProcDirectory proc = ProcDirectory::Open(/*confined=*/true);
  absl::StatusOr<std::string> status = proc.Read("thread-self/status");
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_THAT(*status, StartsWith("Name:"));
  absl::StatusOr<std::string> mounts = proc.Read("self/mountinfo");
  ASSERT_TRUE(mounts.ok()) << mounts.status();
  absl::StatusOr<std::string> by_path = ReadBoundedFile("/proc/self/mountinfo");
  ASSERT_TRUE(by_path.ok()) << by_path.status();
  EXPECT_EQ(*mounts, *by_path);
}

// A magic link (root) or ".." would leave the procfs mount: a confined
// directory refuses both, an unconfined one follows them as open(2) does.
TEST(ProcDirectoryTest, ConfinedLookupsNeverLeaveProc) {
  const ProcDirectory confined = ProcDirectory::Open(/*confined=*/true);
  const ProcDirectory plain = ProcDirectory::Open(/*confined=*/false);
  for (const char* relative :
       {"self/root/proc/self/status", "../proc/self/status"}) {
    absl::StatusOr<std::string> refused = confined.Read(relative);
    EXPECT_FALSE(refused.ok()) << relative;
    EXPECT_THAT(refused.status().message(),
                HasSubstr(std::string("/proc/") + relative));
    absl::StatusOr<std::string> followed = plain.Read(relative);
    ASSERT_TRUE(followed.ok()) << followed.status();
    EXPECT_THAT(*followed, StartsWith("Name:"));
  }
}

TEST(ProcDirectoryTest, StatFollowsNamespaceLinks) {
  const ProcDirectory proc = ProcDirectory::Open(/*confined=*/true);
  struct stat through = {};
  ASSERT_EQ(proc.Stat("thread-self/ns/net", &through), 0);
  struct stat direct = {};
  ASSERT_EQ(stat("/proc/thread-self/ns/net", &direct), 0);
  EXPECT_EQ(through.st_dev, direct.st_dev);
  EXPECT_EQ(through.st_ino, direct.st_ino);
  EXPECT_NE(proc.Stat("thread-self/ns/gons-x", &through), 0);
}

TEST(ProcDirectoryTest, TellsWhatExistsAndNamesWhatIsMissing) {
  const ProcDirectory proc = ProcDirectory::Open(/*confined=*/true);
  EXPECT_TRUE(proc.Exists("self"));
  EXPECT_TRUE(proc.Exists("1"));
  EXPECT_FALSE(proc.Exists("gons-x"));
  const int directory = proc.OpenDirectory("self/ns");
  EXPECT_GE(directory, 0);
  if (directory >= 0) close(directory);
  absl::StatusOr<std::string> missing = proc.Read("self/gons-x");
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();
  EXPECT_THAT(missing.status().message(), HasSubstr("/proc/self/gons-x"));
}

}  // namespace
}  // namespace gons::nsinspect
