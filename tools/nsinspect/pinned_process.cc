// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/pinned_process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace gons::nsinspect {
namespace {

#ifndef SYS_pidfd_open
constexpr long SYS_pidfd_open = 434;
#endif

// A pidfd polls readable once its process has exited (become a zombie).
bool HasExited(int pidfd) {
  struct pollfd entry = {pidfd, POLLIN, 0};
  int ready;
  do {
    ready = poll(&entry, 1, 0);
  } while (ready < 0 && errno == EINTR);
  return ready > 0 && (entry.revents & (POLLIN | POLLHUP)) != 0;
}

std::string ExitedMessage(pid_t pid, char state) {
  return state == 'Z' || state == 'X'
             ? absl::StrCat("process ", pid,
                            " has exited (a zombie its parent has not reaped):"
                            " its namespaces are gone")
             : absl::StrCat("process ", pid,
                            " exited during inspection: its namespaces are "
                            "gone");
}

}  // namespace

absl::StatusOr<std::shared_ptr<PinnedProcess>> PinnedProcess::Open(pid_t pid) {
  if (pid <= 0) {
    return absl::NotFoundError(absl::StrCat("no such process ", pid));
  }
  const long fd = syscall(SYS_pidfd_open, pid, 0);
  if (fd < 0) {
    const int error = errno;
    if (error == ESRCH) {
      return absl::NotFoundError(
          absl::StrCat("no such process (/proc/", pid, " does not exist)"));
    }
    return absl::ErrnoToStatus(error, absl::StrCat("pidfd_open(", pid, ")"));
  }
  std::shared_ptr<PinnedProcess> process(
      new PinnedProcess(pid, static_cast<int>(fd)));
  if (absl::Status alive = process->CheckAlive(); !alive.ok()) return alive;
  return process;
}

PinnedProcess::~PinnedProcess() { close(pidfd_); }

absl::Status PinnedProcess::CheckAlive() const {
  if (!HasExited(pidfd_)) return absl::OkStatus();
  return absl::FailedPreconditionError(ExitedMessage(pid_, State()));
}

char PinnedProcess::State() const {
  const std::string path = absl::StrCat("/proc/", pid_, "/stat");
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return '?';
  char buffer[1024];
  const ssize_t size = read(fd, buffer, sizeof buffer - 1);
  close(fd);
  if (size <= 0) return '?';
  buffer[size] = '\0';
  // "PID (COMM) STATE ...": COMM may hold ')' and spaces, so the last ')'
  // ends it.
  const char* end = std::strrchr(buffer, ')');
  if (end == nullptr || end[1] != ' ' || end[2] == '\0') return '?';
  return end[2];
}

}  // namespace gons::nsinspect
