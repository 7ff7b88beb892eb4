// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// RunInNamespaces: reuse of its worker threads (and when they are not
// reused), nested and forked calls, exceptions, concurrent calls and
// descriptors. What a call enters is in namespace_thread_entry_test.cc.

#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gons/namespace_thread.h"
#include "gons/namespace_thread_fixture.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"

namespace gons {
namespace {

using ::gons::namespace_thread_testing::HostName;
using ::gons::namespace_thread_testing::kTargetHostName;
using ::gons::namespace_thread_testing::NamespaceThreadTest;
using ::gons::namespace_thread_testing::RunTool;

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

// How many calls a thread has seen: 1 on a fresh worker.
thread_local int calls_on_this_thread = 0;

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

// Whether the thread `thread_id` of this process exists (has not ended).
bool ThreadExists(pid_t thread_id) {
  const std::string path = "/proc/self/task/" + std::to_string(thread_id);
  return access(path.c_str(), F_OK) == 0;
}

// A callable that leaves its worker in a uts namespace of its own, with a
// host name of its own; returns the worker's thread id, or -1.
pid_t Escape() {
  constexpr char kEscapedName[] = "gons-escaped";
  if (unshare(CLONE_NEWUTS) != 0 ||
      sethostname(kEscapedName, sizeof(kEscapedName) - 1) != 0) {
    return -1;
  }
  return gettid();
}

// Waits for the thread `thread_id` to end: a worker that failed its proof
// ends at once, so this yields for microseconds.
void AwaitEnd(pid_t thread_id) {
  while (ThreadExists(thread_id)) sched_yield();
}

// Ends every idle worker at the caller's Place: each call takes one (or
// starts one) and leaves it elsewhere; then joins them. Lets a test's own
// worker be kept.
void EndIdleWorkersHere() {
  std::vector<pid_t> escaped;
  for (int call = 0; call < 2 * kMaxIdleNamespaceThreads; ++call) {
    const absl::StatusOr<pid_t> thread_id = RunInNamespaces({}, Escape);
    ASSERT_TRUE(thread_id.ok()) << thread_id.status();
    ASSERT_GT(*thread_id, 0);
    escaped.push_back(*thread_id);
  }
  for (const pid_t thread_id : escaped) AwaitEnd(thread_id);
  ASSERT_TRUE(RunInNamespaces({}, [] {}).ok());  // Joins them.
  ASSERT_EQ(internal::ExitedNamespaceThreadCount(), 0);
}

// The caller gets its value before the worker has proved it is back; a
// worker whose callable left it elsewhere must still never serve a later
// call, whichever comes first: the failed proof or the later call.
TEST_F(NamespaceThreadTest, NeverHandsOnAWorkerItsCallableLeftElsewhere) {
  if (!root_) return RunInOwnUserNamespace();
  const std::string host_name = HostName();
  const NamespaceSet set = {{"net", Path("net")}};
  for (int round = 0; round < 50; ++round) {
    const absl::StatusOr<pid_t> escaped = RunInNamespaces(set, Escape);
    ASSERT_TRUE(escaped.ok()) << escaped.status();
    ASSERT_GT(*escaped, 0);
    const absl::StatusOr<std::string> name = RunInNamespaces(set, HostName);
    ASSERT_TRUE(name.ok()) << name.status();
    EXPECT_EQ(*name, host_name) << "round " << round;
  }
  EXPECT_EQ(HostName(), host_name);
}

// A worker that fails its proof after its caller has returned ends, and
// the next call joins it: the call handed to it during the proof, which it
// refuses (even rounds, most of the time), or any call after the worker
// has listed itself as exited (odd rounds). The calls come from a thread in
// a uts namespace of its own, so that no other worker is at its Place.
TEST_F(NamespaceThreadTest, NextCallJoinsAWorkerThatFailedItsProof) {
  if (!root_) return RunInOwnUserNamespace();
  EndIdleWorkersHere();
  const NamespaceSet set = {{"net", Path("net")}};
  std::vector<std::string> failures;
  std::thread caller([&] {
    if (unshare(CLONE_NEWUTS) != 0) {
      failures.push_back("unshare(CLONE_NEWUTS) failed");
      return;
    }
    for (int round = 0; round < 20; ++round) {
      const absl::StatusOr<pid_t> first = RunInNamespaces(set, gettid);
      const absl::StatusOr<pid_t> escaped = RunInNamespaces(set, Escape);
      if (!first.ok() || !escaped.ok() || *escaped < 0) {
        failures.push_back("a call failed");
        return;
      }
      if (round % 2 == 1) AwaitEnd(*escaped);
      const absl::StatusOr<pid_t> next = RunInNamespaces(set, gettid);
      if (!next.ok()) {
        failures.push_back("a call failed");
        return;
      }
      const std::string at = " (round " + std::to_string(round) + ")";
      // The worker that served `first` came from the pool, so had room in
      // it again.
      if (round > 0 && *escaped != *first) failures.push_back("no reuse" + at);
      if (*next == *escaped) failures.push_back("served after escaping" + at);
      if (ThreadExists(*escaped)) failures.push_back("still running" + at);
      if (internal::ExitedNamespaceThreadCount() != 0) {
        failures.push_back("not joined" + at);
      }
    }
    // Leaves no worker at this Place behind: the last one escapes too.
    (void)RunInNamespaces(set, Escape);
  });
  caller.join();
  EXPECT_EQ(failures, std::vector<std::string>());
}

// Eight threads at once, half of whose calls leave their worker elsewhere:
// every other call still runs on a worker that is back home.
TEST_F(NamespaceThreadTest, EightCallersNeverGetAWorkerLeftElsewhere) {
  if (!root_) return RunInOwnUserNamespace();
  const std::string host_name = HostName();
  const NamespaceSet set = {{"net", Path("net")}};
  std::atomic<int> right{0};
  std::vector<std::thread> callers;
  for (int index = 0; index < 8; ++index) {
    callers.emplace_back([&] {
      for (int call = 0; call < 20; ++call) {
        const absl::StatusOr<pid_t> escaped = RunInNamespaces(set, Escape);
        const absl::StatusOr<std::string> name = RunInNamespaces(set, HostName);
        if (escaped.ok() && *escaped > 0 && name.ok() && *name == host_name) {
          ++right;
        }
      }
    });
  }
  for (std::thread& thread : callers) thread.join();
  EXPECT_EQ(right.load(), 8 * 20);
  EXPECT_LE(internal::IdleNamespaceThreadCount(), kMaxIdleNamespaceThreads);
  EXPECT_EQ(HostName(), host_name);
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

// exit() right after a call, with the worker perhaps still proving it is
// back or ending after failing the proof, runs the static destructors and
// atexit handlers as usual: the worker uses nothing they destroy.
TEST_F(NamespaceThreadTest, ProcessExitsWhileAWorkerIsProving) {
  if (!root_) return RunInOwnUserNamespace();
#if defined(__SANITIZE_THREAD__)
  // As in ChildOfForkStartsItsOwnWorkers: the child must start threads.
  GTEST_SKIP() << "ThreadSanitizer refuses to start a thread in the child "
                  "of a multi-threaded process's fork";
#endif
  const NamespaceSet set = {{"uts", Path("uts")}};
  for (int round = 0; round < 10; ++round) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      const absl::StatusOr<std::string> name = RunInNamespaces(set, HostName);
      const bool named = name.ok() && *name == kTargetHostName;
      const absl::StatusOr<pid_t> escaped =
          RunInNamespaces(set, round % 2 == 0 ? Escape : gettid);
      std::exit(named && escaped.ok() && *escaped > 0 ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "round " << round << ": status " << status;
  }
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
