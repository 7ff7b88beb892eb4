// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: the probe, a program linked with //gons, started with gons_*
// variables that name throwaway namespaces which each test makes and removes
// again. Every test runs against namespaces made by `unshare` and by `bwrap`,
// as root and as an unprivileged user.

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
#include "integration/harness_environment.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/namespace_launcher.h"
#include "integration/probe_runner.h"
#include "integration/probe_scenario.h"
#include "integration/scenario.h"
#include "integration/subprocess.h"

namespace gons::integration {
namespace {

using ::testing::HasSubstr;

::testing::Environment* const kHarness =
    ::testing::AddGlobalTestEnvironment(new HarnessEnvironment);

// The namespaces most tests enter: a user namespace that owns the others.
const std::vector<std::string> kUserMntNetUts = {"user", "mnt", "net", "uts"};

class SwitcherTest : public ProbeScenarioTest {};

// Without gons_order every variable is applied, in the default order
// (tolerant:!user,!mnt,!cgroup,!ipc,!net,!pid,!uts,!time), whatever the
// order of the variables in the environment. Root may enter the others with
// its own privileges, so its user switch comes last; rootless, they need
// the user namespace's, so they come after it.
TEST_P(SwitcherTest, EntersEveryNamespaceInTheDefaultOrder) {
  auto holder =
      Hold({"user", "mnt", "cgroup", "ipc", "net", "uts"}, "hostname gons-e2e");
  ASSERT_NE(holder, nullptr);
  const ProbeOutput out = Probe({
      "gons_uts=" + holder->NamespacePath("uts"),
      "gons_net=" + holder->NamespacePath("net"),
      "gons_ipc=" + holder->NamespacePath("ipc"),
      "gons_cgroup=" + holder->NamespacePath("cgroup"),
      "gons_mnt=" + holder->NamespacePath("mnt"),
      "gons_user=" + holder->NamespacePath("user"),
  });
  ASSERT_TRUE(out.ok) << out.raw;
  for (const char* type : {"user", "mnt", "cgroup", "ipc", "net", "uts"}) {
    EXPECT_EQ(out.namespaces.at(type), Id(holder->NamespacePath(type))) << type;
  }
  EXPECT_EQ(out.hostname, "gons-e2e");
  EXPECT_EQ(out.uid, 0u);  // Mapped to root inside the user namespace.
  EXPECT_EQ(Outcomes(out),
            privilege() == Privilege::kRoot
                ? "!mnt:entered !cgroup:entered !ipc:entered !net:entered "
                  "!uts:entered !user:entered"
                : "!user:entered !mnt:entered !cgroup:entered !ipc:entered "
                  "!net:entered !uts:entered");
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
  EXPECT_EQ(out.hostname, "gons-e2e");
  EXPECT_EQ(out.namespaces.at("net"), Id("/proc/self/ns/net"));
  EXPECT_EQ(out.namespaces.at("mnt"), Id("/proc/self/ns/mnt"));
  EXPECT_EQ(Outcomes(out), "user:entered uts:entered");
}

// The switches run in the order given. Entering the net namespace before the
// user namespace that owns it needs privileges in the original user
// namespace: root has them, an unprivileged user gets them only by entering
// the holder's user namespace first.
TEST_P(SwitcherTest, SwitchesInTheOrderGiven) {
  auto holder = Hold(kUserMntNetUts, "hostname gons-e2e");
  ASSERT_NE(holder, nullptr);
  const ProbeOutput out = Probe({
      "gons_order=net,user,uts",
      "gons_user=" + holder->NamespacePath("user"),
      "gons_net=" + holder->NamespacePath("net"),
      "gons_uts=" + holder->NamespacePath("uts"),
  });
  if (privilege() == Privilege::kRoot) {
    ASSERT_TRUE(out.ok) << out.raw;
    EXPECT_EQ(Outcomes(out), "net:entered user:entered uts:entered");
    EXPECT_EQ(out.hostname, "gons-e2e");
  } else {
    EXPECT_EQ(out.code, "PERMISSION_DENIED") << out.raw;
    EXPECT_THAT(out.message, HasSubstr("entering the net namespace failed"));
    EXPECT_EQ(Outcomes(out), "net:failed user:not_attempted uts:not_attempted");
    EXPECT_EQ(out.namespaces.at("user"), Id("/proc/self/ns/user"));
  }
}

// The canonical early-open case: a reference to a net namespace that exists
// only in the probe's original mount namespace (a bind mount on a private
// tmpfs) is reached with `!net` after a mnt switch, and not found with `net`.
TEST_P(SwitcherTest, BangOpensPathsBeforeTheMountSwitch) {
  // Runs in a throwaway mount namespace O of its own, made by the scenario's
  // launcher. The holder B, made inside O by the same launcher, gets its
  // mount namespace before the private tmpfs exists in O. B lives while the
  // script holds its stdin, so it dies with the script whatever ends it.
  const std::string script = R"(
work=$(mktemp -d /tmp/gons-early-XXXXXX)
cleanup() {
  if [ -n "${HOLDER_PID:-}" ]; then
    input=${HOLDER[1]}
    exec {input}>&-
    wait "$HOLDER_PID" || true
  fi
  umount "$work/private/net" "$work/private" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/private"
coproc HOLDER { exec $HOLDER_LAUNCHER /bin/sh -c 'echo $$; exec cat >/dev/null'; }
read -r holder <&"${HOLDER[0]}"
mount -t tmpfs gons-private "$work/private"
touch "$work/private/net"
mount --bind "/proc/$holder/ns/net" "$work/private/net"
gons_order='mnt,!net' gons_mnt=/proc/$holder/ns/mnt gons_net="$work/private/net" "$PROBE" || true
gons_order='mnt,net' gons_mnt=/proc/$holder/ns/mnt gons_net="$work/private/net" "$PROBE" || true
)";
  std::vector<std::string> outer_types = {"mnt"};
  if (privilege() == Privilege::kUnprivileged) {
    outer_types.insert(outer_types.begin(), "user");
  }
  absl::StatusOr<std::vector<std::string>> outer =
      LauncherCommand(launcher(), outer_types);
  absl::StatusOr<std::vector<std::string>> inner =
      LauncherCommand(launcher(), {"mnt", "net"});
  ASSERT_TRUE(outer.ok() && inner.ok());
  absl::StatusOr<std::string> program = FindProgram(outer->front());
  ASSERT_TRUE(program.ok()) << program.status();
  SubprocessOptions options;
  options.argv = *outer;
  options.argv.front() = *program;
  options.argv.insert(options.argv.end(), {"/bin/bash", "-ec", script});
  options.environment =
      CleanEnvironment({"PROBE=" + probe_->path(),
                        "HOLDER_LAUNCHER=" + absl::StrJoin(*inner, " ")});
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

// The converse: a reference that exists only in the holder's mount namespace
// is found by a plain `net` after the mnt switch, and not by `!net`, which
// opens it before any switch, so that nothing is switched at all.
TEST_P(SwitcherTest, PlainTypeOpensItsPathAfterTheMountSwitch) {
  auto holder = Hold({"user", "mnt", "net"}, kPrivateNetReferenceSetup);
  ASSERT_NE(holder, nullptr);
  ASSERT_NE(access("/tmp/gons-net", F_OK), 0) << "must exist only in holder";
  const std::vector<std::string> variables = {
      "gons_user=" + holder->NamespacePath("user"),
      "gons_mnt=" + holder->NamespacePath("mnt"), "gons_net=/tmp/gons-net"};

  std::vector<std::string> late_variables = variables;
  late_variables.push_back("gons_order=user,mnt,net");
  const ProbeOutput late = Probe(late_variables);
  ASSERT_TRUE(late.ok) << late.raw;
  EXPECT_EQ(Outcomes(late), "user:entered mnt:entered net:entered");
  EXPECT_EQ(late.namespaces.at("net"), Id(holder->NamespacePath("net")));

  std::vector<std::string> early_variables = variables;
  early_variables.push_back("gons_order=user,mnt,!net");
  const ProbeOutput early = Probe(early_variables);
  EXPECT_EQ(early.code, "NOT_FOUND") << early.raw;
  EXPECT_THAT(early.message, HasSubstr("nothing was switched"));
  EXPECT_EQ(Outcomes(early),
            "user:not_attempted mnt:not_attempted !net:failed");
  EXPECT_EQ(early.namespaces.at("mnt"), Id("/proc/self/ns/mnt"));
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

TEST_P(SwitcherTest, DuplicateTypeInOrderSwitchesNothing) {
  auto holder = Hold(kUserMntNetUts);
  ASSERT_NE(holder, nullptr);
  const ProbeOutput out = Probe({
      "gons_order=user,uts,!user",
      "gons_user=" + holder->NamespacePath("user"),
      "gons_uts=" + holder->NamespacePath("uts"),
  });
  EXPECT_EQ(out.code, "INVALID_ARGUMENT") << out.raw;
  EXPECT_THAT(out.message, HasSubstr("listed more than once"));
  EXPECT_EQ(out.namespaces.at("user"), Id("/proc/self/ns/user"));
  EXPECT_EQ(out.namespaces.at("uts"), Id("/proc/self/ns/uts"));
}

TEST_P(SwitcherTest, UnknownTypeInOrderSwitchesNothing) {
  auto holder = Hold(kUserMntNetUts);
  ASSERT_NE(holder, nullptr);
  const ProbeOutput out = Probe({
      "gons_order=user,network",
      "gons_user=" + holder->NamespacePath("user"),
      "gons_net=" + holder->NamespacePath("net"),
  });
  EXPECT_EQ(out.code, "INVALID_ARGUMENT") << out.raw;
  EXPECT_THAT(out.message, HasSubstr("\"network\": unknown namespace type"));
  EXPECT_EQ(out.namespaces.at("user"), Id("/proc/self/ns/user"));
  EXPECT_EQ(out.namespaces.at("net"), Id("/proc/self/ns/net"));
}

// Namespaces of another user: root may enter them, an unprivileged user may
// not enter root's (the kernel's ptrace and capability checks refuse it).
// An ordinary user cannot start a process as anyone else; the namespaces of
// another user it can reach are root's own, those of the initial user
// namespace that the probe starts in, and the kernel refuses them likewise.
TEST_P(SwitcherTest, OnlyRootEntersAnotherUsersNamespaces) {
  if (geteuid() != 0) {
    const std::string uts = "/proc/self/ns/uts";
    absl::StatusOr<uid_t> owner = NamespaceOwnerUid(uts);
    ASSERT_TRUE(owner.ok()) << owner.status();
    ASSERT_EQ(*owner, uid_t{0}) << "this test's uts namespace is not root's";
    const ProbeOutput out = Probe({"gons_uts=" + uts});
    EXPECT_EQ(out.code, "PERMISSION_DENIED") << out.raw;
    EXPECT_THAT(out.message,
                HasSubstr("lacks CAP_SYS_ADMIN in the user namespace that "
                          "owns this namespace"));
    EXPECT_EQ(Outcomes(out), "!uts:failed");
    EXPECT_EQ(out.namespaces.at("uts"), Id(uts));
    return;
  }
  // Rootless: the probe runs as the unprivileged user, the holder as root.
  // As root: the other way round.
  const bool holder_unprivileged = privilege() == Privilege::kRoot;
  std::vector<std::string> types = {"uts"};
  if (holder_unprivileged) types.insert(types.begin(), "user");
  absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder = StartHolder(
      launcher(), types, "hostname other-user", holder_unprivileged);
  ASSERT_TRUE(holder.ok()) << holder.status();
  const ProbeOutput out =
      Probe({"gons_uts=" + (*holder)->NamespacePath("uts")});
  if (privilege() == Privilege::kRoot) {
    EXPECT_TRUE(out.ok) << out.raw;
    EXPECT_EQ(out.hostname, "other-user");
  } else {
    EXPECT_EQ(out.code, "PERMISSION_DENIED") << out.raw;
    EXPECT_NE(out.hostname, "other-user");
    EXPECT_EQ(Outcomes(out), "!uts:failed");
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, SwitcherTest,
                         ::testing::ValuesIn(AllScenarios()), ScenarioName);

}  // namespace
}  // namespace gons::integration
