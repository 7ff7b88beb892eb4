// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/large_buffer.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>

namespace gons::reexec::internal {
namespace {

constexpr std::size_t kHugePage = 2 * 1024 * 1024;

// Advises huge pages for the whole huge pages inside [data, data + size).
void AdviseHugePages(char* data, std::size_t size) {
  const std::uintptr_t begin =
      (reinterpret_cast<std::uintptr_t>(data) + kHugePage - 1) &
      ~(kHugePage - 1);
  const std::uintptr_t end =
      (reinterpret_cast<std::uintptr_t>(data) + size) & ~(kHugePage - 1);
  // Advice only: an error (no THP in this kernel) changes nothing.
  if (end > begin) {
    // The address from the buffer's own pointer, not from an integer.
    char* const aligned =
        data + (begin - reinterpret_cast<std::uintptr_t>(data));
    madvise(aligned, end - begin, MADV_HUGEPAGE);
  }
}

// Makes room in the full `*buffer` for `arrived` bytes and what `fd` holds
// after them. Growing copies what was read so far into fresh memory, and
// fresh memory is what costs (untouched capacity costs nothing): so four
// times what is known to come, and up to 1 MiB more, so that a payload
// whose size is a power of two does not overflow by its two JSON quotes
// into one more copy at the very end.
void Grow(int fd, std::string* buffer, std::size_t arrived) {
  constexpr std::size_t kMost = 4 * 1024 * 1024;
  constexpr std::size_t kRoom = 1024 * 1024;
  int queued = 0;
  std::size_t coming = 0;
  if (ioctl(fd, FIONREAD, &queued) == 0 && queued > 0) {
    coming = std::min(static_cast<std::size_t>(queued), kMost);
  }
  const std::size_t size = buffer->size();
  const std::size_t next = size + arrived + coming;
  ReserveLargeBuffer(buffer, 4 * next + std::min(next, kRoom));
}

// Appends up to `room` bytes that `fill(to, room)` writes at `to` and
// returns the count of, within the capacity `*buffer` has. Where the
// library has C++23's resize_and_overwrite (this file is compiled for it:
// see BUILD.bazel), the bytes are not written first: resize() writes every
// byte it adds, a pass of its own over memory that is often fresh, only for
// a read to write it again.
template <typename Fill>
void AppendFilled(std::string* buffer, std::size_t room, Fill fill) {
  const std::size_t size = buffer->size();
#ifdef __cpp_lib_string_resize_and_overwrite
  buffer->resize_and_overwrite(size + room, [&](char* data, std::size_t) {
    return size + fill(data + size, room);
  });
#else
  buffer->resize(size + room);
  buffer->resize(size + fill(buffer->data() + size, room));
#endif
}

}  // namespace

void ReserveLargeBuffer(std::string* buffer, std::size_t capacity) {
  if (capacity <= buffer->capacity()) return;
  if (capacity < 2 * kHugePage) {
    buffer->reserve(capacity);
    return;
  }
  // A new string, advised before the old contents are copied into it.
  std::string grown;
  grown.reserve(capacity);
  AdviseHugePages(grown.data(), grown.capacity());
  grown.append(*buffer);
  buffer->swap(grown);
}

long ReadAppend(int fd, std::string* buffer) {
  const std::size_t size = buffer->size();
  std::size_t room = buffer->capacity() - size;
  constexpr std::size_t kLeast = 4096;
  if (room == 0 || buffer->capacity() <= std::string().capacity()) {
    // Full (or only a new string's few inline bytes): whether more comes
    // is known only from a read. Into a small buffer first, so that the
    // end of file grows nothing.
    char probe[kLeast];
    const ssize_t got = read(fd, probe, sizeof(probe));
    if (got <= 0) return got;
    const int error = errno;
    Grow(fd, buffer, static_cast<std::size_t>(got));
    buffer->append(probe, static_cast<std::size_t>(got));
    errno = error;
    return got;
  }
  // Only as much as is there (and at least a little, so that the end of
  // file and errors are seen): without resize_and_overwrite, the room is
  // written before it is read into (see AppendFilled()).
  int queued = 0;
  std::size_t want = kLeast;
  if (ioctl(fd, FIONREAD, &queued) == 0 && queued > 0) {
    want = std::max(static_cast<std::size_t>(queued), kLeast);
  }
  want = std::min(want, room);
  ssize_t got = 0;
  int error = 0;
  AppendFilled(buffer, want, [&](char* to, std::size_t bytes) {
    got = read(fd, to, bytes);
    error = errno;
    return static_cast<std::size_t>(std::max<ssize_t>(got, 0));
  });
  errno = error;
  return got;
}

bool GrowPipeFor(int fd, std::size_t bytes) {
  // Pipe sizes are whole pages; a pipe is never shrunk here.
  const std::size_t wanted = std::min(bytes, kLargePipe);
  const int current = fcntl(fd, F_GETPIPE_SZ);
  if (current < 0) return false;
  if (static_cast<std::size_t>(current) >= wanted) return true;
  return fcntl(fd, F_SETPIPE_SZ, static_cast<int>(wanted)) >= 0;
}

}  // namespace gons::reexec::internal
