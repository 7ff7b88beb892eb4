// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: what the switcher does for kinds of programs and paths rather
// than for kinds of namespaces: paths that are no namespace or that it may
// not enter, time namespaces, multi-threaded, static, set-user-ID and
// file-capability programs. Run as root and as an unprivileged user; the
// namespaces are made by `unshare` (bwrap cannot make time namespaces, and
// switcher_test covers bwrap's).

#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/harness_environment.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/probe_runner.h"
#include "integration/probe_scenario.h"
#include "integration/scenario.h"
#include "integration/subprocess.h"

namespace gons::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

::testing::Environment* const kHarness =
    ::testing::AddGlobalTestEnvironment(new HarnessEnvironment);

class SwitcherProgramTest : public ProbeScenarioTest {};

// Cases in which the switcher refuses before any namespace call: they run
// wherever the scenario's user can, also on hosts that refuse namespaces.
class SwitcherProgramWithoutNamespacesTest : public SwitcherProgramTest {
 protected:
  SwitcherProgramWithoutNamespacesTest() { needs_namespaces_ = false; }
};

TEST_P(SwitcherProgramWithoutNamespacesTest, MissingPathIsNotFound) {
  const ProbeOutput out = Probe({"gons_mnt=/nonexistent/mnt"});
  EXPECT_EQ(out.code, "NOT_FOUND") << out.raw;
  EXPECT_THAT(out.message, HasSubstr("gons_mnt=\"/nonexistent/mnt\""));
  EXPECT_EQ(Outcomes(out), "!mnt:failed");
}

TEST_P(SwitcherProgramWithoutNamespacesTest, RejectsAFileThatIsNotANamespace) {
  const ProbeOutput out = Probe({"gons_net=" + probe_->path()});
  EXPECT_EQ(out.code, "INVALID_ARGUMENT") << out.raw;
  EXPECT_THAT(out.message, HasSubstr("is not a namespace file"));
}

TEST_P(SwitcherProgramTest, CannotReenterItsOwnUserNamespace) {
  const ProbeOutput out = Probe({"gons_user=/proc/self/ns/user"});
  EXPECT_EQ(out.code, "INVALID_ARGUMENT") << out.raw;
  EXPECT_THAT(out.message, HasSubstr("already in this user namespace"));
}

TEST_P(SwitcherProgramTest, EntersATimeNamespace) {
  auto holder = Hold({"user", "time"});
  ASSERT_NE(holder, nullptr);
  const std::string time = holder->NamespacePath("time_for_children");
  const ProbeOutput out = Probe({
      "gons_user=" + holder->NamespacePath("user"),
      "gons_time=" + time,
  });
  ASSERT_TRUE(out.ok) << out.raw;
  EXPECT_EQ(out.namespaces.at("time"), Id(time));
  EXPECT_NE(out.namespaces.at("time"), Id("/proc/self/ns/time"));
}

TEST_P(SwitcherProgramTest, RefusesAMultiThreadedProcess) {
  absl::StatusOr<ProbeCopy> threaded =
      ProbeCopy::Create("integration/threaded_probe");
  ASSERT_TRUE(threaded.ok()) << threaded.status();
  auto holder = Hold({"user", "time"});
  ASSERT_NE(holder, nullptr);
  const ProbeOutput out =
      Probe({"gons_user=" + holder->NamespacePath("user"),
             "gons_time=" + holder->NamespacePath("time_for_children")},
            &*threaded);
  EXPECT_EQ(out.code, "FAILED_PRECONDITION") << out.raw;
  EXPECT_THAT(out.message, HasSubstr("already had 2 threads"));
  EXPECT_EQ(Outcomes(out), "!user:not_attempted !time:not_attempted");
  EXPECT_EQ(out.namespaces.at("user"), Id("/proc/self/ns/user"));
}

TEST_P(SwitcherProgramTest, StaticExecutableSwitchesAndCleansItsEnvironment) {
#ifdef GONS_STATIC_EXECUTABLES_UNSUPPORTED
  GTEST_SKIP() << "this build uses a sanitizer whose runtime cannot be linked "
                  "into a static executable; the plain build runs this test";
#endif
  absl::StatusOr<ProbeCopy> static_probe =
      ProbeCopy::Create("integration/static_probe");
  ASSERT_TRUE(static_probe.ok()) << static_probe.status();
  auto holder = Hold({"user", "mnt", "net", "uts"}, "hostname gons-static");
  ASSERT_NE(holder, nullptr);
  const ProbeOutput out =
      Probe({"gons_user=" + holder->NamespacePath("user"),
             "gons_uts=" + holder->NamespacePath("uts"), "gons_order=user,uts"},
            &*static_probe);
  EXPECT_TRUE(out.ok) << out.raw;
  EXPECT_EQ(out.hostname, "gons-static");
}

// A set-user-ID program must not let whoever starts it choose its
// namespaces. As root, the probe is made set-user-ID to the unprivileged user;
// rootless, set-user-ID root, started by the unprivileged user.
TEST_P(SwitcherProgramWithoutNamespacesTest,
       SetUserIdProgramIgnoresTheVariables) {
  if (geteuid() != 0) GTEST_SKIP() << "making set-user-ID programs needs root";
  const uid_t owner =
      privilege() == Privilege::kRoot ? kUnprivilegedUid : uid_t{0};
  ASSERT_EQ(chown(probe_->path().c_str(), owner, owner), 0);
  ASSERT_EQ(chmod(probe_->path().c_str(), 04755), 0);
  const ProbeOutput out = Probe({"gons_net=/proc/self/ns/net"});
  ASSERT_EQ(out.euid, owner) << "the set-user-ID bit had no effect here";
  EXPECT_EQ(out.code, "FAILED_PRECONDITION") << out.raw;
  EXPECT_THAT(out.message, HasSubstr("AT_SECURE"));
  EXPECT_THAT(out.report, IsEmpty());
}

// Likewise a program with a file capability, started by a user it gives
// more privileges to. Root gains nothing from it: the kernel sets no
// AT_SECURE, and the program enters the namespaces like any other of root's.
TEST_P(SwitcherProgramTest, FileCapabilityProgramIgnoresTheVariables) {
  if (geteuid() != 0) GTEST_SKIP() << "setting file capabilities needs root";
  absl::StatusOr<std::string> setcap = FindProgram("setcap");
  ASSERT_TRUE(setcap.ok()) << setcap.status();
  SubprocessOptions options;
  options.argv = {*setcap, "cap_net_raw+ep", probe_->path()};
  options.environment = CleanEnvironment();
  absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->exit_code, 0) << result->standard_error;
  const ProbeOutput out = Probe({"gons_net=/proc/self/ns/net"});
  if (privilege() == Privilege::kRoot) {
    EXPECT_EQ(out.code, "OK") << out.raw;
    return;
  }
  EXPECT_EQ(out.code, "FAILED_PRECONDITION") << out.raw;
  EXPECT_THAT(out.message, HasSubstr("AT_SECURE"));
}

INSTANTIATE_TEST_SUITE_P(Scenarios, SwitcherProgramTest,
                         ::testing::ValuesIn(ScenariosOf(Launcher::kUnshare)),
                         ScenarioName);
INSTANTIATE_TEST_SUITE_P(Scenarios, SwitcherProgramWithoutNamespacesTest,
                         ::testing::ValuesIn(ScenariosOf(Launcher::kUnshare)),
                         ScenarioName);

}  // namespace
}  // namespace gons::integration
