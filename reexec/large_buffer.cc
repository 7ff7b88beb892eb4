// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/large_buffer.h"

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
  // At least a little, so that the end of file and errors are seen.
  constexpr std::size_t kLeast = 4096;
  constexpr std::size_t kMost = 4 * 1024 * 1024;
  int queued = 0;
  std::size_t want = kLeast;
  if (ioctl(fd, FIONREAD, &queued) == 0 && queued > 0) {
    want = std::min(std::max(static_cast<std::size_t>(queued), kLeast), kMost);
  }
  const std::size_t size = buffer->size();
  if (buffer->capacity() - size < want) {
    // Growing fourfold: each growth copies what was read so far into
    // fresh memory, and fresh memory is what costs (untouched capacity
    // costs nothing). The extra room keeps a payload whose size is a power
    // of two from overflowing by its two JSON quotes into one more copy at
    // the very end.
    constexpr std::size_t kRoom = 1024 * 1024;
    ReserveLargeBuffer(buffer, 4 * size + want + std::min(size, kRoom));
  }
  buffer->resize(size + want);
  const ssize_t got = read(fd, buffer->data() + size, want);
  const int error = errno;
  buffer->resize(size + static_cast<std::size_t>(std::max<ssize_t>(got, 0)));
  errno = error;
  return got;
}

}  // namespace gons::reexec::internal
