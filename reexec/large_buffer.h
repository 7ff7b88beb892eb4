// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: large_buffer.h
// -----------------------------------------------------------------------------
//
// Growth of the buffers that hold whole params and results. What a large
// param or result costs is mostly the first touch of fresh memory: one page
// fault per 4 KiB page, at several microseconds each. Buffers of several
// MiB are therefore asked to be backed by transparent huge pages
// (madvise(MADV_HUGEPAGE), which is only advice: where the kernel has none,
// nothing changes), so that a 64 MiB buffer takes 32 faults, not 16,384.
//
// Example:
//
//   std::string text;
//   ReserveLargeBuffer(&text, payload_size + 2);
//   while (ReadAppend(fd, &text) > 0) {}
//
// Internal to reexec. Thread-compatible.

#ifndef GONS_REEXEC_LARGE_BUFFER_H_
#define GONS_REEXEC_LARGE_BUFFER_H_

#include <cstddef>
#include <string>

namespace gons::reexec::internal {

// Makes `buffer->capacity()` at least `capacity`, keeping its contents;
// for a large capacity, the new memory is advised to use huge pages before
// anything is written to it.
void ReserveLargeBuffer(std::string* buffer, std::size_t capacity);

// Appends to `*buffer` what one read(2) of `fd` returns, and returns what
// read returned (errno is read's). Sized by what `fd` holds now (FIONREAD),
// so that only memory about to be filled is touched; the capacity grows
// fourfold, with ReserveLargeBuffer.
long ReadAppend(int fd, std::string* buffer);

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_LARGE_BUFFER_H_
