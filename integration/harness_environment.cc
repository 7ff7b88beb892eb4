// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "integration/harness_environment.h"

#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"

namespace gons::integration {
namespace {

std::atomic<int> ran_as_root{0};
std::atomic<int> ran_rootless{0};
std::atomic<int> skipped{0};
std::atomic<int> failed{0};

// The children of this process, from each thread's children list (an
// orphan adopted by a subreaper may hang below any of its threads).
std::set<pid_t> Children() {
  std::set<pid_t> children;
  DIR* tasks = opendir("/proc/self/task");
  if (tasks == nullptr) return children;
  while (const dirent* task = readdir(tasks)) {
    if (task->d_name[0] == '.') continue;
    std::ifstream list(
        absl::StrCat("/proc/self/task/", task->d_name, "/children"));
    for (pid_t pid; list >> pid;) children.insert(pid);
  }
  closedir(tasks);
  return children;
}

std::string Command(pid_t pid) {
  std::ifstream comm(absl::StrCat("/proc/", pid, "/comm"));
  std::string name;
  std::getline(comm, name);
  return name.empty() ? "?" : name;
}

}  // namespace

void HarnessEnvironment::SetUp() {
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0)
      << "PR_SET_CHILD_SUBREAPER: " << std::strerror(errno);
}

void HarnessEnvironment::TearDown() {
  EXPECT_EQ(NamespaceHolder::LiveCount(), 0)
      << "namespace holders still alive after the last test";
  const std::vector<std::string> children = ReapLeftoverChildren();
  EXPECT_TRUE(children.empty())
      << "processes left behind (now killed and reaped): "
      << absl::StrJoin(children, ", ");
  const std::vector<std::string> mounts = HarnessMounts();
  EXPECT_TRUE(mounts.empty()) << "mounts left behind:\n"
                              << absl::StrJoin(mounts, "\n");

  const std::string tally = absl::StrCat(
      "gons integration: ", ran_rootless.load(), " scenarios ran rootless, ",
      ran_as_root.load(), " as root, ", skipped.load(), " skipped, ",
      failed.load(), " failed");
  std::printf("%s\n", tally.c_str());
  std::fflush(stdout);
  ::testing::Test::RecordProperty("scenarios_rootless", ran_rootless.load());
  ::testing::Test::RecordProperty("scenarios_root", ran_as_root.load());
  if (MustWork()) {
    EXPECT_GT(ran_rootless.load(), 0)
        << "GONS_MUST_WORK=1, but no scenario ran rootless: " << tally;
  }
}

void CountScenario(Privilege privilege, bool was_skipped) {
  if (was_skipped) {
    ++skipped;
  } else if (::testing::Test::HasFailure()) {
    // A scenario that failed (in SetUp() under GONS_MUST_WORK=1, say) is not
    // proof that anything ran, so it does not count as run.
    ++failed;
  } else if (privilege == Privilege::kRoot) {
    ++ran_as_root;
  } else {
    ++ran_rootless;
  }
}

std::vector<std::string> HarnessMounts() {
  std::vector<std::string> found;
  std::ifstream mountinfo("/proc/self/mountinfo");
  for (std::string line; std::getline(mountinfo, line);) {
    // ID PARENT MAJOR:MINOR ROOT MOUNT_POINT OPTIONS... - TYPE SOURCE ...
    const std::vector<absl::string_view> fields = absl::StrSplit(line, ' ');
    if (fields.size() < 5) continue;
    const std::size_t separator = line.find(" - ");
    std::vector<absl::string_view> tail;
    if (separator != std::string::npos) {
      tail = absl::StrSplit(absl::string_view(line).substr(separator + 3), ' ');
    }
    const bool our_source =
        tail.size() >= 2 && absl::StartsWith(tail[1], "gons-");
    if (absl::StartsWith(fields[4], "/tmp/gons-") || our_source) {
      found.push_back(line);
    }
  }
  return found;
}

std::vector<std::string> ReapLeftoverChildren() {
  std::vector<std::string> leftovers;
  // Reaping a launcher (bwrap) hands its own children to this subreaper, so
  // look again until no child is left.
  for (std::set<pid_t> children = Children(); !children.empty();
       children = Children()) {
    for (const pid_t pid : children) {
      leftovers.push_back(absl::StrCat(pid, " (", Command(pid), ")"));
      kill(pid, SIGKILL);
      while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
  }
  return leftovers;
}

}  // namespace gons::integration
