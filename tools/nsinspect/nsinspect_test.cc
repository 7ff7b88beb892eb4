// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: the nsinspect program against throwaway namespaces with known
// content (nsinspect_fixture.h), as root and rootless, in table and JSON
// output: targets given as processes, namespace files, descriptors and
// named net namespaces; and bad targets, which get one-line errors while
// the others are reported.

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/subprocess.h"
#include "rapidjson/document.h"
#include "tools/nsinspect/nsinspect_fixture.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {
namespace {

using ::gons::integration::Privilege;
using ::gons::integration::SubprocessResult;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

class NsinspectTest : public NsinspectFixture {};

TEST_P(NsinspectTest, ReportsUnshareNamespacesInTable) {
  auto holder = Hold(kUnshareLauncher, kUnshareSetup);
  ASSERT_NE(holder, nullptr);
  const SubprocessResult result = Run({"--pid", absl::StrCat(holder->pid())});
  ASSERT_EQ(result.exit_code, 0) << result.standard_error;
  const std::string& out = result.standard_output;
  EXPECT_THAT(out, StartsWith(absl::StrCat("=== --pid ", holder->pid())));
  EXPECT_THAT(out, ContainsRegex("\nentered: +user:[0-9]+ mnt:[0-9]+ "
                                 "ipc:[0-9]+ net:[0-9]+ uts:[0-9]+\n"));
  EXPECT_THAT(out, HasSubstr("\nhost name:    gons-unshare\n"));
  EXPECT_THAT(out, ContainsRegex("\n  [0-9]+ +gons0 +up +[0-9]+ +"
                                 "[0-9a-f:]+ +10\\.199\\.0\\.1/24[ \n]"));
  EXPECT_THAT(out, ContainsRegex("\n  [0-9]+ +gons1 +up "));
  EXPECT_THAT(out, ContainsRegex("\n  /mnt +tmpfs +gons-unshare-tmpfs +rw"));
  EXPECT_THAT(out, ContainsRegex("\n  shm +0x[0-9a-f]{8} +[0-9]+ +644 +0 "
                                 "+4096\n"));
  EXPECT_THAT(out, HasSubstr("\nuid map:      0->"));
  EXPECT_THAT(out, Not(HasSubstr("not read")));
  EXPECT_THAT(result.standard_error, IsEmpty());
}

TEST_P(NsinspectTest, ReportsUnshareNamespacesInJson) {
  auto holder = Hold(kUnshareLauncher, kUnshareSetup);
  ASSERT_NE(holder, nullptr);
  const rapidjson::Document json =
      RunJson({"--pid", absl::StrCat(holder->pid())}, 0);
  ASSERT_EQ(json["targets"].Size(), 1u);
  const rapidjson::Value& target = json["targets"][0];
  EXPECT_EQ(std::string(target["target"].GetString()),
            absl::StrCat("--pid ", holder->pid()));
  for (const rapidjson::Value& entry : target["namespaces"].GetArray()) {
    const std::string type = entry["type"].GetString();
    absl::StatusOr<unsigned long long> id =
        integration::NamespaceId(holder->NamespacePath(type));
    ASSERT_TRUE(id.ok()) << id.status();
    EXPECT_EQ(entry["id"].GetUint64(), *id) << type;
    const bool made_by_unshare = type == "user" || type == "mnt" ||
                                 type == "uts" || type == "net" ||
                                 type == "ipc";
    EXPECT_EQ(entry["entered"].GetBool(), made_by_unshare) << type;
  }

  const NamespaceView view = ViewOf(json, 0);
  EXPECT_THAT(view.errors, IsEmpty());
  EXPECT_EQ(view.uts.host_name, "gons-unshare");
  EXPECT_EQ(view.namespace_ids.at("net"),
            *integration::NamespaceId(holder->NamespacePath("net")));
  const NetworkInterface* gons0 = FindInterface(view, "gons0");
  ASSERT_NE(gons0, nullptr);
  EXPECT_TRUE(gons0->up);
  ASSERT_FALSE(gons0->addresses.empty());
  EXPECT_EQ(gons0->addresses[0].family, "inet");
  EXPECT_EQ(gons0->addresses[0].address, "10.199.0.1");
  EXPECT_EQ(gons0->addresses[0].prefix_length, 24);
  const NetworkInterface* lo = FindInterface(view, "lo");
  ASSERT_NE(lo, nullptr);
  EXPECT_FALSE(lo->up);  // A new net namespace's loopback starts down.
  const Mount* mnt = FindMount(view, "/mnt");
  ASSERT_NE(mnt, nullptr);
  EXPECT_EQ(mnt->type, "tmpfs");
  EXPECT_EQ(mnt->source, "gons-unshare-tmpfs");
  ASSERT_EQ(view.uid_map.size(), 1u);
  EXPECT_EQ(view.uid_map[0].inside, 0u);
  EXPECT_EQ(view.uid_map[0].outside,
            drop() ? integration::kUnprivilegedUid : getuid());
  ASSERT_EQ(view.ipc_objects.size(), 1u);
  EXPECT_EQ(view.ipc_objects[0].kind, "shm");
  EXPECT_EQ(view.ipc_objects[0].size, 4096u);
}

TEST_P(NsinspectTest, ReportsBwrapNamespacesThroughTheirPidNamespace) {
  if (!integration::FindProgram("bwrap").ok()) {
    GONS_SKIP_OR_FAIL("bwrap is not installed (Debian: bubblewrap)");
  }
  auto holder = Hold(kBwrapLauncher, kBwrapSetup);
  ASSERT_NE(holder, nullptr);
  // The holder is inside bwrap's namespaces (bwrap itself stays outside).
  const pid_t inside = holder->pid();

  const SubprocessResult table = Run({"--pid", absl::StrCat(inside)});
  ASSERT_EQ(table.exit_code, 0) << table.standard_error;
  EXPECT_THAT(table.standard_output, HasSubstr("\nhost name:    gons-bwrap\n"));
  EXPECT_THAT(table.standard_output,
              ContainsRegex("\n  1 +lo +up [^\n]* 10\\.199\\.1\\.1/24"));
  EXPECT_THAT(table.standard_output, ContainsRegex("\n  /mnt +tmpfs +tmpfs "));
  EXPECT_THAT(table.standard_output, ContainsRegex(" pid:[0-9]+ uts:"));

  const rapidjson::Document json = RunJson({"--pid", absl::StrCat(inside)}, 0);
  const NamespaceView view = ViewOf(json, 0);
  // /proc in there belongs to bwrap's PID namespace: only a process inside
  // it (nsinspect's grandchild) can read /proc/self there.
  EXPECT_THAT(view.errors, IsEmpty());
  EXPECT_EQ(
      view.namespace_ids.at("pid"),
      *integration::NamespaceId(absl::StrCat("/proc/", inside, "/ns/pid")));
  EXPECT_EQ(view.uts.host_name, "gons-bwrap");
  const NetworkInterface* lo = FindInterface(view, "lo");
  ASSERT_NE(lo, nullptr);
  EXPECT_TRUE(lo->up);
  bool has_address = false;
  for (const InterfaceAddress& address : lo->addresses) {
    has_address = has_address || address.address == "10.199.1.1";
  }
  EXPECT_TRUE(has_address);
  ASSERT_NE(FindMount(view, "/mnt"), nullptr);
  EXPECT_EQ(FindMount(view, "/mnt")->type, "tmpfs");
  ASSERT_EQ(view.ipc_objects.size(), 1u);
  EXPECT_EQ(view.ipc_objects[0].kind, "msg");
}

TEST_P(NsinspectTest, BadTargetsGetOneLineErrorsWhileOthersAreReported) {
  auto holder = Hold(kUnshareLauncher, kUnshareSetup);
  ASSERT_NE(holder, nullptr);
  const std::string pid = absl::StrCat(holder->pid());
  const std::vector<std::string> arguments = {
      "--net", "/proc/self/status",         "--pid", "999999999", "--pid", pid,
      "--uts", holder->NamespacePath("net")};
  const SubprocessResult result = Run(arguments);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.standard_output,
              StartsWith(absl::StrCat("=== --pid ", pid, "\n")));
  EXPECT_THAT(result.standard_output, HasSubstr("gons-unshare"));
  EXPECT_THAT(
      Lines(result.standard_error),
      ::testing::ElementsAre(
          "nsinspect: --net /proc/self/status: /proc/self/status is not a "
          "namespace file",
          "nsinspect: --pid 999999999: no such process (/proc/999999999 does "
          "not exist)",
          absl::StrCat("nsinspect: --uts ", holder->NamespacePath("net"), ": ",
                       holder->NamespacePath("net"),
                       " is a net namespace, not a uts namespace")));

  const rapidjson::Document json = RunJson(arguments, 1);
  ASSERT_EQ(json["targets"].Size(), 4u);
  EXPECT_FALSE(json["targets"][0]["ok"].GetBool());
  EXPECT_EQ(std::string(json["targets"][0]["error"]["code"].GetString()),
            "INVALID_ARGUMENT");
  EXPECT_EQ(std::string(json["targets"][1]["error"]["code"].GetString()),
            "NOT_FOUND");
  EXPECT_EQ(ViewOf(json, 2).uts.host_name, "gons-unshare");
  EXPECT_FALSE(json["targets"][3]["ok"].GetBool());
}

// A named network namespace, as `ip netns add` makes one: a bind mount of
// the namespace file on /run/netns/NAME. Done in a throwaway mount namespace
// on a private /run, so that the host's /run/netns is left alone (and so that
// it works rootless, where `ip netns add` cannot return to the host's net
// namespace).
TEST_P(NsinspectTest, ReportsNamedNetNamespace) {
  const std::string script = R"(
mount -t tmpfs gons-run /run
mkdir /run/netns
touch /run/netns/gons-blue
unshare --net /bin/sh -ec '
  ip addr add 10.199.2.1/24 dev lo
  ip link set lo up
  mount --bind /proc/self/ns/net /run/netns/gons-blue'
"$NSINSPECT" --netns gons-blue --netns gons-missing
)";
  integration::SubprocessOptions options;
  absl::StatusOr<std::string> unshare = integration::FindProgram("unshare");
  ASSERT_TRUE(unshare.ok()) << unshare.status();
  options.argv = {*unshare, "--mount"};
  if (GetParam() == Privilege::kUnprivileged) {
    options.argv.insert(options.argv.begin() + 1,
                        {"--user", "--map-root-user"});
  }
  options.argv.insert(options.argv.end(), {"/bin/sh", "-ec", script});
  options.environment =
      integration::CleanEnvironment({"NSINSPECT=" + nsinspect_->path()});
  options.unprivileged = drop();
  absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 1) << result->standard_error;
  EXPECT_THAT(result->standard_output,
              StartsWith("=== --netns gons-blue\nentered:      net:"));
  EXPECT_THAT(result->standard_output,
              ContainsRegex("\n  1 +lo +up [^\n]* 10\\.199\\.2\\.1/24"));
  EXPECT_EQ(result->standard_error,
            "nsinspect: --netns gons-missing: /run/netns/gons-missing: No "
            "such file or directory\n");
}

// A zombie has no namespaces left: an error naming why, never nsinspect's
// own view.
TEST_P(NsinspectTest, ZombieTargetIsAnErrorNamingWhy) {
  std::fflush(nullptr);
  const pid_t child = fork();
  ASSERT_GE(child, 0) << std::strerror(errno);
  if (child == 0) _exit(0);
  siginfo_t info;
  ASSERT_EQ(waitid(P_PID, child, &info, WEXITED | WNOWAIT), 0)
      << std::strerror(errno);
  const SubprocessResult result = Run({"--pid", absl::StrCat(child)});
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.standard_output, IsEmpty());
  EXPECT_EQ(result.standard_error,
            absl::StrCat("nsinspect: --pid ", child, ": process ", child,
                         " has exited (a zombie its parent has not reaped): "
                         "its namespaces are gone\n"));
}

// A path is the file nsinspect sees, descriptors included: the child must
// not reopen /proc/self/fd/3 as its own descriptor 3.
TEST_P(NsinspectTest, DescriptorPathsNameNsinspectsDescriptors) {
  auto holder = Hold(kUnshareLauncher, kUnshareSetup);
  ASSERT_NE(holder, nullptr);
  integration::SubprocessOptions options;
  options.argv = {"/bin/sh", "-ec",
                  "exec \"$NSINSPECT\" --json --user /proc/self/fd/3 "
                  "--net /dev/fd/4 --uts /proc/self/fd/5 3<\"$USERNS\" "
                  "4<\"$NETNS\" 5<\"$UTSNS\""};
  options.environment =
      integration::CleanEnvironment({"NSINSPECT=" + nsinspect_->path(),
                                     "USERNS=" + holder->NamespacePath("user"),
                                     "NETNS=" + holder->NamespacePath("net"),
                                     "UTSNS=" + holder->NamespacePath("uts")});
  options.unprivileged = drop();
  absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->exit_code, 0) << result->standard_error;
  rapidjson::Document json;
  json.Parse(result->standard_output.c_str());
  ASSERT_FALSE(json.HasParseError()) << result->standard_output;
  const NamespaceView view = ViewOf(json, 0);
  EXPECT_EQ(view.uts.host_name, "gons-unshare");
  EXPECT_NE(FindInterface(view, "gons0"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Privileges, NsinspectTest,
                         ::testing::ValuesIn(PrivilegeValues()),
                         PrivilegeTestName);

// Rootless only: another user's process cannot be inspected.
TEST(NsinspectPermissionTest, AnotherUsersProcessIsAOneLineError) {
  if (std::string why =
          integration::PrivilegeUnavailable(Privilege::kUnprivileged);
      !why.empty()) {
    GTEST_SKIP() << why;
  }
  const bool drop = integration::MustDropPrivileges(Privilege::kUnprivileged);
  struct stat init;
  ASSERT_EQ(stat("/proc/1", &init), 0) << std::strerror(errno);
  if (init.st_uid == (drop ? integration::kUnprivilegedUid : getuid())) {
    GTEST_SKIP() << "process 1 belongs to the user nsinspect would run as";
  }
  absl::StatusOr<integration::ProbeCopy> nsinspect =
      integration::ProbeCopy::Create("tools/nsinspect/nsinspect");
  ASSERT_TRUE(nsinspect.ok()) << nsinspect.status();
  integration::SubprocessOptions options;
  options.argv = {nsinspect->path(), "--pid", "1"};
  options.environment = integration::CleanEnvironment();
  options.unprivileged = drop;
  absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 1);
  EXPECT_THAT(result->standard_output, IsEmpty());
  EXPECT_EQ(result->standard_error,
            "nsinspect: --pid 1: /proc/1/ns/user: Permission denied (another "
            "user's process needs root or CAP_SYS_PTRACE)\n");
}

}  // namespace
}  // namespace gons::nsinspect
