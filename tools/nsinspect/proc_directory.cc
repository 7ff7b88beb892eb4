// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/proc_directory.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "tools/nsinspect/bounded_file.h"

namespace gons::nsinspect {

ProcDirectory ProcDirectory::Open(bool confined) {
  const int fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
  return ProcDirectory(fd, fd < 0 ? errno : 0, confined);
}

ProcDirectory::ProcDirectory(ProcDirectory&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      open_error_(other.open_error_),
      confined_(other.confined_) {}

ProcDirectory& ProcDirectory::operator=(ProcDirectory&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);  // O_PATH: nothing to flush, nothing to report.
    fd_ = std::exchange(other.fd_, -1);
    open_error_ = other.open_error_;
    confined_ = other.confined_;
  }
  return *this;
}

ProcDirectory::~ProcDirectory() {
  if (fd_ >= 0) close(fd_);  // O_PATH: nothing to flush, nothing to report.
}

int ProcDirectory::OpenAt(const std::string& relative, int flags) const {
  if (fd_ < 0) {
    errno = open_error_;
    return -1;
  }
  if (confined_) {
    open_how how = {};
    how.flags = static_cast<__u64>(flags);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
    const long fd =  // NOLINT(google-runtime-int): syscall(2) returns long.
        syscall(SYS_openat2, fd_, relative.c_str(), &how, sizeof(how));
    // Before Linux 5.6 (or under a filter that refuses it): the lookup is
    // still relative to nsinspect's /proc, only not held to its mount.
    if (fd >= 0 || (errno != ENOSYS && errno != EPERM)) {
      return static_cast<int>(fd);
    }
  }
  return openat(fd_, relative.c_str(), flags);
}

absl::StatusOr<std::string> ProcDirectory::Read(
    const std::string& relative) const {
  const std::string name = absl::StrCat("/proc/", relative);
  const int fd = OpenAt(relative, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::ErrnoToStatus(errno, name);
  return ReadBoundedDescriptor(fd, name);
}

int ProcDirectory::OpenDirectory(const std::string& relative) const {
  return OpenAt(relative, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

int ProcDirectory::Stat(const std::string& relative, struct stat* info) const {
  const std::size_t slash = relative.rfind('/');
  const std::string parent =
      slash == std::string::npos ? "." : relative.substr(0, slash);
  const std::string last =
      slash == std::string::npos ? relative : relative.substr(slash + 1);
  const int directory = OpenDirectory(parent);
  if (directory < 0) return -1;
  // One component in an opened procfs directory: a magic link there jumps
  // straight to its object, with no lookup anywhere else.
  const int result = fstatat(directory, last.c_str(), info, 0);
  const int error = errno;
  close(directory);  // O_PATH: nothing to flush, nothing to report.
  errno = error;
  return result;
}

bool ProcDirectory::Exists(const std::string& relative) const {
  const int fd = OpenAt(relative, O_PATH | O_CLOEXEC);
  if (fd < 0) return false;
  close(fd);  // O_PATH: nothing to flush, nothing to report.
  return true;
}

}  // namespace gons::nsinspect
