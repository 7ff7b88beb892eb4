// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// RunInNamespaces: what a call enters, what it returns, and what it refuses,
// against the standard tools and the startup switcher. Reuse of workers and
// concurrent calls are in namespace_thread_reuse_test.cc.

#include <net/if.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gons/namespace_thread.h"
#include "gons/namespace_thread_fixture.h"
#include "gtest/gtest.h"
#include "integration/probe_runner.h"
#include "integration/subprocess.h"

namespace gons {
namespace {

using ::gons::namespace_thread_testing::HostName;
using ::gons::namespace_thread_testing::kTargetHostName;
using ::gons::namespace_thread_testing::kTargetInterface;
using ::gons::namespace_thread_testing::NamespaceThreadTest;
using ::gons::namespace_thread_testing::RunTool;
using ::testing::HasSubstr;

std::set<std::string> InterfaceNames() {
  std::set<std::string> names;
  struct if_nameindex* interfaces = if_nameindex();
  if (interfaces == nullptr) return {"(if_nameindex failed)"};
  for (const struct if_nameindex* entry = interfaces; entry->if_index != 0;
       ++entry) {
    names.insert(entry->if_name);
  }
  if_freenameindex(interfaces);
  return names;
}

bool Exists(const std::string& path) {
  struct stat status = {};
  return stat(path.c_str(), &status) == 0;
}

// "device:inode" of a namespace of the calling thread.
std::string OwnNamespace(absl::string_view type) {
  struct stat status = {};
  const std::string path = absl::StrCat("/proc/thread-self/ns/", type);
  if (stat(path.c_str(), &status) != 0) return "(stat failed)";
  return absl::StrCat(status.st_dev, ":", status.st_ino);
}

// Interface names as `ip -o link show` prints them: "2: name: <...".
std::set<std::string> ParseIpLinks(absl::string_view output) {
  std::set<std::string> names;
  for (absl::string_view line :
       absl::StrSplit(output, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> fields = absl::StrSplit(line, ": ");
    if (fields.size() < 2) continue;
    absl::string_view name = fields[1];
    name = name.substr(0, name.find('@'));
    names.insert(std::string(name));
  }
  return names;
}

// The status the probe helper printed: code, then message.
struct PrintedStatus {
  int code = -1;
  std::string message;
};

PrintedStatus ParsePrinted(const std::string& output) {
  PrintedStatus printed;
  const size_t newline = output.find('\n');
  if (newline == std::string::npos ||
      !absl::SimpleAtoi(output.substr(0, newline), &printed.code)) {
    printed.message = output;
    return printed;
  }
  printed.message = output.substr(newline + 1);
  if (!printed.message.empty() && printed.message.back() == '\n') {
    printed.message.pop_back();
  }
  return printed;
}

std::string ProbePath() {
  return integration::RunfilePath("gons/namespace_thread_probe");
}

TEST_F(NamespaceThreadTest, ReturnsTheCallablesValue) {
  if (!root_) return RunInOwnUserNamespace();
  absl::StatusOr<std::string> name =
      RunInNamespaces({{"uts", Path("uts")}}, [] { return HostName(); });
  ASSERT_TRUE(name.ok()) << name.status();
  EXPECT_EQ(*name, kTargetHostName);

  absl::StatusOr<std::unique_ptr<int>> moved = RunInNamespaces(
      {{"net", Path("net")}}, [] { return std::make_unique<int>(42); });
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(**moved, 42);

  bool ran = false;
  EXPECT_TRUE(
      RunInNamespaces({{"ipc", Path("ipc")}}, [&ran] { ran = true; }).ok());
  EXPECT_TRUE(ran);

  // A callable's own status passes through, not wrapped.
  const absl::StatusOr<int> own = RunInNamespaces(
      {{"cgroup", Path("cgroup")}},
      []() -> absl::StatusOr<int> { return absl::DataLossError("own"); });
  EXPECT_EQ(own.status(), absl::DataLossError("own"));
}

// What one thread saw.
struct View {
  std::string host_name;
  std::set<std::string> interfaces;
  bool marker = false;
  std::string net;
};

TEST_F(NamespaceThreadTest, ThreadSeesTheTargetWhileOtherThreadsSeeTheHost) {
  if (!root_) return RunInOwnUserNamespace();
  NamespaceSet set = {{"uts", Path("uts")},
                      {"net", Path("net")},
                      {"ipc", Path("ipc")},
                      {"cgroup", Path("cgroup")}};
  set.push_back({"mnt", Path("mnt")});
  const View host = {HostName(), InterfaceNames(), Exists(marker_),
                     OwnNamespace("net")};
  ASSERT_FALSE(host.marker);

  std::promise<void> inside, observed;
  View other;
  std::thread observer([&] {
    inside.get_future().wait();
    other = {HostName(), InterfaceNames(), Exists(marker_),
             OwnNamespace("net")};
    observed.set_value();
  });
  bool entered = false;
  absl::StatusOr<View> target = RunInNamespaces(set, [&] {
    entered = true;
    inside.set_value();
    observed.get_future().wait();  // The observer looks while we are inside.
    return View{HostName(), InterfaceNames(), Exists(marker_),
                OwnNamespace("net")};
  });
  if (!entered) inside.set_value();  // Let the observer finish.
  observer.join();
  ASSERT_TRUE(target.ok()) << target.status();

  // The standard tool on the same namespaces is the oracle.
  EXPECT_EQ(target->host_name + "\n",
            RunTool({"/usr/bin/nsenter", "--uts=" + Path("uts"), "hostname"}));
  EXPECT_EQ(target->interfaces,
            ParseIpLinks(RunTool({"/usr/bin/nsenter", "--net=" + Path("net"),
                                  "ip", "-o", "link", "show"})));
  EXPECT_THAT(target->interfaces, ::testing::Contains(kTargetInterface));
  EXPECT_NE(target->net, host.net);
  EXPECT_TRUE(target->marker);
  EXPECT_EQ(
      RunTool({"/usr/bin/nsenter", "--mount=" + Path("mnt"), "cat", marker_}),
      "inside\n");

  // Neither the observer, nor the caller, moved.
  EXPECT_EQ(other.host_name, host.host_name);
  EXPECT_EQ(other.interfaces, host.interfaces);
  EXPECT_FALSE(other.marker);
  EXPECT_EQ(other.net, host.net);
  EXPECT_EQ(HostName(), host.host_name);
  EXPECT_EQ(OwnNamespace("net"), host.net);
  EXPECT_FALSE(Exists(marker_));
}

// The mount switch needs the worker's own filesystem attributes; the kernel
// refuses it to a thread that shares them (EINVAL), which is why the worker
// calls unshare(CLONE_FS). This checks it works on this kernel.
TEST_F(NamespaceThreadTest, EntersTheMountNamespaceOnThisKernel) {
  if (!root_) return RunInOwnUserNamespace();
  absl::StatusOr<std::string> marker =
      RunInNamespaces({{"mnt", Path("mnt")}}, [this] {
        std::ifstream file(marker_);
        std::string text;
        std::getline(file, text);
        return text;
      });
  ASSERT_TRUE(marker.ok()) << marker.status();
  EXPECT_EQ(*marker, "inside");
  EXPECT_FALSE(Exists(marker_));
}

TEST_F(NamespaceThreadTest, RefusesUserPidAndTimeNamespaces) {
  for (const char* type : {"user", "pid", "time"}) {
    bool ran = false;
    const absl::Status status = RunInNamespaces(
        {{"net", Path("net")}, {type, absl::StrCat("/proc/self/ns/", type)}},
        [&ran] { ran = true; });
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << type;
    EXPECT_THAT(status.message(), HasSubstr("RunReexecAction"));
    EXPECT_THAT(status.message(), HasSubstr(absl::StrCat("a ", type, " ")));
    EXPECT_FALSE(ran) << type;
  }
}

TEST_F(NamespaceThreadTest, RejectsMalformedSets) {
  const auto code = [](const NamespaceSet& set) {
    return RunInNamespaces(set, [] {}).code();
  };
  EXPECT_EQ(code({{"network", "/proc/self/ns/net"}}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({{"net", Path("net")}, {"net", Path("net")}}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({{"net", "proc/self/ns/net"}}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({{"net", ""}}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({{"net", std::string("/proc/self/ns/net\0x", 19)}}),
            absl::StatusCode::kInvalidArgument);
}

// A path that is not a namespace, one of another type, one that does not
// exist: the same code and message as the startup switcher gives for the
// same gons_* variable (the probe helper prints gons::Status()).
TEST_F(NamespaceThreadTest, ReportsBadPathsWithTheSwitchersMessages) {
  for (const std::string& path :
       {std::string("/etc/hostname"), Path("uts"), std::string("/nonexistent"),
        std::string("/dev/null")}) {
    const absl::Status status = RunInNamespaces({{"net", path}}, [] {});
    const PrintedStatus switcher =
        ParsePrinted(RunTool({ProbePath()}, {"gons_net=" + path}));
    EXPECT_NE(status.code(), absl::StatusCode::kOk) << path;
    EXPECT_EQ(static_cast<int>(status.code()), switcher.code) << path;
    EXPECT_EQ(status.message(), switcher.message) << path;
  }
}

// An ordinary user is refused, with the switcher's message for the same
// namespace and user: as root, the probe runs as uid 65534 against root's
// namespaces; as an ordinary user, it runs as that user against the
// namespaces it made itself.
TEST_F(NamespaceThreadTest, OrdinaryUserGetsTheSwitchersPermissionDenied) {
  // A copy the other user can execute: the runfiles are below root's home.
  absl::StatusOr<integration::ProbeCopy> probe =
      integration::ProbeCopy::Create("gons/namespace_thread_probe");
  ASSERT_TRUE(probe.ok()) << probe.status();
  for (const char* type : {"net", "uts", "ipc", "cgroup", "mnt"}) {
    const std::string path = Path(type);
    const PrintedStatus thread =
        ParsePrinted(RunTool({probe->path(), type, path}, {}, root_));
    const PrintedStatus switcher = ParsePrinted(RunTool(
        {probe->path()}, {absl::StrCat("gons_", type, "=", path)}, root_));
    EXPECT_EQ(thread.code,
              static_cast<int>(absl::StatusCode::kPermissionDenied))
        << type << ": " << thread.message;
    EXPECT_EQ(thread.code, switcher.code) << type;
    EXPECT_EQ(thread.message, switcher.message) << type;
  }
}

// The same oracle for root: a namespace root may enter is entered by both.
TEST_F(NamespaceThreadTest, EntersWhatTheSwitcherEnters) {
  if (!root_) return RunInOwnUserNamespace();
  const std::string path = Path("net");
  const PrintedStatus thread =
      ParsePrinted(RunTool({ProbePath(), "net", path}));
  const PrintedStatus switcher =
      ParsePrinted(RunTool({ProbePath()}, {"gons_net=" + path}));
  EXPECT_EQ(thread.code, 0) << thread.message;
  EXPECT_EQ(switcher.code, 0) << switcher.message;
}
}  // namespace
}  // namespace gons
