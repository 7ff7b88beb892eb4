// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/large_buffer.h"

#include <sys/mman.h>

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
    madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
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

}  // namespace gons::reexec::internal
