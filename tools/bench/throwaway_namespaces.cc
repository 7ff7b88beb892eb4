// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/bench/throwaway_namespaces.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gons::bench {
namespace {

bool WriteFile(const char* path, const std::string& text) {
  const int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok =
      write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  return ok;
}

// The holder's side: reports each kept descriptor (or -errno on failure) on
// `report`, then waits for `release` to close. It runs in a forked copy of
// a single-threaded parent, so allocating is safe.
[[noreturn]] void Hold(int clone_flags, int extra_networks, int report,
                       int release) {
  const uid_t uid = geteuid();
  const gid_t gid = getegid();
  const bool made =
      unshare(clone_flags) == 0 &&
      ((clone_flags & CLONE_NEWUSER) == 0 ||
       (WriteFile("/proc/self/setgroups", "deny") &&
        WriteFile("/proc/self/uid_map", absl::StrCat("0 ", uid, " 1")) &&
        WriteFile("/proc/self/gid_map", absl::StrCat("0 ", gid, " 1"))));
  const int result = made ? 0 : -errno;
  (void)!write(report, &result, sizeof(result));
  for (int i = 0; i < extra_networks && result == 0; ++i) {
    int fd = -1;
    if (unshare(CLONE_NEWNET) != 0) {
      fd = -errno;
    } else {
      fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
      if (fd < 0) fd = -errno;
    }
    (void)!write(report, &fd, sizeof(fd));
    if (fd < 0) break;
  }
  close(report);
  char byte;
  while (read(release, &byte, 1) < 0 && errno == EINTR) {
  }
  _exit(0);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ThrowawayNamespaces>> ThrowawayNamespaces::Make(
    int clone_flags, int extra_networks) {
  if (geteuid() != 0) clone_flags |= CLONE_NEWUSER;
  int report[2], release[2];
  if (pipe2(report, O_CLOEXEC) != 0) return absl::ErrnoToStatus(errno, "pipe2");
  if (pipe2(release, O_CLOEXEC) != 0) {
    close(report[0]);
    close(report[1]);
    return absl::ErrnoToStatus(errno, "pipe2");
  }
  const pid_t pid = fork();
  if (pid == 0) {
    close(report[0]);
    close(release[1]);
    Hold(clone_flags, extra_networks, report[1], release[0]);
  }
  close(report[1]);
  close(release[0]);
  if (pid < 0) {
    close(report[0]);
    close(release[1]);
    return absl::ErrnoToStatus(errno, "fork");
  }
  std::unique_ptr<ThrowawayNamespaces> made(
      new ThrowawayNamespaces(pid, release[1]));
  made->has_user_namespace_ = (clone_flags & CLONE_NEWUSER) != 0;
  // The first number is the result of unshare; then one per extra network.
  for (int i = -1; i < extra_networks; ++i) {
    int value = 0;
    ssize_t got;
    while ((got = read(report[0], &value, sizeof(value))) < 0 &&
           errno == EINTR) {
    }
    if (got != sizeof(value) || value < 0) {
      close(report[0]);
      return absl::ErrnoToStatus(
          got == sizeof(value) ? -value : EPIPE,
          absl::StrCat("making throwaway namespaces (clone flags 0x",
                       absl::Hex(clone_flags), ", network namespace ", i + 1,
                       " of ", extra_networks,
                       "): the kernel refused; unprivileged user namespaces "
                       "may be disabled"));
    }
    if (i >= 0) {
      made->extra_networks_.push_back(
          absl::StrCat("/proc/", pid, "/fd/", value));
    }
  }
  close(report[0]);
  return made;
}

ThrowawayNamespaces::~ThrowawayNamespaces() {
  close(release_);
  while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

std::string ThrowawayNamespaces::Path(absl::string_view type) const {
  return absl::StrCat("/proc/", pid_, "/ns/", type);
}

}  // namespace gons::bench
