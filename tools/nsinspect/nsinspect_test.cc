// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: the nsinspect program against throwaway namespaces with known
// content, made by each test with unshare or bwrap (an interface and
// address added with ip, a host name set, a tmpfs mounted, a System V IPC
// object made with ipcmk), as root and rootless, in table and JSON output;
// and bad targets, which get one-line errors while the others are reported.

#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
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
#include "integration/probe_runner.h"
#include "integration/subprocess.h"
#include "rapidjson/document.h"
#include "reexec/json.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {
namespace {

using ::gons::integration::NamespaceHolder;
using ::gons::integration::Privilege;
using ::gons::integration::SubprocessResult;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// A user, mount, uts, net and IPC namespace with known content.
const std::vector<std::string> kUnshareLauncher = {
    "unshare", "--user", "--map-root-user", "--mount", "--uts",
    "--net",   "--ipc"};
constexpr char kUnshareSetup[] = R"(
hostname gons-unshare
ip link add gons0 type veth peer name gons1
ip addr add 10.199.0.1/24 dev gons0
ip link set gons0 up
ip link set gons1 up
mount -t tmpfs gons-unshare-tmpfs /mnt
ipcmk -M 4096 >/dev/null
)";

// The same kinds, plus a PID namespace with its own /proc, made by bwrap.
const std::vector<std::string> kBwrapLauncher = {"bwrap",
                                                 "--unshare-user",
                                                 "--unshare-uts",
                                                 "--unshare-net",
                                                 "--unshare-ipc",
                                                 "--unshare-pid",
                                                 "--uid",
                                                 "0",
                                                 "--cap-add",
                                                 "CAP_NET_ADMIN",
                                                 "--hostname",
                                                 "gons-bwrap",
                                                 "--dev-bind",
                                                 "/",
                                                 "/",
                                                 "--proc",
                                                 "/proc",
                                                 "--tmpfs",
                                                 "/mnt"};
constexpr char kBwrapSetup[] = R"(
ip addr add 10.199.1.1/24 dev lo
ip link set lo up
ipcmk -Q >/dev/null
)";

// Decodes the view of target `index` of nsinspect's --json output.
NamespaceView ViewOf(const rapidjson::Document& json, int index) {
  NamespaceView view;
  const rapidjson::Value& target = json["targets"][index];
  EXPECT_TRUE(target["ok"].GetBool());
  const absl::Status status =
      reexec::JsonCodec<NamespaceView>::Decode(target["view"], &view);
  EXPECT_TRUE(status.ok()) << status;
  return view;
}

const NetworkInterface* FindInterface(const NamespaceView& view,
                                      const std::string& name) {
  for (const NetworkInterface& interface : view.interfaces) {
    if (interface.name == name) return &interface;
  }
  return nullptr;
}

const Mount* FindMount(const NamespaceView& view, const std::string& point) {
  const Mount* found = nullptr;
  for (const Mount& mount : view.mounts) {
    if (mount.mount_point == point) found = &mount;  // The topmost.
  }
  return found;
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

class NsinspectTest : public ::testing::TestWithParam<Privilege> {
 protected:
  void SetUp() override {
    if (std::string why = integration::PrivilegeUnavailable(GetParam());
        !why.empty()) {
      GTEST_SKIP() << why;
    }
    if (std::string why = integration::UserNamespacesUnavailable(GetParam());
        !why.empty()) {
      GONS_SKIP_OR_FAIL(why);
    }
    // A copy that the unprivileged user can run, too.
    absl::StatusOr<integration::ProbeCopy> copy =
        integration::ProbeCopy::Create("tools/nsinspect/nsinspect");
    ASSERT_TRUE(copy.ok()) << copy.status();
    nsinspect_ = std::make_unique<integration::ProbeCopy>(*std::move(copy));
  }

  bool drop() const { return integration::MustDropPrivileges(GetParam()); }

  std::unique_ptr<NamespaceHolder> Hold(
      const std::vector<std::string>& launcher, const std::string& setup) {
    absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder =
        NamespaceHolder::Start(launcher, setup, drop());
    EXPECT_TRUE(holder.ok()) << holder.status();
    return holder.ok() ? *std::move(holder) : nullptr;
  }

  // Runs nsinspect with `arguments`, as the test's privilege says.
  SubprocessResult Run(const std::vector<std::string>& arguments) {
    integration::SubprocessOptions options;
    options.argv = {nsinspect_->path()};
    options.argv.insert(options.argv.end(), arguments.begin(), arguments.end());
    options.environment = integration::CleanEnvironment();
    options.unprivileged = drop();
    absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *std::move(result) : SubprocessResult();
  }

  rapidjson::Document RunJson(const std::vector<std::string>& arguments,
                              int expected_exit) {
    std::vector<std::string> with_json = {"--json"};
    with_json.insert(with_json.end(), arguments.begin(), arguments.end());
    const SubprocessResult result = Run(with_json);
    EXPECT_EQ(result.exit_code, expected_exit) << result.standard_error;
    rapidjson::Document json;
    json.Parse(result.standard_output.c_str());
    EXPECT_FALSE(json.HasParseError()) << result.standard_output;
    if (json.HasParseError()) json.Parse(R"({"targets": []})");
    return json;
  }

  std::unique_ptr<integration::ProbeCopy> nsinspect_;
};

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

// An IPv4 address label is a label of that address, not an interface: the
// interfaces are what `ip -o link` lists in the same namespace.
TEST_P(NsinspectTest, AddressLabelsAreLabelsNotInterfaces) {
  auto holder = Hold(kUnshareLauncher, std::string(kUnshareSetup) +
                                           "ip addr add 10.199.3.1/24 dev "
                                           "gons0 label gons0:al\n");
  ASSERT_NE(holder, nullptr);
  const std::string pid = absl::StrCat(holder->pid());
  const rapidjson::Document json = RunJson({"--pid", pid}, 0);
  const NamespaceView view = ViewOf(json, 0);
  EXPECT_EQ(FindInterface(view, "gons0:al"), nullptr);
  const NetworkInterface* gons0 = FindInterface(view, "gons0");
  ASSERT_NE(gons0, nullptr);
  std::vector<std::string> addresses;
  for (const InterfaceAddress& address : gons0->addresses) {
    if (address.family == "inet") {
      addresses.push_back(absl::StrCat(
          address.address, "/", address.prefix_length, " ", address.label));
    }
  }
  EXPECT_THAT(addresses, ::testing::ElementsAre("10.199.0.1/24 ",
                                                "10.199.3.1/24 gons0:al"));
  const SubprocessResult table = Run({"--pid", pid});
  EXPECT_THAT(table.standard_output,
              HasSubstr("10.199.3.1/24 (label gons0:al)"));

  absl::StatusOr<std::string> nsenter = integration::FindProgram("nsenter");
  ASSERT_TRUE(nsenter.ok()) << nsenter.status();
  integration::SubprocessOptions options;
  options.argv = {
      *nsenter, "--target", pid,  "--user", "--preserve-credentials",
      "--net",  "ip",       "-o", "link",   "show"};
  options.environment = integration::CleanEnvironment();
  options.unprivileged = drop();
  absl::StatusOr<SubprocessResult> oracle = RunSubprocess(options);
  ASSERT_TRUE(oracle.ok()) << oracle.status();
  ASSERT_EQ(oracle->exit_code, 0) << oracle->standard_error;
  std::vector<std::string> expected;
  for (const std::string& line : Lines(oracle->standard_output)) {
    // "3: gons0@gons1: <...": the index and the name before any "@".
    const std::vector<std::string> parts = absl::StrSplit(line, ": ");
    ASSERT_GE(parts.size(), 2u) << line;
    expected.push_back(
        absl::StrCat(parts[0], " ", parts[1].substr(0, parts[1].find('@'))));
  }
  std::vector<std::string> seen;
  for (const NetworkInterface& interface : view.interfaces) {
    seen.push_back(absl::StrCat(interface.index, " ", interface.name));
  }
  EXPECT_EQ(seen, expected);
}

// A hostile namespace's names reach the terminal escaped and the JSON as
// valid UTF-8 (escape.h): an ESC sequence and a byte that is not UTF-8 in
// the host name, a newline in a mount point. hostname(1) refuses such a
// name, so perl calls sethostname(2) (170 on x86-64) itself.
TEST_P(NsinspectTest, EscapesWhatTheNamespaceNames) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "the test names sethostname by its x86-64 number";
#endif
  auto holder = Hold(kUnshareLauncher, std::string(kUnshareSetup) + R"(
perl -e '$n = "gons\e[31m\xffx";
  syscall(170, $n, length $n) == 0 or die "sethostname: $!"'
point=$(printf '/mnt/a\nb')
mkdir "$point"
mount -t tmpfs gons-newline "$point"
latin1=$(printf '/mnt/caf\351')
mkdir "$latin1"
mount -t tmpfs gons-latin1 "$latin1"
link=$(printf 'v\377')
ip link add "$link" type veth peer name gons2
)");
  ASSERT_NE(holder, nullptr);
  const std::string pid = absl::StrCat(holder->pid());
  const SubprocessResult table = Run({"--pid", pid});
  EXPECT_EQ(table.exit_code, 0) << table.standard_error;
  EXPECT_EQ(table.standard_output.find('\x1b'), std::string::npos);
  EXPECT_EQ(table.standard_output.find('\xff'), std::string::npos);
  EXPECT_THAT(table.standard_output,
              HasSubstr("host name:    gons\\x1b[31m\\xffx\n"));
  EXPECT_THAT(table.standard_output,
              ContainsRegex("\n  /mnt/a\\\\x0ab +tmpfs +gons-newline "));

  const rapidjson::Document json = RunJson({"--pid", pid}, 0);
  NamespaceView view = ViewOf(json, 0);
  EXPECT_EQ(view.uts.host_name, "gons\x1b[31m\xef\xbf\xbdx");
  EXPECT_NE(FindMount(view, "/mnt/a\nb"), nullptr);
  // Names that are not UTF-8 cross from the child byte for byte
  // (wire_strings.h): the table shows the byte, the JSON U+FFFD.
  EXPECT_THAT(table.standard_output,
              ContainsRegex("\n  /mnt/caf\\\\xe9 +tmpfs +gons-latin1 "));
  EXPECT_THAT(table.standard_output, HasSubstr("v\\xff"));
  EXPECT_NE(FindMount(view, "/mnt/caf\xef\xbf\xbd"), nullptr);
  EXPECT_NE(FindInterface(view, "v\xef\xbf\xbd"), nullptr);
}

// A time namespace's clock offsets, as `unshare --monotonic --boottime`
// set them.
TEST_P(NsinspectTest, ReportsTimeNamespaceOffsets) {
  auto holder = Hold({"unshare", "--user", "--map-root-user", "--time",
                      "--monotonic", "50", "--boottime", "1000", "--fork"},
                     "");
  ASSERT_NE(holder, nullptr);
  const std::string pid = absl::StrCat(holder->pid());
  const rapidjson::Document json = RunJson({"--pid", pid}, 0);
  const NamespaceView view = ViewOf(json, 0);
  std::vector<std::string> offsets;
  for (const ClockOffset& offset : view.time_offsets) {
    offsets.push_back(absl::StrCat(offset.clock, " ", offset.seconds));
  }
  EXPECT_THAT(offsets, ::testing::ElementsAre("monotonic 50", "boottime 1000"));
  EXPECT_THAT(Run({"--pid", pid}).standard_output,
              HasSubstr("time offsets: monotonic +50.000000000s, boottime "
                        "+1000.000000000s\n"));
}

// A chrooted target sees only the mounts under its root, as
// `findmnt --task PID` shows them; an empty source is kept empty.
TEST_P(NsinspectTest, ChrootedTargetMountsAreWhatItSees) {
  const std::vector<std::string> launcher = {"unshare",
                                             "--user",
                                             "--map-root-user",
                                             "--mount",
                                             "/bin/sh",
                                             "-ec",
                                             R"(root=$(mktemp -d)
mount -t tmpfs "" "$root"
mkdir "$root/usr" "$root/dev"
touch "$root/dev/null"
mount --bind /usr "$root/usr"
mount --bind /dev/null "$root/dev/null"
ln -s usr/bin "$root/bin"; ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"
exec /usr/sbin/chroot "$root" "$@")",
                                             "sh"};
  auto holder = Hold(launcher, "");
  ASSERT_NE(holder, nullptr);
  const std::string pid = absl::StrCat(holder->pid());
  const rapidjson::Document json = RunJson({"--pid", pid}, 0);
  NamespaceView view = ViewOf(json, 0);
  std::vector<std::string> points;
  for (const Mount& mount : view.mounts) points.push_back(mount.mount_point);
  EXPECT_THAT(points, ::testing::ElementsAre("/", "/usr", "/dev/null"));
  ASSERT_FALSE(view.mounts.empty());
  EXPECT_EQ(view.mounts[0].type, "tmpfs");
  EXPECT_EQ(view.mounts[0].source, "");
  EXPECT_THAT(view.sources["mounts"], HasSubstr("/proc/" + pid + "/mountinfo"));

  absl::StatusOr<std::string> findmnt = integration::FindProgram("findmnt");
  ASSERT_TRUE(findmnt.ok()) << findmnt.status();
  integration::SubprocessOptions options;
  options.argv = {*findmnt,       "--task",   pid,     "--list",
                  "--noheadings", "--output", "TARGET"};
  options.environment = integration::CleanEnvironment();
  options.unprivileged = drop();
  absl::StatusOr<SubprocessResult> oracle = RunSubprocess(options);
  ASSERT_TRUE(oracle.ok()) << oracle.status();
  EXPECT_THAT(Lines(oracle->standard_output),
              ::testing::UnorderedElementsAreArray(points));
}

// A mount namespace whose /proc is hidden (a tmpfs over it, as where no
// /proc is mounted): the child finds no /proc/self, but the mounts and id
// maps are still read, from outside through /proc/PID.
TEST_P(NsinspectTest, TargetWithoutProcIsReadFromOutside) {
  const std::vector<std::string> launcher = {
      "unshare", "--user", "--map-root-user", "--mount", "--uts"};
  auto holder = Hold(
      launcher, "hostname gons-noproc\nmount -t tmpfs gons-noproc /proc\n");
  ASSERT_NE(holder, nullptr);
  const rapidjson::Document json =
      RunJson({"--pid", absl::StrCat(holder->pid())}, 0);
  NamespaceView view = ViewOf(json, 0);
  EXPECT_EQ(view.uts.host_name, "gons-noproc");
  EXPECT_EQ(view.errors.count("mounts"), 0u) << view.errors["mounts"];
  EXPECT_EQ(view.errors.count("uid_map"), 0u) << view.errors["uid_map"];
  ASSERT_NE(FindMount(view, "/proc"), nullptr);
  EXPECT_EQ(FindMount(view, "/proc")->source, "gons-noproc");
  ASSERT_EQ(view.uid_map.size(), 1u);
  EXPECT_EQ(view.uid_map[0].inside, 0u);
  EXPECT_EQ(view.uid_map[0].outside,
            drop() ? integration::kUnprivilegedUid : getuid());
  EXPECT_THAT(view.errors["cgroups"], HasSubstr("in the /proc it sees"));
}

INSTANTIATE_TEST_SUITE_P(
    Privileges, NsinspectTest,
    ::testing::ValuesIn(integration::AvailablePrivileges()),
    [](const ::testing::TestParamInfo<Privilege>& param) {
      return integration::PrivilegeName(param.param);
    });

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

// Root only (moving a process between cgroups): a target in its own cgroup
// namespace, rooted at a cgroup of its own, sees "/" where nsinspect sees
// that cgroup's path.
TEST(NsinspectCgroupTest, ReportsTargetCgroupsAsItAndTheHostSeeThem) {
  if (std::string why = integration::PrivilegeUnavailable(Privilege::kRoot);
      !why.empty()) {
    GTEST_SKIP() << why;
  }
  // The target is in a cgroup namespace of its own (unshare --cgroup).
  GONS_REQUIRE_NAMESPACES(Privilege::kRoot, CLONE_NEWCGROUP);
  // A writable hierarchy: the v2 one, or v1 "memory", under our own cgroup.
  std::string hierarchy;
  std::string own;
  std::string own_path;
  std::ifstream self_cgroup("/proc/self/cgroup");
  const std::string self_text((std::istreambuf_iterator<char>(self_cgroup)),
                              std::istreambuf_iterator<char>());
  for (const std::string& line : Lines(self_text)) {
    const std::vector<std::string> parts = absl::StrSplit(line, ':');
    if (parts.size() != 3) continue;
    for (const auto& [controllers, mounted] :
         {std::make_pair("memory", "/sys/fs/cgroup/memory"),
          std::make_pair("", "/sys/fs/cgroup/unified"),
          std::make_pair("", "/sys/fs/cgroup")}) {
      const std::string procs =
          absl::StrCat(mounted, parts[2], "/cgroup.procs");
      if (hierarchy.empty() && parts[1] == controllers &&
          access(procs.c_str(), W_OK) == 0) {
        hierarchy = absl::StrCat(parts[0], ":", parts[1]);
        own = absl::StrCat(mounted, parts[2]);
        own_path = parts[2] == "/" ? "" : parts[2];
      }
    }
  }
  if (hierarchy.empty()) {
    GONS_SKIP_OR_FAIL("no writable cgroup hierarchy to make a child cgroup in");
  }
  const std::string cgroup = absl::StrCat(own, "/gons-svc-", getpid());
  ASSERT_EQ(mkdir(cgroup.c_str(), 0755), 0) << std::strerror(errno);
  {
    absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder =
        NamespaceHolder::Start(
            {"sh", "-c",
             absl::StrCat("echo $$ >", cgroup,
                          "/cgroup.procs; exec unshare --cgroup \"$@\""),
             "sh"},
            "", /*unprivileged=*/false);
    ASSERT_TRUE(holder.ok()) << holder.status();
    absl::StatusOr<integration::ProbeCopy> nsinspect =
        integration::ProbeCopy::Create("tools/nsinspect/nsinspect");
    ASSERT_TRUE(nsinspect.ok()) << nsinspect.status();
    integration::SubprocessOptions options;
    options.argv = {nsinspect->path(), "--json", "--pid",
                    absl::StrCat((*holder)->pid())};
    options.environment = integration::CleanEnvironment();
    absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(result->exit_code, 0) << result->standard_error;
    rapidjson::Document json;
    json.Parse(result->standard_output.c_str());
    ASSERT_FALSE(json.HasParseError()) << result->standard_output;
    const NamespaceView view = ViewOf(json, 0);
    const std::string host_path =
        absl::StrCat(own_path, "/gons-svc-", getpid());
    std::vector<std::string> target_lines;
    std::vector<std::string> host_lines;
    for (const CgroupMembership& entry : view.cgroups) {
      target_lines.push_back(absl::StrCat(entry.hierarchy, ":",
                                          entry.controllers, ":", entry.path));
    }
    for (const CgroupMembership& entry : view.host_cgroups) {
      host_lines.push_back(absl::StrCat(entry.hierarchy, ":", entry.controllers,
                                        ":", entry.path));
    }
    EXPECT_THAT(target_lines, ::testing::Contains(hierarchy + ":/"));
    EXPECT_THAT(host_lines,
                ::testing::Contains(absl::StrCat(hierarchy, ":", host_path)));
  }
  EXPECT_EQ(rmdir(cgroup.c_str()), 0) << std::strerror(errno);
}

}  // namespace
}  // namespace gons::nsinspect
