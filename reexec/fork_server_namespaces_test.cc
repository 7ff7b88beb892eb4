// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The fork server's copies in other namespaces, on real processes and
// throwaway namespaces: each case runs the same call through a re-executed
// child and through the fork server and expects the same outcome, and
// checks that outcome against what the namespaces hold. This binary is its
// own helper (its main() is //testing:gtest_main).

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/probe_runner.h"
#include "integration/subprocess.h"
#include "reexec/reexec.h"

namespace gons::reexec {
namespace {

using ::testing::HasSubstr;

// What the "look" action saw: a file's text (or "<absent>") and the inodes
// of its user, mnt and net namespaces.
using Sight = std::map<std::string, std::string>;

const bool registered = [] {
  Register("look", [] {
    absl::StatusOr<std::string> path = ReadParam<std::string>();
    if (!path.ok()) std::abort();
    Sight sight;
    std::ifstream file(*path);
    sight["file"] = file ? std::string(std::istreambuf_iterator<char>(file), {})
                         : "<absent>";
    for (const char* type : {"user", "mnt", "net"}) {
      struct stat info = {};
      stat(absl::StrCat("/proc/self/ns/", type).c_str(), &info);
      sight[type] = absl::StrCat(info.st_ino);
    }
    (void)WriteResult(sight);
  });
  Register("noop", [] {});
  return true;
}();

std::string InodeOf(const std::string& path) {
  absl::StatusOr<unsigned long long> id = integration::NamespaceId(path);
  return id.ok() ? absl::StrCat(*id) : id.status().ToString();
}

class ForkServerNamespacesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GONS_REQUIRE_NAMESPACES(integration::CurrentPrivilege(),
                            CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET);
    marker_ = absl::StrCat("/tmp/gons-fork-server-marker-", getpid());
    // A tmpfs on /tmp in the holder's mount namespace: the marker exists
    // there only, and the host's /tmp is hidden there.
    absl::StatusOr<std::unique_ptr<integration::NamespaceHolder>> holder =
        integration::NamespaceHolder::Start(
            {"unshare", "--user", "--map-root-user", "--mount", "--net"},
            absl::StrCat("mount -t tmpfs tmpfs /tmp; echo only-here > ",
                         marker_),
            /*unprivileged=*/false);
    ASSERT_TRUE(holder.ok()) << holder.status();
    holder_ = *std::move(holder);
  }
  std::vector<Namespace> UserMountNet(const std::string& net_type,
                                      const std::string& net_path) const {
    return {{"user", holder_->NamespacePath("user")},
            {"mnt", holder_->NamespacePath("mnt")},
            {net_type, net_path}};
  }
  std::string marker_;
  std::unique_ptr<integration::NamespaceHolder> holder_;
};

TEST_F(ForkServerNamespacesTest, CopyInUserMountAndNetSeesTheirContents) {
  ASSERT_FALSE(std::ifstream(marker_)) << "the marker is in the host's /tmp";
  Sight spawned, forked;
  const std::vector<Namespace> namespaces =
      UserMountNet("net", holder_->NamespacePath("net"));
  const absl::Status spawned_status = RunReexecAction(
      "look", Namespaces(namespaces), Param(marker_), Result(&spawned));
  ASSERT_TRUE(spawned_status.ok()) << spawned_status;
  const absl::Status forked_status =
      RunReexecAction("look", Namespaces(namespaces), Param(marker_),
                      Result(&forked), ForkServer(true));
  ASSERT_TRUE(forked_status.ok()) << forked_status;
  EXPECT_EQ(forked, spawned);
  EXPECT_EQ(forked["file"], "only-here\n");
  EXPECT_EQ(forked["user"], InodeOf(holder_->NamespacePath("user")));
  EXPECT_EQ(forked["mnt"], InodeOf(holder_->NamespacePath("mnt")));
  EXPECT_EQ(forked["net"], InodeOf(holder_->NamespacePath("net")));
}

// The canonical early-open check: a path that exists only in the original
// mount namespace is reached with `!net` after `mnt`, and is not found with
// plain `net` (the copy opens it after the mount switch, as a re-executed
// child does).
TEST_F(ForkServerNamespacesTest, EarlyPathResolvesBeforeTheMountSwitch) {
  const std::string link = absl::StrCat(marker_, "-net");
  ASSERT_EQ(symlink(holder_->NamespacePath("net").c_str(), link.c_str()), 0);
  for (const char* type : {"!net", "net"}) {
    Sight spawned, forked;
    const absl::Status spawned_status =
        RunReexecAction("look", Namespaces(UserMountNet(type, link)),
                        Param(marker_), Result(&spawned));
    const absl::Status forked_status =
        RunReexecAction("look", Namespaces(UserMountNet(type, link)),
                        Param(marker_), Result(&forked), ForkServer(true));
    EXPECT_EQ(forked_status, spawned_status) << type;
    EXPECT_EQ(forked, spawned) << type;
    if (std::string(type) == "!net") {
      EXPECT_TRUE(forked_status.ok()) << forked_status;
      EXPECT_EQ(forked["net"], InodeOf(holder_->NamespacePath("net")));
    } else {
      EXPECT_EQ(forked_status.code(), absl::StatusCode::kNotFound)
          << forked_status;
    }
  }
  unlink(link.c_str());
}

// Needs no namespace of its own: every path fails before anything is
// entered.
TEST(ForkServerErrorsTest, SwitchFailuresAreTheSpawnPaths) {
  const std::string file = absl::StrCat(getenv("TEST_TMPDIR"), "/plain-file");
  std::ofstream(file) << "not a namespace";
  const std::vector<std::vector<Namespace>> cases = {
      {{"net", "/nonexistent/gons/ns"}},
      {{"net", "/proc/self/ns/user"}},  // Of another type.
      {{"net", file}},
      {{"net", "/proc/self"}},  // A directory.
      {{"uts", "/proc/self/ns/uts"}, {"!net", "/nonexistent/early"}},
      {{"mnt", "/proc/self/ns/mnt"}, {"net", "/nonexistent/late"}},
  };
  for (const std::vector<Namespace>& namespaces : cases) {
    const absl::Status spawned =
        RunReexecAction("noop", Namespaces(namespaces));
    const absl::Status forked =
        RunReexecAction("noop", Namespaces(namespaces), ForkServer(true));
    EXPECT_FALSE(spawned.ok()) << namespaces.back().path;
    EXPECT_EQ(forked, spawned) << namespaces.back().path;
  }
}

// As an ordinary user (uid 65534 when the test runs as root): a namespace
// file the user may not open, and one it may open but not enter.
TEST(ForkServerErrorsTest, PermissionDeniedAsAnOrdinaryUser) {
  const integration::Privilege privilege =
      integration::Privilege::kUnprivileged;
  if (const std::string why = integration::PrivilegeUnavailable(privilege);
      !why.empty()) {
    GONS_SKIP_OR_FAIL(why);
  }
  absl::StatusOr<integration::ProbeCopy> probe =
      integration::ProbeCopy::Create("reexec/fork_server_probe");
  ASSERT_TRUE(probe.ok()) << probe.status();
  for (const char* target : {"net=/proc/1/ns/net", "net=/proc/self/ns/net"}) {
    integration::SubprocessOptions options;
    options.argv = {probe->path(), target};
    options.environment = integration::CleanEnvironment();
    options.unprivileged = integration::MustDropPrivileges(privilege);
    absl::StatusOr<integration::SubprocessResult> result =
        integration::RunSubprocess(options);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(result->exit_code, 0) << result->standard_error;
    const std::vector<std::string> lines =
        absl::StrSplit(result->standard_output, '\n', absl::SkipEmpty());
    ASSERT_EQ(lines.size(), 2u) << result->standard_output;
    EXPECT_THAT(lines[0], HasSubstr("PERMISSION_DENIED")) << target;
    EXPECT_EQ(lines[1], lines[0]) << target;
  }
}

// The program owns its helper: an exit() stops and reaps it before the
// program is gone, and a program killed outright leaves a helper that ends
// by itself (it watches the program through a pidfd).
TEST(ForkServerHelperTest, EndsWithTheProgram) {
  for (const bool killed : {false, true}) {
    integration::SubprocessOptions options;
    options.argv = {integration::RunfilePath("reexec/fork_server_probe"),
                    "--helper"};
    options.environment = integration::CleanEnvironment();
    absl::StatusOr<integration::RunningProcess> probe =
        integration::StartSubprocess(options);
    ASSERT_TRUE(probe.ok()) << probe.status();
    std::string line;
    char byte = 0;
    while (read(probe->standard_output, &byte, 1) == 1 && byte != '\n') {
      line.push_back(byte);
    }
    const std::string stat = absl::StrCat("/proc/", line, "/stat");
    EXPECT_TRUE(std::ifstream(stat)) << "no helper: \"" << line << "\"";
    if (killed) kill(probe->pid, SIGKILL);
    close(probe->standard_input);
    int wait_status = 0;
    ASSERT_EQ(waitpid(probe->pid, &wait_status, 0), probe->pid);
    close(probe->standard_output);
    if (!killed) {
      EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0);
      // Reaped by the program before its exit.
      EXPECT_FALSE(std::ifstream(stat)) << "helper " << line << " outlived it";
      continue;
    }
    // Orphaned: it sees the program's end, exits, and init reaps it.
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (std::ifstream(stat) && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    EXPECT_FALSE(std::ifstream(stat)) << "helper " << line << " lives on";
  }
}

}  // namespace
}  // namespace gons::reexec
