// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: what the switcher does for kinds of programs and paths rather
// than for kinds of namespaces: paths that are no namespace or that it may
// not enter, time namespaces, multi-threaded, static, set-user-ID and
// file-capability programs. Run as root and as an unprivileged user; the
// namespaces are made by `unshare` (bwrap cannot make time namespaces, and
// switcher_test covers bwrap's).

#include <endian.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/xattr.h>
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
using ::testing::Not;

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
// rootless, set-user-ID root, started by the unprivileged user. An ordinary
// user can make a program set-user-ID only to itself: started by that user
// it changes no ID, so the kernel sets no AT_SECURE and the switcher must
// treat it as any other program, going on to setns(), which the kernel
// refuses for the initial net namespace (root's) with EPERM.
TEST_P(SwitcherProgramWithoutNamespacesTest,
       SetUserIdProgramIgnoresTheVariables) {
  const bool test_is_root = geteuid() == 0;
  uid_t owner = getuid();
  if (test_is_root) {
    owner = privilege() == Privilege::kRoot ? kUnprivilegedUid : uid_t{0};
    ASSERT_EQ(chown(probe_->path().c_str(), owner, owner), 0);
  }
  ASSERT_EQ(chmod(probe_->path().c_str(), 04755), 0);
  const ProbeOutput out = Probe({"gons_net=/proc/self/ns/net"});
  ASSERT_EQ(out.euid, owner) << "the set-user-ID bit had no effect here";
  if (!test_is_root) {
    EXPECT_EQ(out.uid, owner);
    EXPECT_EQ(out.code, "PERMISSION_DENIED") << out.raw;
    EXPECT_THAT(out.message, Not(HasSubstr("AT_SECURE")));
    EXPECT_THAT(out.message,
                HasSubstr("lacks CAP_SYS_ADMIN in the user namespace that "
                          "owns this namespace"));
    EXPECT_EQ(Outcomes(out), "!net:failed");
    return;
  }
  EXPECT_EQ(out.code, "FAILED_PRECONDITION") << out.raw;
  EXPECT_THAT(out.message, HasSubstr("AT_SECURE"));
  EXPECT_THAT(out.report, IsEmpty());
}

// Likewise a program with a file capability, started by a user it gives
// more privileges to. Root gains nothing from it: the kernel sets no
// AT_SECURE, and the program enters the namespaces like any other of root's.
// An ordinary user can give a program a file capability only in a user
// namespace of its own, where the kernel stores it for that namespace's root
// (rootid, the user itself) and grants it only there, where that user has
// every capability already: started by the user the program gains nothing,
// and it enters the user's namespaces like any other program.
TEST_P(SwitcherProgramTest, FileCapabilityProgramIgnoresTheVariables) {
  const bool test_is_root = geteuid() == 0;
  absl::StatusOr<std::string> setcap = FindProgram("setcap");
  ASSERT_TRUE(setcap.ok()) << setcap.status();
  SubprocessOptions options;
  options.argv = {*setcap, "cap_net_raw+ep", probe_->path()};
  if (!test_is_root) {
    absl::StatusOr<std::string> unshare = FindProgram("unshare");
    ASSERT_TRUE(unshare.ok()) << unshare.status();
    options.argv.insert(options.argv.begin(),
                        {*unshare, "--user", "--map-root-user"});
  }
  options.environment = CleanEnvironment();
  absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->exit_code, 0) << result->standard_error;
  if (!test_is_root) {
    vfs_ns_cap_data capability = {};
    ASSERT_EQ(getxattr(probe_->path().c_str(), "security.capability",
                       &capability, sizeof(capability)),
              XATTR_CAPS_SZ_3)
        << "no capability of a user namespace on the probe";
    EXPECT_EQ(le32toh(capability.magic_etc) & VFS_CAP_REVISION_MASK,
              VFS_CAP_REVISION_3);
    EXPECT_EQ(le32toh(capability.rootid), getuid());
    auto holder = Hold({"user", "uts"}, "hostname gons-file-capability");
    ASSERT_NE(holder, nullptr);
    const ProbeOutput out = Probe({"gons_user=" + holder->NamespacePath("user"),
                                   "gons_uts=" + holder->NamespacePath("uts")});
    ASSERT_TRUE(out.ok) << out.raw;
    EXPECT_EQ(out.hostname, "gons-file-capability");
    return;
  }
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
