// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// //testing:gtest_main end to end: this test's main() is that wrapper, and
// it re-executes itself. Sharded (see BUILD), so the children also face
// Bazel's sharding protocol.

#include "testing/check_action.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "reexec/reexec.h"
#include "testing/child_coverage.h"

namespace gons::reexec {
namespace {

using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

constexpr const char* kProtocolVariables[] = {
    "XML_OUTPUT_FILE",    "TEST_PREMATURE_EXIT_FILE", "TEST_SHARD_INDEX",
    "TEST_TOTAL_SHARDS",  "TEST_SHARD_STATUS_FILE",   "GTEST_SHARD_INDEX",
    "GTEST_TOTAL_SHARDS", "GTEST_SHARD_STATUS_FILE",
};

// Descriptor number -> close-on-exec flag, of the calling process.
std::map<int, bool> OpenDescriptors() {
  std::map<int, bool> descriptors;
  DIR* directory = opendir("/proc/self/fd");
  const int own = dirfd(directory);
  while (const dirent* entry = readdir(directory)) {
    const int fd = std::atoi(entry->d_name);
    if (entry->d_name[0] == '.' || fd == own) continue;
    descriptors[fd] = (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
  }
  closedir(directory);
  return descriptors;
}

std::string LinkTarget(const std::string& path) {
  char target[PATH_MAX] = {};
  const ssize_t length = readlink(path.c_str(), target, sizeof(target) - 1);
  return length > 0 ? std::string(target, length) : "";
}

const bool registered = [] {
  Register("protocol-variables", [] {
    std::map<std::string, bool> present;
    for (const char* name : kProtocolVariables) {
      present[name] = std::getenv(name) != nullptr;
    }
    (void)WriteResult(present);
  });
  Register("descriptors", [] {
    std::map<std::string, std::string> descriptors;
    for (const auto& [fd, close_on_exec] : OpenDescriptors()) {
      descriptors[std::to_string(fd)] =
          fd > 2 ? absl::StrCat(LinkTarget(absl::StrCat("/proc/self/fd/", fd)),
                                close_on_exec ? " cloexec" : "")
                 : "standard";
    }
    (void)WriteResult(descriptors);
  });
  Register("exact-output", [] { (void)WriteResult(std::string("only this")); });
  return true;
}();

TEST(CheckActionInTestTest, ChildDoesNotGetTheTestProtocol) {
  if (std::getenv("XML_OUTPUT_FILE") == nullptr) {
    GTEST_SKIP() << "not run by `bazel test`: no test protocol to hide";
  }
  std::map<std::string, bool> present;
  const absl::Status status =
      RunReexecAction("protocol-variables", Result(&present));
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_THAT(present, Each(Pair(::testing::_, false)));
  EXPECT_EQ(present.size(), std::size(kProtocolVariables));
}

TEST(CheckActionInTestTest, ChildOutputIsTheResultOnly) {
  // Decoded as raw text: GoogleTest's banner, or a second run of the suite,
  // would show up here.
  RawJson result;
  std::string error;
  const absl::Status status =
      RunReexecAction("exact-output", Result(&result), StandardError(&error));
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(result.text, "\"only this\"");
  EXPECT_THAT(error, IsEmpty());
}

TEST(CheckActionInTestTest, ChildGetsTheCoverageDirectoryOnlyUnderCoverage) {
  std::map<std::string, std::string> descriptors;
  const absl::Status status =
      RunReexecAction("descriptors", Result(&descriptors));
  ASSERT_TRUE(status.ok()) << status;
  const char* prefix = std::getenv("GCOV_PREFIX");
  if (!internal::CoverageRuntimeLinked() || prefix == nullptr) {
    EXPECT_THAT(descriptors,
                ElementsAre(Pair("0", "standard"), Pair("1", "standard"),
                            Pair("2", "standard")));
    return;
  }
  char directory[PATH_MAX] = {};
  ASSERT_NE(realpath(prefix, directory), nullptr);
  // Closed on exec, so that programs the action starts do not inherit it.
  EXPECT_THAT(descriptors,
              ElementsAre(Pair("0", "standard"), Pair("1", "standard"),
                          Pair("2", "standard"),
                          Pair("3", absl::StrCat(directory, " cloexec"))));
}

// A child in another user and mount namespace, where the coverage directory
// (under `bazel coverage`; another directory otherwise) is hidden under an
// empty read-only tmpfs: nothing reaches its stderr, and under coverage it
// still writes its data, into a directory of its own.
TEST(CheckActionInTestTest, ChildWherePathsDifferKeepsStderrEmpty) {
  GONS_REQUIRE_NAMESPACES(integration::CurrentPrivilege(),
                          CLONE_NEWUSER | CLONE_NEWNS);
  const char* prefix = std::getenv("GCOV_PREFIX");
  const char* temporary = std::getenv("TEST_TMPDIR");
  const std::string hidden =
      prefix != nullptr ? prefix : (temporary != nullptr ? temporary : "/tmp");
  absl::StatusOr<std::unique_ptr<integration::NamespaceHolder>> holder =
      integration::NamespaceHolder::Start(
          {"unshare", "--user", "--map-root-user", "--mount"},
          absl::StrCat("mount -t tmpfs -o ro tmpfs '", hidden, "'"),
          /*unprivileged=*/false);
  ASSERT_TRUE(holder.ok()) << holder.status();
  const std::string children =
      absl::StrCat(hidden, "/", internal::kChildCoverageDirectory);
  const auto count_children = [&children] {
    int count = 0;
    if (DIR* directory = opendir(children.c_str())) {
      while (const dirent* entry = readdir(directory)) {
        if (std::string(entry->d_name).rfind("child-", 0) == 0) ++count;
      }
      closedir(directory);
    }
    return count;
  };
  const int before = count_children();

  std::map<std::string, std::string> descriptors;
  std::string error;
  const absl::Status status =
      RunReexecAction("descriptors",
                      Namespaces({{"user", (*holder)->NamespacePath("user")},
                                  {"mnt", (*holder)->NamespacePath("mnt")}}),
                      Result(&descriptors), StandardError(&error));
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_THAT(error, IsEmpty());
  const bool coverage = internal::CoverageRuntimeLinked() && prefix != nullptr;
  EXPECT_EQ(count_children(), before + (coverage ? 1 : 0));
}

}  // namespace
}  // namespace gons::reexec
