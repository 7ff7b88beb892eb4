// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The harness's own guarantees: a holder lives in the namespaces it was asked
// for, and once destroyed (or failed to start) neither it nor its launcher
// is left, running or as a zombie.

#include "integration/namespace_holder.h"

#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/harness_environment.h"
#include "integration/namespace_launcher.h"
#include "integration/scenario.h"

namespace gons::integration {
namespace {

using ::testing::HasSubstr;

::testing::Environment* const kHarness =
    ::testing::AddGlobalTestEnvironment(new HarnessEnvironment);

// Whether this process has any child left, running or zombie. The harness
// environment makes it a subreaper, so orphans of a holder count too.
bool HasChildren() {
  siginfo_t info = {};
  return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0;
}

class NamespaceHolderTest : public ScenarioTest {};

TEST_P(NamespaceHolderTest, HoldsNewNamespacesUntilDestroyed) {
  ASSERT_FALSE(HasChildren());
  // Setup output that looks like the ready line does not fool Start().
  auto holder = Hold({"user", "mnt", "net"}, "echo ready when you are");
  ASSERT_NE(holder, nullptr);
  EXPECT_EQ(NamespaceHolder::LiveCount(), 1);
  for (const char* type : {"user", "mnt", "net"}) {
    EXPECT_NE(Id(holder->NamespacePath(type)),
              Id(std::string("/proc/self/ns/") + type))
        << type;
  }
  // A namespace type that was not asked for is shared with the test.
  EXPECT_EQ(Id(holder->NamespacePath("uts")), Id("/proc/self/ns/uts"));

  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, holder->pid(), 0));
  ASSERT_GE(pidfd, 0);
  holder.reset();
  pollfd exited = {pidfd, POLLIN, 0};
  EXPECT_EQ(poll(&exited, 1, 0), 1) << "the holder still runs";
  close(pidfd);
  EXPECT_EQ(NamespaceHolder::LiveCount(), 0);
  EXPECT_FALSE(HasChildren()) << "the holder or its launcher was not reaped";
}

TEST_P(NamespaceHolderTest, FailedSetupLeavesNothingBehind) {
  absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder = StartHolder(
      launcher(), {"user", "mnt"}, "echo broken setup >&2; exit 3", drop());
  EXPECT_EQ(holder.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(holder.status().message(), HasSubstr("exited before it was"));
  EXPECT_EQ(NamespaceHolder::LiveCount(), 0);
  EXPECT_FALSE(HasChildren());
}

// Behind a new PID namespace the holder is a descendant of its launcher and
// knows only its inner PID; it is still found, and still reaped.
TEST_P(NamespaceHolderTest, FindsAHolderBehindAPidNamespace) {
  auto holder = Hold({"user", "pid"});
  ASSERT_NE(holder, nullptr);
  EXPECT_NE(Id(holder->NamespacePath("pid")), Id("/proc/self/ns/pid"));
  EXPECT_NE(Id(holder->NamespacePath("user")), Id("/proc/self/ns/user"));
  holder.reset();
  EXPECT_FALSE(HasChildren()) << "a process of the holder's tree was left";
}

INSTANTIATE_TEST_SUITE_P(Scenarios, NamespaceHolderTest,
                         ::testing::ValuesIn(AllScenarios()), ScenarioName);

TEST(NamespaceLauncherTest, BuildsEachToolsOptions) {
  absl::StatusOr<std::vector<std::string>> unshare =
      LauncherCommand(Launcher::kUnshare, {"user", "mnt", "net"});
  ASSERT_TRUE(unshare.ok()) << unshare.status();
  EXPECT_THAT(*unshare,
              ::testing::ElementsAre("unshare", "--user", "--map-root-user",
                                     "--mount", "--net"));
  absl::StatusOr<std::vector<std::string>> bwrap =
      LauncherCommand(Launcher::kBwrap, {"user", "mnt", "net"});
  ASSERT_TRUE(bwrap.ok()) << bwrap.status();
  EXPECT_THAT(*bwrap, ::testing::ElementsAre(
                          "bwrap", "--dev-bind", "/", "/", "--cap-add", "ALL",
                          "--die-with-parent", "--unshare-user", "--uid", "0",
                          "--gid", "0", "--unshare-net"));
}

TEST(NamespaceLauncherTest, RefusesTypesAToolCannotMake) {
  EXPECT_EQ(LauncherCommand(Launcher::kBwrap, {"user", "time"}).status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(LauncherCommand(Launcher::kUnshare, {"network"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gons::integration
