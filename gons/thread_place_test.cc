// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "gons/thread_place.h"

#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/own_user_namespace.h"

namespace gons::internal {
namespace {

// The links' numbers are the inodes that stat() gives: a Place and a Home
// name the same namespaces.
TEST(ThreadPlaceTest, PlaceAndHomeNameTheSameNamespaces) {
  Home home;
  Place place;
  std::string failed;
  ASSERT_EQ(ReadHome(&home, &failed), 0) << failed;
  ASSERT_EQ(ReadPlace(&place), 0);
  for (const int type_index : kThreadTypes) {
    struct stat status = {};
    const std::string path =
        absl::StrCat("/proc/self/ns/", kNamespaceTypes[type_index].name);
    ASSERT_EQ(stat(path.c_str(), &status), 0) << path;
    EXPECT_EQ(home.namespaces[type_index].inode, status.st_ino) << path;
    EXPECT_EQ(home.namespaces[type_index].device, status.st_dev) << path;
    EXPECT_EQ(place.namespaces[type_index], status.st_ino) << path;
  }
  EXPECT_TRUE(home.root == place.root);
  EXPECT_FALSE(IsThreadType(FindNamespaceTypeIndex("user", 4)));
  EXPECT_TRUE(IsThreadType(FindNamespaceTypeIndex("mnt", 3)));
}

// A thread that moved is somewhere else by both measures; the others are
// where they were.
// An ordinary user's thread may unshare(CLONE_NEWUTS) only in a user
// namespace of its own, so that user's variant runs there.
TEST(ThreadPlaceTest, ThreadThatUnsharedIsElsewhere) {
  if (geteuid() != 0) {
    GONS_REQUIRE_NAMESPACES(integration::Privilege::kUnprivileged,
                            CLONE_NEWUSER | CLONE_NEWUTS);
    return integration::RunCurrentTestInOwnUserNamespace(0);
  }
  GONS_REQUIRE_NAMESPACES(integration::Privilege::kRoot, CLONE_NEWUTS);
  Home home, moved_home;
  Place place, moved_place;
  std::string failed;
  ASSERT_EQ(ReadHome(&home, &failed), 0) << failed;
  ASSERT_EQ(ReadPlace(&place), 0);
  int unshared = -1;
  std::thread mover([&] {
    unshared = unshare(CLONE_FS | CLONE_NEWUTS);
    (void)ReadHome(&moved_home, &failed);
    (void)ReadPlace(&moved_place);
  });
  mover.join();
  ASSERT_EQ(unshared, 0);
  EXPECT_FALSE(moved_home == home);
  EXPECT_FALSE(moved_place == place);
  const int uts = FindNamespaceTypeIndex("uts", 3);
  EXPECT_NE(moved_place.namespaces[uts], place.namespaces[uts]);
  EXPECT_EQ(moved_home.namespaces[uts].inode, moved_place.namespaces[uts]);
  Home still;
  ASSERT_EQ(ReadHome(&still, &failed), 0) << failed;
  EXPECT_TRUE(still == home);

  Credentials credentials, again;
  ASSERT_TRUE(ReadCredentials(&credentials));
  ASSERT_TRUE(ReadCredentials(&again));
  EXPECT_TRUE(credentials == again);
}

}  // namespace
}  // namespace gons::internal
