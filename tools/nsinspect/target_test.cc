// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/target.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"

namespace gons::nsinspect {
namespace {

using ::gons::integration::NamespaceHolder;
using ::testing::HasSubstr;

std::vector<std::string> Types(const std::vector<reexec::Namespace>& list) {
  std::vector<std::string> types;
  for (const reexec::Namespace& entry : list) types.push_back(entry.type);
  return types;
}

ino_t InodeOf(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 ? info.st_ino : 0;
}

// The state letter of task `tid` of process `pid`, '?' if unreadable.
char TaskState(pid_t pid, pid_t tid) {
  std::ifstream stat_file(absl::StrCat("/proc/", pid, "/task/", tid, "/stat"));
  std::string text((std::istreambuf_iterator<char>(stat_file)),
                   std::istreambuf_iterator<char>());
  const std::size_t end = text.rfind(") ");
  return end == std::string::npos || end + 2 >= text.size() ? '?'
                                                            : text[end + 2];
}

TEST(TargetTest, ZombieIsAnErrorNamingWhy) {
  const pid_t child = fork();
  ASSERT_GE(child, 0) << std::strerror(errno);
  if (child == 0) _exit(0);
  // Waits for its exit but leaves it a zombie.
  siginfo_t info;
  ASSERT_EQ(waitid(P_PID, child, &info, WEXITED | WNOWAIT), 0)
      << std::strerror(errno);
  const absl::StatusOr<ResolvedTarget> target = ResolveTarget(PidTarget(child));
  EXPECT_EQ(target.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(target.status().message(), HasSubstr("zombie"));
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
}

// A process whose main thread has exited while another runs on: its
// namespace links are gone although the process lives, which must not read
// as "a type this kernel lacks".
TEST(TargetTest, ProcessWhoseNamespacesAreReleasedIsAnError) {
  int hold[2];
  ASSERT_EQ(pipe2(hold, O_CLOEXEC), 0) << std::strerror(errno);
  std::fflush(nullptr);
  const pid_t child = fork();
  ASSERT_GE(child, 0) << std::strerror(errno);
  if (child == 0) {
    close(hold[1]);
    pthread_t thread;
    static int read_end;
    read_end = hold[0];
    // The thread lives until the test closes the pipe's write end.
    if (pthread_create(
            &thread, nullptr,
            [](void*) -> void* {
              char byte;
              while (read(read_end, &byte, 1) < 0 && errno == EINTR) {
              }
              _exit(0);
            },
            nullptr) != 0) {
      _exit(1);
    }
    // The raw exit(2) ends this thread only, without pthread_exit()'s
    // unwinding through the test framework.
    syscall(SYS_exit, 0);
    _exit(1);
  }
  close(hold[0]);
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (TaskState(child, child) != 'Z' && absl::Now() < deadline) {
    sched_yield();
  }
  ASSERT_EQ(TaskState(child, child), 'Z') << "main thread did not exit";
  const absl::StatusOr<ResolvedTarget> target = ResolveTarget(PidTarget(child));
  EXPECT_EQ(target.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(target.status().message(),
              HasSubstr(absl::StrCat("/proc/", child, "/ns/")));
  close(hold[1]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(TargetTest, ExitedTargetIsNoLongerAlive) {
  std::fflush(nullptr);
  int hold[2];
  ASSERT_EQ(pipe2(hold, O_CLOEXEC), 0) << std::strerror(errno);
  const pid_t child = fork();
  ASSERT_GE(child, 0) << std::strerror(errno);
  if (child == 0) {
    close(hold[1]);
    char byte;
    while (read(hold[0], &byte, 1) < 0 && errno == EINTR) {
    }
    _exit(0);
  }
  close(hold[0]);
  const absl::StatusOr<ResolvedTarget> target = ResolveTarget(PidTarget(child));
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_TRUE(CheckTargetStillAlive(*target).ok());
  close(hold[1]);
  siginfo_t info;
  ASSERT_EQ(waitid(P_PID, child, &info, WEXITED | WNOWAIT), 0);
  const absl::Status alive = CheckTargetStillAlive(*target);
  EXPECT_EQ(alive.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(alive.message(), HasSubstr(absl::StrCat("process ", child)));
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
}

// /proc/self/fd/N and /dev/fd/N name nsinspect's descriptor; the child is
// given a path to that same file, not its own descriptor N.
TEST(TargetTest, DescriptorPathsMeanNsinspectsDescriptor) {
  const int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  for (const std::string& path :
       {absl::StrCat("/proc/self/fd/", fd), absl::StrCat("/dev/fd/", fd)}) {
    TargetSpec spec;
    spec.paths = {{"net", path}};
    const absl::StatusOr<ResolvedTarget> target = ResolveTarget(spec);
    ASSERT_TRUE(target.ok()) << target.status();
    ASSERT_EQ(target->namespaces.size(), 1u);
    EXPECT_EQ(target->namespaces[0].path, path);
    EXPECT_EQ(target->namespaces[0].id, InodeOf("/proc/self/ns/net"));
  }
  close(fd);
}

TEST(TargetTest, OwnProcessNeedsNoSwitch) {
  const absl::StatusOr<ResolvedTarget> target =
      ResolveTarget(PidTarget(getpid()));
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_GE(target->namespaces.size(), 7u);
  for (const TargetNamespace& entry : target->namespaces) {
    EXPECT_TRUE(entry.already_in) << entry.type;
    EXPECT_NE(entry.id, 0u) << entry.type;
  }
  EXPECT_TRUE(NamespacesToEnter(*target).empty());
  EXPECT_FALSE(EntersPidNamespace(*target));
}

TEST(TargetTest, EntersOnlyTheNamespacesThatDifferEachOpenedEarly) {
  // As whoever runs the test: this is about namespaces, not privileges.
  if (std::string why = integration::UserNamespacesUnavailable(
          integration::CurrentPrivilege());
      !why.empty()) {
    GONS_SKIP_OR_FAIL(why);
  }
  absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder =
      NamespaceHolder::Start({"unshare", "--user", "--map-root-user", "--uts",
                              "--net", "--pid", "--fork"},
                             "", /*unprivileged=*/false);
  ASSERT_TRUE(holder.ok()) << holder.status();
  // The holder is the child that `unshare --fork` starts, in the new user,
  // uts, net and PID namespaces.
  TargetSpec spec;
  for (const char* type : {"uts", "net", "user", "ipc"}) {
    spec.paths.push_back({type, (*holder)->NamespacePath(type)});
  }
  spec.paths.push_back({"pid", (*holder)->NamespacePath("pid_for_children")});
  const absl::StatusOr<ResolvedTarget> target = ResolveTarget(spec);
  ASSERT_TRUE(target.ok()) << target.status();
  const std::vector<reexec::Namespace> enter = NamespacesToEnter(*target);
  // In switching order; ipc is left out, the holder shares nsinspect's.
  EXPECT_THAT(Types(enter),
              ::testing::ElementsAre("!user", "!net", "!pid", "!uts"));
  // The child opens nsinspect's descriptor of the checked file.
  EXPECT_THAT(enter[0].path,
              ::testing::StartsWith(absl::StrCat("/proc/", getpid(), "/fd/")));
  EXPECT_EQ(InodeOf(enter[0].path), InodeOf((*holder)->NamespacePath("user")));
  EXPECT_TRUE(EntersPidNamespace(*target));
}

TEST(TargetTest, MissingProcessIsNotFound) {
  const absl::StatusOr<ResolvedTarget> target =
      ResolveTarget(PidTarget(999999999));
  EXPECT_EQ(target.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(target.status().message(), HasSubstr("no such process"));
}

// Resolves a target of one net namespace file.
absl::Status ResolveNetPath(const std::string& path) {
  TargetSpec spec;
  spec.paths = {{"net", path}};
  return ResolveTarget(spec).status();
}

TEST(TargetTest, MissingPathIsNotFound) {
  const absl::Status status =
      ResolveNetPath("/run/netns/gons-no-such-namespace");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("/run/netns/gons-no-such-namespace"));
}

TEST(TargetTest, OrdinaryFileIsNotANamespace) {
  const absl::Status status = ResolveNetPath("/proc/self/status");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("/proc/self/status is not a namespace file"));
}

TEST(TargetTest, NamespaceOfAnotherTypeIsRefused) {
  const absl::Status status = ResolveNetPath("/proc/self/ns/uts");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("is a uts namespace, not a net namespace"));
}

}  // namespace
}  // namespace gons::nsinspect
