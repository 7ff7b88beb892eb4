// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: every --via gives the same report. The thread path and the
// fork server are compared with the re-executed child, whole JSON views and
// tables alike; targets a thread cannot serve are refused on --via=thread
// and served by the fork server on --via=auto, PID namespaces included.

#include <sched.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/subprocess.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tools/nsinspect/nsinspect_fixture.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {
namespace {

using ::gons::integration::SubprocessResult;
using ::testing::HasSubstr;

class NsinspectViaTest : public NsinspectFixture {};

constexpr char kSeparator[] = "=====gons-via=====\n";

// Runs inside a user and mount namespace of its own ($1 is nsinspect),
// where nsinspect has CAP_SYS_ADMIN and so can enter from a thread, and may
// make an mqueue file system, as root and as an ordinary user: a target in new
// net, uts, ipc and cgroup namespaces (owned by that user namespace), and one
// in a mount namespace too with a tmpfs on /mnt, then nsinspect over both
// once per --via (each as --pid and as namespace files), tables and JSON,
// each run followed by the separator line. A FIFO per target says when its
// setup is done (one per target: a second read of one FIFO could open it
// while the first writer still has it open, and read its end instead).
constexpr char kEveryViaScript[] = R"(
nsinspect=$1
dir=$(mktemp -d)
mkfifo "$dir/ready" "$dir/mounted"
pids=
# Whatever fails, no target outlives the script (they hold its output open).
trap 'kill $pids 2>/dev/null || true; rm -r "$dir"' EXIT
unshare --net --uts --ipc --cgroup sh -ec '
  hostname gons-via
  ip link set lo up
  ip addr add 10.199.2.1/24 dev lo label lo:via
  ipcmk -M 4096 >/dev/null
  echo >"$1/ready"
  exec sleep 600' sh "$dir" &
target=$!
pids=$target
read -r _ <"$dir/ready"
unshare --net --uts --ipc --cgroup --mount sh -ec '
  hostname gons-via-mnt
  mount -t tmpfs gons-via-mnt /mnt
  ipcmk -Q >/dev/null
  echo >"$1/mounted"
  exec sleep 600' sh "$dir" &
mounted=$!
pids="$target $mounted"
read -r _ <"$dir/mounted"
ns=/proc/$target/ns
mns=/proc/$mounted/ns
for via in spawn thread fork-server auto; do
  for json in --json ""; do
    "$nsinspect" $json --via=$via --pid "$target" --net "$ns/net" \
      --uts "$ns/uts" --ipc "$ns/ipc" --cgroup "$ns/cgroup" \
      --pid "$mounted" --net "$mns/net" --uts "$mns/uts" --ipc "$mns/ipc" \
      --cgroup "$mns/cgroup" --mnt "$mns/mnt" || echo "exit $?"
    echo "=====gons-via====="
  done
done
kill "$target" "$mounted"
wait "$target" || true
wait "$mounted" || true
pids=
)";

std::string Compact(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

// Expects `actual` to be `expected` (two nsinspect --json documents),
// member by member of each target and its view, so that a difference is
// reported where it is.
void ExpectSameReport(const rapidjson::Value& actual,
                      const rapidjson::Value& expected,
                      const std::string& what) {
  ASSERT_EQ(actual["targets"].Size(), expected["targets"].Size()) << what;
  for (rapidjson::SizeType i = 0; i < expected["targets"].Size(); ++i) {
    const rapidjson::Value& want = expected["targets"][i];
    const rapidjson::Value& got = actual["targets"][i];
    ASSERT_EQ(got.MemberCount(), want.MemberCount()) << what;
    for (const auto& member : want.GetObject()) {
      const std::string name = member.name.GetString();
      ASSERT_TRUE(got.HasMember(member.name)) << what << ": " << name;
      if (name != "view" || !member.value.IsObject()) {
        EXPECT_EQ(Compact(got[member.name]), Compact(member.value))
            << what << ", target " << i << ": " << name;
        continue;
      }
      ASSERT_TRUE(got["view"].IsObject()) << what;
      EXPECT_EQ(got["view"].MemberCount(), member.value.MemberCount()) << what;
      for (const auto& part : member.value.GetObject()) {
        ASSERT_TRUE(got["view"].HasMember(part.name))
            << what << ": " << part.name.GetString();
        EXPECT_EQ(Compact(got["view"][part.name]), Compact(part.value))
            << what << ", target " << i << ": view." << part.name.GetString();
      }
    }
  }
}

TEST_P(NsinspectViaTest, EveryViaGivesTheSpawnedChildsReport) {
  GONS_REQUIRE_NAMESPACES(GetParam(), CLONE_NEWUSER | CLONE_NEWNS |
                                          CLONE_NEWNET | CLONE_NEWUTS |
                                          CLONE_NEWIPC | CLONE_NEWCGROUP);
  const SubprocessResult result =
      RunTool({"unshare", "--user", "--map-root-user", "--mount", "sh", "-ec",
               kEveryViaScript, "sh", nsinspect_->path()});
  ASSERT_EQ(result.exit_code, 0) << result.standard_error;
  std::vector<std::string> runs =
      absl::StrSplit(result.standard_output, kSeparator);
  ASSERT_EQ(runs.size(), 9u) << result.standard_output;
  runs.pop_back();  // What follows the last separator: nothing.
  const std::vector<std::string> vias = {"spawn", "thread", "fork-server",
                                         "auto"};
  // The spawned child's JSON and table, which every other --via must give.
  rapidjson::Document spawned;
  spawned.Parse(runs[0].c_str());
  ASSERT_FALSE(spawned.HasParseError()) << runs[0];
  ASSERT_EQ(spawned["targets"].Size(), 4u);
  for (int index = 0; index < 2; ++index) {
    const NamespaceView view = ViewOf(spawned, index);
    EXPECT_EQ(view.uts.host_name, "gons-via");
    ASSERT_NE(FindInterface(view, "lo"), nullptr);
    EXPECT_THAT(Compact(spawned["targets"][index]),
                HasSubstr(R"("address":"10.199.2.1")"));
    EXPECT_EQ(view.ipc_objects.size(), 1u);
    EXPECT_TRUE(view.errors.count("posix_queues") == 0)
        << view.errors.at("posix_queues");
  }
  for (int index = 2; index < 4; ++index) {
    const NamespaceView view = ViewOf(spawned, index);
    EXPECT_EQ(view.uts.host_name, "gons-via-mnt");
    EXPECT_EQ(view.ipc_objects.size(), 1u);
    EXPECT_EQ(view.errors.count("mounts"), 0u) << view.errors.at("mounts");
    ASSERT_NE(FindMount(view, "/mnt"), nullptr) << Compact(spawned);
    EXPECT_EQ(FindMount(view, "/mnt")->source, "gons-via-mnt");
  }
  // The namespace-file target entered the mount namespace: its table was
  // read by the child (and the thread) there, not from outside.
  EXPECT_THAT(Compact(spawned["targets"][3]["namespaces"]),
              HasSubstr(R"("type":"mnt")"));
  EXPECT_THAT(runs[1], HasSubstr("\nhost name:    gons-via\n"));
  for (std::size_t i = 1; i < vias.size(); ++i) {
    rapidjson::Document json;
    json.Parse(runs[2 * i].c_str());
    ASSERT_FALSE(json.HasParseError()) << vias[i] << ": " << runs[2 * i];
    ExpectSameReport(json, spawned, "--via=" + vias[i]);
    EXPECT_EQ(runs[2 * i + 1], runs[1]) << "--via=" << vias[i];
  }
}

// A target with a user namespace of its own: --via=thread refuses it,
// saying why, and --via=auto gives the spawned child's view through the
// fork server. An ordinary user's threads can enter nothing, which
// --via=thread says (the privilege decides, not whether the test itself is
// root). As root, a target with only a mount namespace of its own is the
// thread's, and --via=thread gives the spawned child's view.
TEST_P(NsinspectViaTest, ThreadRefusesWhatOnlyAProcessCanEnter) {
  const bool ordinary_user =
      GetParam() == integration::Privilege::kUnprivileged;
  GONS_REQUIRE_NAMESPACES(GetParam(), CLONE_NEWUSER | CLONE_NEWNS |
                                          CLONE_NEWUTS | CLONE_NEWNET |
                                          CLONE_NEWIPC);
  auto with_user = Hold(kUnshareLauncher, kUnshareSetup);
  ASSERT_NE(with_user, nullptr);
  const std::string pid = absl::StrCat(with_user->pid());
  const std::string why =
      ordinary_user ? "nsinspect's threads cannot enter namespaces: it lacks "
                      "CAP_SYS_ADMIN in its own user namespace"
                    : "a thread cannot enter its user namespace (only a "
                      "single-threaded process can)";
  const SubprocessResult refused = Run({"--via=thread", "--pid", pid});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.standard_error,
            absl::StrCat("nsinspect: --pid ", pid, ": ", why, "\n"));
  const rapidjson::Document spawned = RunJson({"--via=spawn", "--pid", pid}, 0);
  ExpectSameReport(RunJson({"--pid", pid}, 0), spawned,
                   "--via=auto --pid " + pid);
  if (ordinary_user) return;
  auto mount_only =
      Hold({"unshare", "--mount"}, "mount -t tmpfs gons-via /mnt\n");
  ASSERT_NE(mount_only, nullptr);
  const std::string mount_pid = absl::StrCat(mount_only->pid());
  const std::string mnt = absl::StrCat("/proc/", mount_pid, "/ns/mnt");
  for (const std::vector<std::string>& target :
       {std::vector<std::string>{"--pid", mount_pid},
        std::vector<std::string>{"--mnt", mnt}}) {
    std::vector<std::string> spawn_args = {"--via=spawn"};
    std::vector<std::string> thread_args = {"--via=thread"};
    spawn_args.insert(spawn_args.end(), target.begin(), target.end());
    thread_args.insert(thread_args.end(), target.begin(), target.end());
    const rapidjson::Document child = RunJson(spawn_args, 0);
    ASSERT_NE(FindMount(ViewOf(child, 0), "/mnt"), nullptr) << Compact(child);
    ExpectSameReport(RunJson(thread_args, 0), child,
                     "--via=thread " + target[0]);
  }
}

// Runs inside a user and mount namespace of its own ($1 is nsinspect), as
// kEveryViaScript does: a target whose mount namespace hides /proc under a
// tmpfs, then nsinspect over its mount namespace file on the thread path
// and in a spawned child, then the target's mount table read from outside,
// each followed by the separator line.
constexpr char kHiddenProcScript[] = R"(
nsinspect=$1
dir=$(mktemp -d)
mkfifo "$dir/ready"
pids=
trap 'kill $pids 2>/dev/null || true; rm -r "$dir"' EXIT
unshare --mount sh -ec '
  mount -t tmpfs gons-hidden /proc
  echo >"$1/ready"
  exec sleep 600' sh "$dir" &
target=$!
pids=$target
read -r _ <"$dir/ready"
for via in thread spawn; do
  "$nsinspect" --json --via=$via --mnt "/proc/$target/ns/mnt" || echo "exit $?"
  echo "=====gons-via====="
done
cat "/proc/$target/mountinfo"
echo "=====gons-via====="
kill "$target"
wait "$target" || true
pids=
)";

// Where the target's mount namespace hides /proc, a child that entered it
// finds no /proc/self or /proc/sysvipc there and says so; the thread reads
// through nsinspect's own /proc, so it reports the target's real mount
// table: the one /proc/PID/mountinfo shows from outside.
TEST_P(NsinspectViaTest, ThreadReadsTheMountsOfATargetThatHidesProc) {
  GONS_REQUIRE_NAMESPACES(GetParam(), CLONE_NEWUSER | CLONE_NEWNS);
  const SubprocessResult result =
      RunTool({"unshare", "--user", "--map-root-user", "--mount", "sh", "-ec",
               kHiddenProcScript, "sh", nsinspect_->path()});
  ASSERT_EQ(result.exit_code, 0) << result.standard_error;
  const std::vector<std::string> runs =
      absl::StrSplit(result.standard_output, kSeparator);
  ASSERT_EQ(runs.size(), 4u) << result.standard_output;
  rapidjson::Document thread;
  thread.Parse(runs[0].c_str());
  ASSERT_FALSE(thread.HasParseError()) << runs[0];
  rapidjson::Document spawned;
  spawned.Parse(runs[1].c_str());
  ASSERT_FALSE(spawned.HasParseError()) << runs[1];

  NamespaceView child = ViewOf(spawned, 0);
  EXPECT_THAT(child.errors["mounts"],
              HasSubstr("/proc/self/mountinfo: No such file or directory"));
  EXPECT_THAT(child.errors["ipc_objects"], HasSubstr("/proc/sysvipc/shm"));

  NamespaceView view = ViewOf(thread, 0);
  EXPECT_EQ(view.errors.count("mounts"), 0u) << view.errors["mounts"];
  EXPECT_EQ(view.errors.count("ipc_objects"), 0u) << view.errors["ipc_objects"];
  EXPECT_TRUE(std::any_of(view.mounts.begin(), view.mounts.end(),
                          [](const Mount& mount) {
                            return mount.mount_point == "/proc" &&
                                   mount.source == "gons-hidden";
                          }))
      << Compact(thread);
  std::vector<std::string> outside;
  for (absl::string_view line :
       absl::StrSplit(runs[2], '\n', absl::SkipEmpty())) {
    // ID PARENT MAJOR:MINOR ROOT MOUNT-POINT ...
    const std::vector<absl::string_view> fields = absl::StrSplit(line, ' ');
    ASSERT_GE(fields.size(), 5u) << line;
    outside.push_back(absl::StrCat(fields[0], " ", fields[4]));
  }
  std::vector<std::string> seen;
  for (const Mount& mount : view.mounts) {
    seen.push_back(absl::StrCat(mount.id, " ", mount.mount_point));
  }
  EXPECT_THAT(seen, ::testing::UnorderedElementsAreArray(outside));
}

// A PID namespace of its own: the fork server's copy forks once more, as a
// re-executed child does, and the grandchild reads the container's /proc.
TEST_P(NsinspectViaTest, PidNamespaceTargetsWorkThroughTheForkServer) {
  GONS_REQUIRE_NAMESPACES(GetParam(), CLONE_NEWUSER | CLONE_NEWPID |
                                          CLONE_NEWUTS | CLONE_NEWNET |
                                          CLONE_NEWIPC);
  if (!integration::FindProgram("bwrap").ok()) {
    GONS_SKIP_OR_FAIL("bwrap is not installed (Debian: bubblewrap)");
  }
  auto holder = Hold(kBwrapLauncher, kBwrapSetup);
  ASSERT_NE(holder, nullptr);
  const std::string pid = absl::StrCat(holder->pid());
  const rapidjson::Document spawned = RunJson({"--via=spawn", "--pid", pid}, 0);
  const NamespaceView view = ViewOf(spawned, 0);
  EXPECT_EQ(view.uts.host_name, "gons-bwrap");
  EXPECT_EQ(view.errors.count("cgroups"), 0u) << view.errors.at("cgroups");
  for (const char* via : {"--via=fork-server", "--via=auto"}) {
    ExpectSameReport(RunJson({via, "--pid", pid}, 0), spawned, via);
  }
}

INSTANTIATE_TEST_SUITE_P(Privileges, NsinspectViaTest,
                         ::testing::ValuesIn(PrivilegeValues()),
                         PrivilegeTestName);

}  // namespace
}  // namespace gons::nsinspect
