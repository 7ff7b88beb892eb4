// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "gons/namespace_thread.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/own_user_namespace.h"
#include "integration/probe_runner.h"
#include "integration/subprocess.h"

namespace gons {
namespace {

using ::gons::integration::NamespaceHolder;
using ::testing::HasSubstr;

constexpr char kTargetHostName[] = "gons-thread-target";
constexpr char kTargetInterface[] = "gons-thread0";
constexpr int kTypes =
    CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP | CLONE_NEWNS;

std::string HostName() {
  char buffer[65] = {};
  if (gethostname(buffer, sizeof(buffer) - 1) != 0) {
    return "(gethostname failed)";
  }
  return buffer;
}

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

std::vector<std::string> OpenDescriptors() {
  std::vector<std::string> names;
  DIR* directory = opendir("/proc/self/fd");
  if (directory == nullptr) return {"(opendir failed)"};
  const int own = dirfd(directory);
  while (const dirent* entry = readdir(directory)) {
    const std::string name = entry->d_name;
    if (name == "." || name == ".." || name == std::to_string(own)) continue;
    char target[256] = {};
    const std::string link = "/proc/self/fd/" + name;
    const ssize_t length = readlink(link.c_str(), target, sizeof(target) - 1);
    names.push_back(name + " -> " +
                    (length > 0 ? std::string(target, length) : "?"));
  }
  closedir(directory);
  std::sort(names.begin(), names.end());
  return names;
}

// Runs the standard tool; returns its output, or a description of failure.
std::string RunTool(std::vector<std::string> argv,
                    const std::vector<std::string>& extra_environment = {},
                    bool unprivileged = false) {
  integration::SubprocessOptions options;
  options.argv = std::move(argv);
  options.environment = integration::CleanEnvironment(extra_environment);
  options.unprivileged = unprivileged;
  absl::StatusOr<integration::SubprocessResult> result =
      integration::RunSubprocess(options);
  if (!result.ok()) {
    return absl::StrCat("(not started: ", result.status().ToString(), ")");
  }
  if (result->exit_code != 0) {
    return absl::StrCat("(exit ", result->exit_code, ": ",
                        result->standard_error, ")");
  }
  return result->standard_output;
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

// How many calls a thread has seen: 1 on a fresh worker.
thread_local int calls_on_this_thread = 0;

// The namespaces of the copy that RunCurrentTestInOwnUserNamespace starts:
// a worker must be able to switch back into its process's namespaces, so
// they are owned by the same user namespace as the targets.
constexpr int kCopysNamespaces = kTypes;

// Throwaway net, uts, ipc, cgroup and mount namespaces, with a host name, an
// interface and a file (in a tmpfs under TEST_TMPDIR) of their own. Made as
// root when the test is root (the real one, or that of the user namespace of
// RunCurrentTestInOwnUserNamespace); otherwise inside a user namespace of the
// test's user. setns() from a thread needs CAP_SYS_ADMIN in the thread's own
// user namespace too, so an ordinary user's threads enter nothing from where
// the test starts: what applies to that user is entering namespaces owned by
// a user namespace of its own, so the tests that enter run again in one
// (RunCurrentTestInOwnUserNamespace), which makes its own targets.
class NamespaceThreadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GONS_REQUIRE_NAMESPACES(integration::CurrentPrivilege(),
                            root_ ? kTypes : kTypes | CLONE_NEWUSER);
    mount_point_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/thread-mount");
    mkdir(mount_point_.c_str(), 0755);
    marker_ = mount_point_ + "/only-in-target";
    std::vector<std::string> launcher = {"unshare", "--net",    "--uts",
                                         "--ipc",   "--cgroup", "--mount"};
    if (!root_) {
      launcher.insert(launcher.begin() + 1, {"--user", "--map-root-user"});
    }
    absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder =
        NamespaceHolder::Start(
            launcher,
            absl::StrCat("hostname ", kTargetHostName, "; ip link add ",
                         kTargetInterface,
                         " type bridge; mount -t tmpfs "
                         "gons-thread '",
                         mount_point_, "'; echo inside > '", marker_, "'"),
            false);
    ASSERT_TRUE(holder.ok()) << holder.status();
    holder_ = *std::move(holder);
  }

  // The ordinary user's variant of a test that enters: see above.
  static void RunInOwnUserNamespace() {
    integration::RunCurrentTestInOwnUserNamespace(kCopysNamespaces);
  }

  std::string Path(absl::string_view type) const {
    return holder_->NamespacePath(type);
  }

  const bool root_ = geteuid() == 0;
  std::string mount_point_;
  std::string marker_;
  std::unique_ptr<NamespaceHolder> holder_;
};

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

TEST_F(NamespaceThreadTest, ReusesAWorkerThatSwitchedBack) {
  if (!root_) return RunInOwnUserNamespace();
  const auto count = [] { return ++calls_on_this_thread; };
  const NamespaceSet set = {{"net", Path("net")}, {"uts", Path("uts")}};
  ASSERT_EQ(*RunInNamespaces(set, count, {.reuse_thread = false}), 1);
  const absl::StatusOr<int> first = RunInNamespaces(set, count);
  const absl::StatusOr<int> second = RunInNamespaces(set, count);
  ASSERT_TRUE(first.ok() && second.ok()) << first.status() << second.status();
  EXPECT_EQ(*second, *first + 1);
  // A thread that is not reused by request is always fresh.
  EXPECT_EQ(*RunInNamespaces(set, count, {.reuse_thread = false}), 1);
}

// The callable leaves the worker in namespaces it did not come from: it can
// no longer prove it is back home, so it exits instead of serving another
// call; the value still comes back.
TEST_F(NamespaceThreadTest, DoesNotReuseAWorkerThatCouldNotSwitchBack) {
  if (!root_) return RunInOwnUserNamespace();
  const NamespaceSet set = {{"net", Path("net")}};
  const auto count = [] { return ++calls_on_this_thread; };
  ASSERT_TRUE(RunInNamespaces(set, count).ok());
  ASSERT_GE(internal::IdleNamespaceThreadCount(), 1);
  const std::string other_uts = Path("uts");
  const std::vector<std::pair<std::string, std::function<int()>>> escapes = {
      {"unshare(CLONE_NEWUTS)", [] { return unshare(CLONE_NEWUTS); }},
      {"unshare(CLONE_NEWNS)", [] { return unshare(CLONE_NEWNS); }},
      {"chroot", [] { return chroot("/proc"); }},
      {"capset on its thread alone, dropping CAP_NET_RAW",
       [] {
         __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
         __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
         if (syscall(SYS_capget, &header, data) != 0) return -1;
         data[0].effective &= ~(1U << CAP_NET_RAW);
         return static_cast<int>(syscall(SYS_capset, &header, data));
       }},
      {"setns into another uts namespace", [&other_uts] {
         const int fd = open(other_uts.c_str(), O_RDONLY | O_CLOEXEC);
         const int result = setns(fd, CLONE_NEWUTS);
         close(fd);
         return result;
       }}};
  for (const auto& entry : escapes) {
    const std::string& name = entry.first;
    const std::function<int()>& escape = entry.second;
    // Reaches a reused worker (the idle one), which then escapes.
    absl::StatusOr<int> escaped = RunInNamespaces(set, [&escape] {
      ++calls_on_this_thread;
      return escape();
    });
    ASSERT_TRUE(escaped.ok()) << name << ": " << escaped.status();
    EXPECT_EQ(*escaped, 0) << name;
    // That worker exited: the next call runs on a fresh one.
    EXPECT_EQ(*RunInNamespaces(set, count), 1) << name;
    EXPECT_EQ(HostName() + "\n", RunTool({"/usr/bin/hostname"})) << name;
  }
}

// A call made from inside a call starts from the outer worker's namespaces;
// that inner worker is kept, but never handed to a caller elsewhere.
TEST_F(NamespaceThreadTest, NestedCallKeepsTheOuterNamespacesAndItsOwnWorker) {
  if (!root_) return RunInOwnUserNamespace();
  const std::string host_name = HostName();
  const auto host_name_in_net = [this] {
    return RunInNamespaces({{"net", Path("net")}}, [] { return HostName(); });
  };
  // The inner status passes through the outer call. The outer worker exits,
  // so the idle worker kept last is the inner one.
  const absl::StatusOr<std::string> nested = RunInNamespaces(
      {{"uts", Path("uts")}}, host_name_in_net, {.reuse_thread = false});
  ASSERT_TRUE(nested.ok()) << nested.status();
  EXPECT_EQ(*nested, kTargetHostName);
  const absl::StatusOr<std::string> outside = host_name_in_net();
  ASSERT_TRUE(outside.ok()) << outside.status();
  EXPECT_EQ(*outside, host_name);
}

// In the child of a fork() the idle workers' threads are gone: the child
// starts its own instead of waiting for one that does not exist.
TEST_F(NamespaceThreadTest, ChildOfForkStartsItsOwnWorkers) {
  if (!root_) return RunInOwnUserNamespace();
#if defined(__SANITIZE_THREAD__)
  // Not a host restriction, so not GONS_SKIP_OR_FAIL: ThreadSanitizer's
  // runtime cannot start a thread in the child of a fork() made while other
  // threads run (its state of those threads is gone), and this case needs
  // exactly that. The plain and ASan builds run it.
  GTEST_SKIP() << "ThreadSanitizer refuses to start a thread in the child "
                  "of a multi-threaded process's fork";
#endif
  const NamespaceSet set = {{"uts", Path("uts")}};
  ASSERT_TRUE(RunInNamespaces(set, [] { return HostName(); }).ok());
  ASSERT_GE(internal::IdleNamespaceThreadCount(), 1);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const absl::StatusOr<std::string> name =
        RunInNamespaces(set, [] { return HostName(); });
    _exit(name.ok() && *name == kTargetHostName ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST_F(NamespaceThreadTest, RethrowsTheCallablesExceptionOnTheCallingThread) {
  if (!root_) return RunInOwnUserNamespace();
  const std::thread::id caller = std::this_thread::get_id();
  std::thread::id thrower;
  try {
    (void)RunInNamespaces({{"uts", Path("uts")}}, [&thrower]() -> int {
      thrower = std::this_thread::get_id();
      throw std::runtime_error("from the callable");
    });
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "from the callable");
    EXPECT_EQ(std::this_thread::get_id(), caller);
  }
  EXPECT_NE(thrower, caller);
  EXPECT_NE(thrower, std::thread::id());
  EXPECT_EQ(HostName() + "\n", RunTool({"/usr/bin/hostname"}));
}

TEST_F(NamespaceThreadTest, RunsCallsFromEightThreadsAtOnce) {
  if (!root_) return RunInOwnUserNamespace();
  const std::string host_name = HostName();
  const NamespaceSet set = {{"uts", Path("uts")}, {"net", Path("net")}};
  std::atomic<int> right{0};
  std::vector<std::thread> callers;
  for (int index = 0; index < 8; ++index) {
    callers.emplace_back([&] {
      for (int call = 0; call < 25; ++call) {
        absl::StatusOr<std::string> name =
            RunInNamespaces(set, [] { return HostName(); });
        if (name.ok() && *name == kTargetHostName && HostName() == host_name) {
          ++right;
        }
      }
    });
  }
  for (std::thread& thread : callers) thread.join();
  EXPECT_EQ(right.load(), 8 * 25);
  EXPECT_LE(internal::IdleNamespaceThreadCount(), kMaxIdleNamespaceThreads);
  EXPECT_EQ(HostName(), host_name);
}

TEST_F(NamespaceThreadTest, LeaksNoDescriptorOnAnyPath) {
  const std::vector<std::string> before = OpenDescriptors();
  const NamespaceSet all = {{"uts", Path("uts")},
                            {"net", Path("net")},
                            {"ipc", Path("ipc")},
                            {"cgroup", Path("cgroup")}};
  // An ordinary user's calls fail at the first setns(): still no leak.
  EXPECT_EQ(RunInNamespaces(all, [] {}).ok(), root_);
  EXPECT_EQ(RunInNamespaces(all, [] {}, {.reuse_thread = false}).ok(), root_);
  EXPECT_EQ(RunInNamespaces({{"mnt", Path("mnt")}}, [] {}).ok(), root_);
  // Fails with one path opened: the second is no namespace.
  EXPECT_FALSE(
      RunInNamespaces({{"uts", Path("uts")}, {"net", "/etc/hostname"}}, [] {
      }).ok());
  EXPECT_FALSE(RunInNamespaces({{"net", "/nonexistent"}}, [] {}).ok());
  EXPECT_FALSE(RunInNamespaces({{"time", "/proc/self/ns/time"}}, [] {}).ok());
  if (root_) {
    EXPECT_THROW((void)RunInNamespaces(
                     all, []() -> int { throw std::logic_error("x"); }),
                 std::logic_error);
    EXPECT_TRUE(
        RunInNamespaces(all, [] { return unshare(CLONE_NEWUTS); }).ok());
  }
  EXPECT_EQ(OpenDescriptors(), before);
  // The paths that enter, as this user can take them.
  if (!root_) RunInOwnUserNamespace();
}

}  // namespace
}  // namespace gons
