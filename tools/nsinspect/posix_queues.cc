// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/posix_queues.h"

#include <dirent.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace gons::nsinspect {
namespace {

absl::Status CallFailed(int error, const char* call) {
  absl::Status status = absl::ErrnoToStatus(error, call);
  if (error != EPERM) return status;
  return absl::Status(
      status.code(),
      absl::StrCat(status.message(),
                   " (listing POSIX queues needs CAP_SYS_ADMIN over the "
                   "mount and IPC namespaces; give the user namespace too)"));
}

// A descriptor closed on every path.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// Reads "QSIZE:%llu NOTIFY:..." from an open queue.
std::int64_t QueuedBytes(int queue) {
  char text[256];
  const ssize_t size = pread(queue, text, sizeof(text) - 1, 0);
  if (size <= 0) return -1;
  absl::string_view line(text, static_cast<std::size_t>(size));
  if (!absl::ConsumePrefix(&line, "QSIZE:")) return -1;
  line = line.substr(0, line.find(' '));
  std::int64_t bytes = -1;
  return absl::SimpleAtoi(line, &bytes) ? bytes : -1;
}

PosixQueue Describe(int directory, const char* name, const struct stat& info) {
  PosixQueue queue;
  queue.name = absl::StrCat("/", name);
  queue.permissions = absl::StrFormat("%o", info.st_mode & 07777);
  queue.owner_uid = info.st_uid;
  const Descriptor opened(
      openat(directory, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (opened.get() < 0) return queue;
  struct mq_attr attributes;
  if (mq_getattr(opened.get(), &attributes) == 0) {
    queue.max_messages = attributes.mq_maxmsg;
    queue.message_size = attributes.mq_msgsize;
    queue.messages = attributes.mq_curmsgs;
  }
  queue.bytes = QueuedBytes(opened.get());
  return queue;
}

}  // namespace

absl::StatusOr<std::vector<PosixQueue>> CollectPosixQueues() {
  const Descriptor context(fsopen("mqueue", FSOPEN_CLOEXEC));
  if (context.get() < 0) return CallFailed(errno, "fsopen(mqueue)");
  if (fsconfig(context.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) {
    return CallFailed(errno, "fsconfig(FSCONFIG_CMD_CREATE)");
  }
  const Descriptor mount(fsmount(context.get(), FSMOUNT_CLOEXEC, 0));
  if (mount.get() < 0) return CallFailed(errno, "fsmount(mqueue)");
  Descriptor directory(
      openat(mount.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.get() < 0) return CallFailed(errno, "open(mqueue root)");
  DIR* entries = fdopendir(directory.get());
  if (entries == nullptr) return CallFailed(errno, "fdopendir(mqueue root)");
  const int fd = directory.release();  // closedir() closes it now.
  std::vector<PosixQueue> queues;
  while (const dirent* entry = readdir(entries)) {
    if (std::strcmp(entry->d_name, ".") == 0 ||
        std::strcmp(entry->d_name, "..") == 0) {
      continue;
    }
    if (static_cast<int>(queues.size()) == kMaxPosixQueues) break;
    struct stat info;
    if (fstatat(fd, entry->d_name, &info, AT_SYMLINK_NOFOLLOW) != 0) {
      continue;  // Unlinked meanwhile.
    }
    queues.push_back(Describe(fd, entry->d_name, info));
  }
  closedir(entries);
  std::sort(
      queues.begin(), queues.end(),
      [](const PosixQueue& a, const PosixQueue& b) { return a.name < b.name; });
  return queues;
}

}  // namespace gons::nsinspect
