// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The host scan in this process, without making namespaces (so it runs on
// restricted hosts too): its own namespaces are found with their owner,
// and processes that exit while it scans are skipped. nsinspect_list_test
// covers bind mounts, descriptors and lsns(8).

#include "tools/nsinspect/discovery.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gons/namespace_types.h"
#include "gtest/gtest.h"

namespace gons::nsinspect {
namespace {

std::uint64_t InodeOf(const std::string& path) {
  struct stat info;
  EXPECT_EQ(stat(path.c_str(), &info), 0)
      << path << ": " << std::strerror(errno);
  return info.st_ino;
}

TEST(DiscoveryTest, FindsItsOwnNamespacesWithTheirOwner) {
  const NamespaceList list = DiscoverNamespaces();
  const std::uint64_t own_user = InodeOf("/proc/self/ns/user");
  for (const NamespaceType& type : kNamespaceTypes) {
    const std::string path = absl::StrCat("/proc/self/ns/", type.name);
    if (access(path.c_str(), F_OK) != 0) continue;  // Not in this kernel.
    const ListedNamespace* listed = FindListed(list, InodeOf(path));
    ASSERT_NE(listed, nullptr) << type.name;
    EXPECT_EQ(listed->type, type.name);
    EXPECT_GE(listed->processes, 1) << type.name;
    EXPECT_GT(listed->lowest_pid, 0) << type.name;
    EXPECT_LE(listed->lowest_pid, getpid()) << type.name;
    EXPECT_FALSE(listed->command.empty()) << type.name;
    EXPECT_FALSE(listed->path.empty()) << type.name;
    if (type.name != std::string("user") && listed->owner_namespace != 0) {
      // Told only when the owner is in this process's user namespace.
      EXPECT_EQ(listed->owner_namespace, own_user) << type.name;
    }
  }
  for (std::size_t i = 1; i < list.namespaces.size(); ++i) {
    EXPECT_LT(list.namespaces[i - 1].inode, list.namespaces[i].inode);
  }
}

// Children that exit as fast as they are made, while the scan runs: a
// process gone between readdir(3) and its links is skipped, never a note
// or a namespace of the wrong type.
TEST(DiscoveryTest, ProcessesExitingDuringTheScanAreSkipped) {
  std::atomic<bool> stop{false};
  std::atomic<int> made{0};
  std::fflush(nullptr);
  std::thread churn([&] {
    while (!stop.load()) {
      const pid_t child = fork();
      if (child == 0) _exit(0);
      if (child < 0) break;
      while (waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
      }
      made.fetch_add(1);
    }
  });
  const std::uint64_t own_net = InodeOf("/proc/self/ns/net");
  for (int round = 0; round < 20; ++round) {
    // Each scan starts after more children have come and gone.
    while (made.load() <= round) std::this_thread::yield();
    const NamespaceList list = DiscoverNamespaces();
    for (const std::string& note : list.notes) {
      EXPECT_THAT(note, ::testing::HasSubstr("Permission denied")) << note;
    }
    const ListedNamespace* net = FindListed(list, own_net);
    ASSERT_NE(net, nullptr);
    EXPECT_EQ(net->type, "net");
  }
  stop.store(true);
  churn.join();
  EXPECT_GE(made.load(), 20);
}

}  // namespace
}  // namespace gons::nsinspect
