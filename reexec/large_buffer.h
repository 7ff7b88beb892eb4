// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: large_buffer.h
// -----------------------------------------------------------------------------
//
// Growth of the buffers that hold whole params and results, and of the
// pipe that carries a large result. What a large
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
// read returned (errno is read's). Reads into the room `*buffer` already
// has (a caller that knows the size reserves it, and nothing is ever
// copied); only when that is full does it grow, and only once a read has
// shown that more is coming, so that a buffer reserved exactly is never
// grown for the end of file. A growth is sized by what `fd` holds now
// (FIONREAD), so that only memory about to be filled is touched, and at
// least quadruples the capacity, with ReserveLargeBuffer.
long ReadAppend(int fd, std::string* buffer);

// Asks the kernel to give the pipe `fd` room for `bytes` at once, up to
// kLargePipe (a pipe holds 64 KiB by default), so that a writer of a large
// result wakes its reader a few times instead of once per 64 KiB. Advice:
// returns false, changing nothing, when `fd` is no pipe or the kernel
// refuses (pipe memory is limited per user: /proc/sys/fs/pipe-user-pages-*).
bool GrowPipeFor(int fd, std::size_t bytes);

// The largest pipe GrowPipeFor() asks for: Linux's default limit for an
// unprivileged process (/proc/sys/fs/pipe-max-size).
inline constexpr std::size_t kLargePipe = 1024 * 1024;

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_LARGE_BUFFER_H_
