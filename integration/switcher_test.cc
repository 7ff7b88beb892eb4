// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: programs linked with //gons, started with gons_* variables,
// entering throwaway namespaces that each test makes with `unshare` (as root
// and as an unprivileged user) and removes again.

#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/probe_runner.h"
#include "integration/subprocess.h"

namespace gons::integration {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The namespaces most tests enter: a user namespace that owns the others.
const std::vector<std::string> kUserMntNetUts = {
    "unshare", "--user", "--map-root-user", "--mount", "--net", "--uts"};

class SwitcherTest : public ::testing::TestWithParam<Privilege> {
 protected:
  void SetUp() override {
    if (std::string why = PrivilegeUnavailable(GetParam()); !why.empty()) {
      GTEST_SKIP() << why;
    }
    if (std::string why = UserNamespacesUnavailable(GetParam()); !why.empty()) {
      GONS_SKIP_OR_FAIL(why);
    }
    absl::StatusOr<ProbeCopy> probe = ProbeCopy::Create();
    ASSERT_TRUE(probe.ok()) << probe.status();
    probe_ = std::make_unique<ProbeCopy>(*std::move(probe));
  }

  bool drop() const { return MustDropPrivileges(GetParam()); }

  std::unique_ptr<NamespaceHolder> Hold(std::vector<std::string> launcher,
                                        const std::string& setup = "") {
    absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder =
        NamespaceHolder::Start(std::move(launcher), setup, drop());
    EXPECT_TRUE(holder.ok()) << holder.status();
    return holder.ok() ? *std::move(holder) : nullptr;
  }

  // Runs the probe (or another copy) and checks what must hold after every
  // start: the switcher's variables are gone and it left no descriptor open.
  ProbeOutput Probe(const std::vector<std::string>& variables,
                    const ProbeCopy* program = nullptr) {
    if (program == nullptr) program = probe_.get();
    absl::StatusOr<ProbeOutput> output = program->Run(variables, drop());
    EXPECT_TRUE(output.ok()) << output.status();
    if (!output.ok()) return ProbeOutput();
    EXPECT_THAT(output->leftover_variables, IsEmpty()) << output->raw;
    EXPECT_THAT(output->open_descriptors, ElementsAre(0, 1, 2)) << output->raw;
    EXPECT_EQ(output->exit_code, output->ok ? 0 : 2) << output->raw;
    return *std::move(output);
  }

  static unsigned long long Id(const std::string& path) {
    absl::StatusOr<unsigned long long> id = NamespaceId(path);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.ok() ? *id : 0;
  }

  static std::string Outcomes(const ProbeOutput& output) {
    std::vector<std::string> outcomes;
    for (const ProbeReportEntry& entry : output.report) {
      outcomes.push_back(absl::StrCat(entry.open_early ? "!" : "", entry.type,
                                      ":", entry.outcome));
    }
    return absl::StrJoin(outcomes, " ");
  }

  std::unique_ptr<ProbeCopy> probe_;
};

TEST_P(SwitcherTest, EntersUserMntNetUtsTogether) {
  auto holder = Hold(kUserMntNetUts, "hostname gons-e2e");
  ASSERT_NE(holder, nullptr);
  const ProbeOutput out = Probe({
      "gons_user=" + holder->NamespacePath("user"),
      "gons_mnt=" + holder->NamespacePath("mnt"),
      "gons_net=" + holder->NamespacePath("net"),
      "gons_uts=" + holder->NamespacePath("uts"),
  });
  ASSERT_TRUE(out.ok) << out.raw;
  for (const char* type : {"user", "mnt", "net", "uts"}) {
    EXPECT_EQ(out.namespaces.at(type), Id(holder->NamespacePath(type))) << type;
  }
  EXPECT_EQ(out.hostname, "gons-e2e");
  EXPECT_EQ(out.uid, 0u);  // Mapped to root inside the user namespace.
  EXPECT_EQ(Outcomes(out),
            "!user:entered !mnt:entered !net:entered !uts:entered");
}

TEST_P(SwitcherTest, CustomOrderSwitchesOnlyListedTypes) {
  auto holder = Hold(kUserMntNetUts, "hostname gons-e2e");
  ASSERT_NE(holder, nullptr);
  const ProbeOutput out = Probe({
      "gons_order=user,uts",
      "gons_user=" + holder->NamespacePath("user"),
      "gons_mnt=" + holder->NamespacePath("mnt"),
      "gons_net=" + holder->NamespacePath("net"),
      "gons_uts=" + holder->NamespacePath("uts"),
  });
  ASSERT_TRUE(out.ok) << out.raw;
  EXPECT_EQ(out.namespaces.at("uts"), Id(holder->NamespacePath("uts")));
  EXPECT_EQ(out.namespaces.at("net"), Id("/proc/self/ns/net"));
  EXPECT_EQ(out.namespaces.at("mnt"), Id("/proc/self/ns/mnt"));
  EXPECT_EQ(Outcomes(out), "user:entered uts:entered");
}

// The canonical early-open case: a reference to a net namespace that exists
// only in the probe's original mount namespace (a bind mount on a private
// tmpfs) is reached with `!net` after a mnt switch, and not found with `net`.
TEST_P(SwitcherTest, BangOpensPathsBeforeTheMountSwitch) {
  // Runs in a mount namespace of its own (O), made by the launcher below; the
  // holder's mount namespace (B) is copied from O before the tmpfs exists.
  const std::string script = R"(
work=$(mktemp -d /tmp/gons-early-XXXXXX)
trap 'echo >"$work/release"; wait; umount "$work/private/net" "$work/private" 2>/dev/null; rm -rf "$work"' EXIT
mkdir "$work/private"
mkfifo "$work/ready" "$work/release"
unshare --mount --net sh -c 'echo $$ >"$1/ready"; read line <"$1/release"' holder "$work" &
read holder <"$work/ready"
mount -t tmpfs gons-private "$work/private"
touch "$work/private/net"
mount --bind "/proc/$holder/ns/net" "$work/private/net"
gons_order='mnt,!net' gons_mnt=/proc/$holder/ns/mnt gons_net="$work/private/net" "$PROBE" || true
gons_order='mnt,net' gons_mnt=/proc/$holder/ns/mnt gons_net="$work/private/net" "$PROBE" || true
)";
  absl::StatusOr<std::string> unshare = FindProgram("unshare");
  ASSERT_TRUE(unshare.ok());
  SubprocessOptions options;
  options.argv = {*unshare, "--mount"};
  if (GetParam() == Privilege::kUnprivileged) {
    options.argv.insert(options.argv.begin() + 1,
                        {"--user", "--map-root-user"});
  }
  options.argv.insert(options.argv.end(), {"/bin/sh", "-ec", script});
  options.environment = CleanEnvironment({"PROBE=" + probe_->path()});
  options.unprivileged = drop();
  absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->exit_code, 0) << result->standard_error;
  const std::vector<std::string> lines =
      absl::StrSplit(result->standard_output, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u)
      << result->standard_output << result->standard_error;

  absl::StatusOr<ProbeOutput> early = ParseProbeOutput(lines[0]);
  ASSERT_TRUE(early.ok()) << early.status();
  EXPECT_TRUE(early->ok) << early->raw;
  EXPECT_EQ(Outcomes(*early), "mnt:entered !net:entered");

  absl::StatusOr<ProbeOutput> late = ParseProbeOutput(lines[1]);
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_EQ(late->code, "NOT_FOUND") << late->raw;
  EXPECT_THAT(late->message, HasSubstr("write !net in gons_order"));
  EXPECT_EQ(Outcomes(*late), "mnt:entered net:failed");
  EXPECT_NE(late->namespaces.at("net"), early->namespaces.at("net"));
}

TEST_P(SwitcherTest, FailureMidwayKeepsEarlierSwitchesAndStops) {
  auto holder = Hold(kUserMntNetUts);
  ASSERT_NE(holder, nullptr);
  const ProbeOutput out = Probe({
      "gons_order=user,uts,net",
      "gons_user=" + holder->NamespacePath("user"),
      "gons_uts=/nonexistent/uts",
      "gons_net=" + holder->NamespacePath("net"),
  });
  EXPECT_EQ(out.code, "NOT_FOUND") << out.raw;
  EXPECT_EQ(out.namespaces.at("user"), Id(holder->NamespacePath("user")));
  EXPECT_EQ(out.namespaces.at("net"), Id("/proc/self/ns/net"));
  EXPECT_EQ(Outcomes(out), "user:entered uts:failed net:not_attempted");
  EXPECT_THAT(out.message, HasSubstr("entered (and still in): user"));
}

TEST_P(SwitcherTest, FailedEarlyOpenSwitchesNothing) {
  auto holder = Hold(kUserMntNetUts);
  ASSERT_NE(holder, nullptr);
  const ProbeOutput out = Probe({
      "gons_order=!user,!uts",
      "gons_user=" + holder->NamespacePath("user"),
      "gons_uts=/nonexistent/uts",
  });
  EXPECT_EQ(out.code, "NOT_FOUND") << out.raw;
  EXPECT_EQ(out.namespaces.at("user"), Id("/proc/self/ns/user"));
  EXPECT_EQ(Outcomes(out), "!user:not_attempted !uts:failed");
  EXPECT_THAT(out.message, HasSubstr("nothing was switched"));
}

TEST_P(SwitcherTest, RejectsAFileThatIsNotANamespace) {
  const ProbeOutput out = Probe({"gons_net=" + probe_->path()});
  EXPECT_EQ(out.code, "INVALID_ARGUMENT") << out.raw;
  EXPECT_THAT(out.message, HasSubstr("is not a namespace file"));
}

TEST_P(SwitcherTest, RejectsANamespaceOfAnotherType) {
  auto holder = Hold(kUserMntNetUts);
  ASSERT_NE(holder, nullptr);
  const ProbeOutput out = Probe({
      "gons_user=" + holder->NamespacePath("user"),
      "gons_net=" + holder->NamespacePath("uts"),
  });
  EXPECT_EQ(out.code, "INVALID_ARGUMENT") << out.raw;
  EXPECT_THAT(out.message,
              HasSubstr("is a uts namespace, not a net namespace"));
  EXPECT_EQ(out.namespaces.at("user"), Id("/proc/self/ns/user"));
}

TEST_P(SwitcherTest, CannotReenterItsOwnUserNamespace) {
  const ProbeOutput out = Probe({"gons_user=/proc/self/ns/user"});
  EXPECT_EQ(out.code, "INVALID_ARGUMENT") << out.raw;
  EXPECT_THAT(out.message, HasSubstr("already in this user namespace"));
}

TEST_P(SwitcherTest, MissingPathIsNotFound) {
  const ProbeOutput out = Probe({"gons_mnt=/nonexistent/mnt"});
  EXPECT_EQ(out.code, "NOT_FOUND") << out.raw;
  EXPECT_THAT(out.message, HasSubstr("gons_mnt=\"/nonexistent/mnt\""));
}

TEST_P(SwitcherTest, BadOrderSwitchesNothing) {
  auto holder = Hold(kUserMntNetUts);
  ASSERT_NE(holder, nullptr);
  const ProbeOutput out = Probe({
      "gons_order=user,user",
      "gons_user=" + holder->NamespacePath("user"),
  });
  EXPECT_EQ(out.code, "INVALID_ARGUMENT") << out.raw;
  EXPECT_EQ(out.namespaces.at("user"), Id("/proc/self/ns/user"));
}

TEST_P(SwitcherTest, EntersATimeNamespace) {
  auto holder = Hold({"unshare", "--user", "--map-root-user", "--time"});
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

TEST_P(SwitcherTest, RefusesAMultiThreadedProcess) {
  absl::StatusOr<ProbeCopy> threaded =
      ProbeCopy::Create("integration/threaded_probe");
  ASSERT_TRUE(threaded.ok()) << threaded.status();
  auto holder = Hold({"unshare", "--user", "--map-root-user", "--time"});
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

TEST_P(SwitcherTest, StaticExecutableSwitchesAndCleansItsEnvironment) {
  absl::StatusOr<ProbeCopy> static_probe =
      ProbeCopy::Create("integration/static_probe");
  ASSERT_TRUE(static_probe.ok()) << static_probe.status();
  auto holder = Hold(kUserMntNetUts, "hostname gons-static");
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
TEST_P(SwitcherTest, SetUserIdProgramIgnoresTheVariables) {
  if (geteuid() != 0) GTEST_SKIP() << "making set-user-ID programs needs root";
  const uid_t owner =
      GetParam() == Privilege::kRoot ? kUnprivilegedUid : uid_t{0};
  ASSERT_EQ(chown(probe_->path().c_str(), owner, owner), 0);
  ASSERT_EQ(chmod(probe_->path().c_str(), 04755), 0);
  const ProbeOutput out = Probe({"gons_net=/proc/self/ns/net"});
  ASSERT_EQ(out.euid, owner) << "the set-user-ID bit had no effect here";
  EXPECT_EQ(out.code, "FAILED_PRECONDITION") << out.raw;
  EXPECT_THAT(out.message, HasSubstr("AT_SECURE"));
  EXPECT_THAT(out.report, IsEmpty());
}

// Likewise a program with a file capability, started by a user it gives
// more privileges to (root gains nothing from it, so only rootless).
TEST_P(SwitcherTest, FileCapabilityProgramIgnoresTheVariables) {
  if (GetParam() == Privilege::kRoot) {
    GTEST_SKIP() << "a file capability gives root nothing, so no AT_SECURE";
  }
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
  EXPECT_EQ(out.code, "FAILED_PRECONDITION") << out.raw;
  EXPECT_THAT(out.message, HasSubstr("AT_SECURE"));
}

// An unprivileged user targets namespaces of a root process.
TEST_P(SwitcherTest, UnprivilegedUserCannotEnterRootsNamespaces) {
  if (!drop()) {
    GTEST_SKIP() << "needs a root test that runs the probe as another user";
  }
  absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder =
      NamespaceHolder::Start({"unshare", "--uts"}, "hostname root-owned",
                             /*unprivileged=*/false);
  ASSERT_TRUE(holder.ok()) << holder.status();
  const ProbeOutput out =
      Probe({"gons_uts=" + (*holder)->NamespacePath("uts")});
  EXPECT_EQ(out.code, "PERMISSION_DENIED") << out.raw;
  EXPECT_NE(out.hostname, "root-owned");
}

INSTANTIATE_TEST_SUITE_P(Privileges, SwitcherTest,
                         ::testing::Values(Privilege::kRoot,
                                           Privilege::kUnprivileged),
                         [](const ::testing::TestParamInfo<Privilege>& info) {
                           return PrivilegeName(info.param);
                         });

}  // namespace
}  // namespace gons::integration
