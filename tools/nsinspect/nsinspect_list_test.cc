// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: `nsinspect --list`, `--tree` and `--inode`, as root and
// rootless, with lsns(8) run on the same host by the same user as the
// oracle. The test makes a user, mount and uts namespace, and in it two
// net namespaces that no process is in: one kept alive by a bind mount
// only, the other by an open descriptor only (its bind mount detached).

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/subprocess.h"
#include "rapidjson/document.h"
#include "tools/nsinspect/nsinspect_fixture.h"

namespace gons::nsinspect {
namespace {

using ::gons::integration::SubprocessResult;
using ::testing::Contains;

const std::vector<std::string> kLauncher = {
    "unshare", "--user", "--map-root-user", "--mount", "--uts"};
constexpr char kSetup[] = R"(
mount -t tmpfs gons-list /mnt
touch /mnt/gons-bind-net /mnt/gons-fd-net
unshare --net /bin/sh -ec '
  ip addr add 10.199.4.1/24 dev lo
  ip link set lo up
  mount --bind /proc/self/ns/net /mnt/gons-bind-net'
unshare --net /bin/sh -ec '
  ip addr add 10.199.5.1/24 dev lo
  ip link set lo up
  mount --bind /proc/self/ns/net /mnt/gons-fd-net'
exec 7</mnt/gons-fd-net
umount -l /mnt/gons-fd-net
)";

std::uint64_t InodeOf(const std::string& path) {
  struct stat info;
  EXPECT_EQ(stat(path.c_str(), &info), 0)
      << path << ": " << std::strerror(errno);
  return info.st_ino;
}

rapidjson::Document Parse(const SubprocessResult& result) {
  rapidjson::Document json;
  json.Parse(result.standard_output.c_str());
  const bool usable = !json.HasParseError() && json.IsObject() &&
                      json.HasMember("namespaces") &&
                      json["namespaces"].IsArray();
  EXPECT_TRUE(usable) << result.standard_output;
  if (usable) return json;
  rapidjson::Document empty;
  empty.Parse(R"({"namespaces": []})");
  return empty;
}

// inode -> the namespace's object in a {"namespaces": [...]} document.
std::map<std::uint64_t, const rapidjson::Value*> ByInode(
    const rapidjson::Document& json) {
  std::map<std::uint64_t, const rapidjson::Value*> found;
  for (const rapidjson::Value& entry : json["namespaces"].GetArray()) {
    const char* key = entry.HasMember("inode") ? "inode" : "ns";
    found[entry[key].GetUint64()] = &entry;
  }
  return found;
}

std::vector<std::string> Holders(const rapidjson::Value& entry) {
  std::vector<std::string> holders;
  for (const rapidjson::Value& holder : entry["holders"].GetArray()) {
    holders.push_back(holder.GetString());
  }
  return holders;
}

class NsinspectListTest : public NsinspectFixture {
 protected:
  void SetUp() override {
    NsinspectFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (!integration::FindProgram("lsns").ok()) {
      GONS_SKIP_OR_FAIL("lsns is not installed (Debian: util-linux)");
    }
    holder_ = Hold(kLauncher, kSetup);
    ASSERT_NE(holder_, nullptr);
    pid_ = absl::StrCat(holder_->pid());
    user_ = InodeOf(holder_->NamespacePath("user"));
    mnt_ = InodeOf(holder_->NamespacePath("mnt"));
    uts_ = InodeOf(holder_->NamespacePath("uts"));
    bind_net_ =
        InodeOf(absl::StrCat("/proc/", pid_, "/root/mnt/gons-bind-net"));
    fd_net_ = InodeOf(absl::StrCat("/proc/", pid_, "/fd/7"));
  }

  // Runs `lsns -J`. lsns exits 1, saying nothing, when a process it
  // reads exits meanwhile (other tests' and builds' processes here come
  // and go all the time), so up to five tries are made.
  SubprocessResult Lsns() {
    SubprocessResult result;
    for (int attempt = 0; attempt < 5; ++attempt) {
      result = RunTool({"lsns", "-J"});
      if (result.exit_code == 0) break;
    }
    return result;
  }

  std::unique_ptr<integration::NamespaceHolder> holder_;
  std::string pid_;
  std::uint64_t user_ = 0;
  std::uint64_t mnt_ = 0;
  std::uint64_t uts_ = 0;
  std::uint64_t bind_net_ = 0;
  std::uint64_t fd_net_ = 0;
};

TEST_P(NsinspectListTest, JsonHasEveryNamespaceLsnsShowsAndThoseOnlyHeld) {
  // lsns before and after: what both show lived while nsinspect scanned,
  // whatever else starts and stops on the host meanwhile (other tests'
  // and builds' sandboxes).
  const SubprocessResult before = Lsns();
  const SubprocessResult list = Run({"--list", "--json"});
  const SubprocessResult after = Lsns();
  ASSERT_EQ(before.exit_code, 0) << before.standard_error;
  ASSERT_EQ(list.exit_code, 0) << list.standard_error;
  ASSERT_EQ(after.exit_code, 0) << after.standard_error;
  const rapidjson::Document lsns_before = Parse(before);
  const rapidjson::Document lsns_after = Parse(after);
  const rapidjson::Document json = Parse(list);
  const auto listed = ByInode(json);
  const auto still = ByInode(lsns_after);
  int compared = 0;
  for (const auto& [inode, entry] : ByInode(lsns_before)) {
    // Inode numbers are reused: the same one, held by the same lowest PID
    // both times, is the same namespace.
    const auto later = still.find(inode);
    if (later == still.end() || (*later->second)["pid"] != (*entry)["pid"] ||
        (*later->second)["type"] != (*entry)["type"]) {
      continue;
    }
    ++compared;
    const auto found = listed.find(inode);
    ASSERT_NE(found, listed.end()) << "lsns shows " << inode;
    EXPECT_EQ(std::string((*found->second)["type"].GetString()),
              (*entry)["type"].GetString())
        << inode;
    // The namespaces the test made hold only the holder; the others also
    // hold lsns and nsinspect themselves, which differ.
    if (inode == user_ || inode == mnt_ || inode == uts_) {
      EXPECT_EQ((*found->second)["lowest_pid"].GetInt(),
                (*entry)["pid"].GetInt())
          << inode;
      EXPECT_EQ((*found->second)["processes"].GetInt(),
                (*entry)["nprocs"].GetInt())
          << inode;
    }
  }
  EXPECT_GE(compared, 3);  // At least the holder's user, mnt and uts.

  ASSERT_EQ(listed.count(user_), 1u);
  const rapidjson::Value& user = *listed.at(user_);
  EXPECT_EQ(std::string(user["type"].GetString()), "user");
  EXPECT_EQ(user["lowest_pid"].GetInt(), holder_->pid());
  EXPECT_EQ(user["parent_namespace"].GetUint64(),
            InodeOf("/proc/self/ns/user"));
  EXPECT_EQ(user["owner_uid"].GetInt64(),
            drop() ? integration::kUnprivilegedUid : getuid());

  ASSERT_EQ(listed.count(bind_net_), 1u) << "the bind-mounted namespace";
  const rapidjson::Value& bind = *listed.at(bind_net_);
  EXPECT_EQ(std::string(bind["type"].GetString()), "net");
  EXPECT_EQ(bind["processes"].GetInt(), 0);
  EXPECT_EQ(bind["owner_namespace"].GetUint64(), user_);
  EXPECT_THAT(Holders(bind),
              Contains(absl::StrCat("bind mount /mnt/gons-bind-net in mnt "
                                    "namespace ",
                                    mnt_)));

  ASSERT_EQ(listed.count(fd_net_), 1u) << "the descriptor-held namespace";
  const rapidjson::Value& held = *listed.at(fd_net_);
  EXPECT_EQ(std::string(held["type"].GetString()), "net");
  EXPECT_EQ(held["processes"].GetInt(), 0);
  EXPECT_EQ(held["owner_namespace"].GetUint64(), user_);
  EXPECT_THAT(Holders(held),
              Contains(absl::StrCat("descriptor 7 of process ", pid_)));
  if (still.count(fd_net_) == 0) {
    std::printf(
        "lsns(8) does not show namespace %llu, which only a descriptor "
        "holds\n",
        static_cast<unsigned long long>(fd_net_));
  }
}

TEST_P(NsinspectListTest, TableShowsHoldersOfNamespacesNoProcessIsIn) {
  const SubprocessResult list = Run({"--list"});
  ASSERT_EQ(list.exit_code, 0) << list.standard_error;
  EXPECT_THAT(list.standard_output, testing::StartsWith("NS  "));
  EXPECT_THAT(
      list.standard_output,
      testing::ContainsRegex(absl::StrCat(
          "\n", bind_net_, " +net +0 +- +[0-9-]+ +", user_,
          " +- +- +bind mount /mnt/gons-bind-net in mnt namespace ", mnt_)));
  EXPECT_THAT(list.standard_output,
              testing::ContainsRegex(
                  absl::StrCat("\n", fd_net_, " +net +0 +- +[0-9-]+ +", user_,
                               " +- +- +descriptor 7 of process ", pid_)));
}

// The column where a tree line's namespace starts, in characters.
std::size_t Depth(const std::string& line) {
  std::size_t characters = 0;
  for (const char byte : line) {
    if (byte >= 'a' && byte <= 'z') return characters;
    if ((byte & 0xc0) != 0x80) ++characters;
  }
  return characters;
}

TEST_P(NsinspectListTest, TreeShowsWhatTheUserNamespaceOwnsBeneathIt) {
  const SubprocessResult tree = Run({"--tree"});
  ASSERT_EQ(tree.exit_code, 0) << tree.standard_error;
  const std::vector<std::string> lines = Lines(tree.standard_output);
  std::size_t at = 0;
  while (at < lines.size() &&
         !absl::StrContains(lines[at], absl::StrCat("user ", user_, "  uid"))) {
    ++at;
  }
  ASSERT_LT(at, lines.size()) << tree.standard_output;
  std::vector<std::string> owned;
  for (std::size_t i = at + 1;
       i < lines.size() && Depth(lines[i]) > Depth(lines[at]); ++i) {
    owned.push_back(
        lines[i].substr(lines[i].find_first_of("abcdefghijklmnopqrstuvwxyz")));
  }
  EXPECT_THAT(owned, Contains(testing::StartsWith(absl::StrCat(
                         "mnt ", mnt_, "  1 process, lowest PID ", pid_))));
  EXPECT_THAT(owned, Contains(absl::StrCat(
                         "net ", bind_net_,
                         "  held by bind mount /mnt/gons-bind-net in mnt "
                         "namespace ",
                         mnt_)));
  EXPECT_THAT(
      owned,
      Contains(testing::StartsWith(absl::StrCat(
          "net ", fd_net_, "  held by descriptor 7 of process ", pid_))));
}

TEST_P(NsinspectListTest, InspectsANamespaceOnlyADescriptorHoldsByInode) {
  const std::string user = absl::StrCat(user_);
  const std::string net = absl::StrCat(fd_net_);
  const rapidjson::Document json =
      RunJson({"--inode", user, "--inode", net}, 0);
  ASSERT_EQ(json["targets"].Size(), 1u);
  EXPECT_EQ(std::string(json["targets"][0]["target"].GetString()),
            absl::StrCat("--inode ", user, " --inode ", net));
  const NamespaceView view = ViewOf(json, 0);
  EXPECT_EQ(view.namespace_ids.at("net"), fd_net_);
  const NetworkInterface* lo = FindInterface(view, "lo");
  ASSERT_NE(lo, nullptr);
  std::vector<std::string> addresses;
  for (const InterfaceAddress& address : lo->addresses) {
    addresses.push_back(address.address);
  }
  EXPECT_THAT(addresses, Contains("10.199.5.1"));

  const SubprocessResult missing = Run({"--inode", "1"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.standard_error,
            "nsinspect: --inode 1: no namespace with inode 1 is visible to "
            "nsinspect (see --list)\n");
}

// A command line is the process's to choose: ESC, a newline and a byte
// that is not UTF-8 reach the table and tree escaped and the JSON as valid
// UTF-8. The process is alone in a uts namespace, so it is that
// namespace's lowest PID, and in the holder's PID namespace, so it goes
// with the holder.
TEST_P(NsinspectListTest, CommandsAreEscaped) {
  auto holder = Hold({"unshare", "--user", "--map-root-user", "--pid", "--fork",
                      "--mount", "--mount-proc"},
                     R"(
unshare --uts perl -e '$0 = "gons\e[31m\nx\xff"; sleep 1000' &
# Until $0 is set: perl's first command line has "gons" in its script.
until head -c 4 "/proc/$!/cmdline" | grep -qx gons; do :; done
)");
  ASSERT_NE(holder, nullptr);
  const SubprocessResult table = Run({"--list"});
  ASSERT_EQ(table.exit_code, 0) << table.standard_error;
  EXPECT_EQ(table.standard_output.find('\x1b'), std::string::npos);
  EXPECT_EQ(table.standard_output.find('\xff'), std::string::npos);
  EXPECT_THAT(table.standard_output,
              testing::ContainsRegex(" uts +1 +[0-9]+ +[0-9-]+ +[0-9-]+ +- +"
                                     "gons\\\\x1b\\[31m\\\\x0ax\\\\xff\n"));
  const SubprocessResult tree = Run({"--tree"});
  EXPECT_EQ(tree.standard_output.find('\x1b'), std::string::npos);
  EXPECT_THAT(tree.standard_output, testing::HasSubstr(", lowest PID "));
  EXPECT_THAT(tree.standard_output,
              testing::HasSubstr(" gons\\x1b[31m\\x0ax\\xff\n"));
  const rapidjson::Document json = Parse(Run({"--list", "--json"}));
  std::vector<std::string> commands;
  for (const rapidjson::Value& entry : json["namespaces"].GetArray()) {
    commands.push_back(entry["command"].GetString());
  }
  EXPECT_THAT(commands, Contains("gons\x1b[31m\nx\xef\xbf\xbd"));
}

INSTANTIATE_TEST_SUITE_P(Privileges, NsinspectListTest,
                         ::testing::ValuesIn(PrivilegeValues()),
                         PrivilegeTestName);

}  // namespace
}  // namespace gons::nsinspect
