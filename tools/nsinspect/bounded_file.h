// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: bounded_file.h
// -----------------------------------------------------------------------------
//
// Reads a whole /proc file (or any file) into memory, up to a limit. What a
// namespace or process shows there is untrusted: a hostile namespace can
// make a mount table huge, so every file nsinspect reads is bounded.
//
// Example:
//
//   absl::StatusOr<std::string> text =
//       ReadBoundedFile("/proc/4711/mountinfo");

#ifndef GONS_TOOLS_NSINSPECT_BOUNDED_FILE_H_
#define GONS_TOOLS_NSINSPECT_BOUNDED_FILE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace gons::nsinspect {

// Far above any real mount table (a few thousand mounts are ~1 MiB).
inline constexpr std::size_t kMaxProcFileSize = std::size_t{16} << 20;

// Returns the contents of `path`. Fails with the errno status of open(2)
// or read(2) (kNotFound, kPermissionDenied, ...), naming the path, or with
// kResourceExhausted when the file holds more than `max_size` bytes.
// Retries reads interrupted by a signal. Thread-safe.
absl::StatusOr<std::string> ReadBoundedFile(
    const std::string& path, std::size_t max_size = kMaxProcFileSize);

// Returns what is left to read from the open file `fd`, which it closes
// before returning; like ReadBoundedFile, with `name` naming the file in
// errors. Thread-safe.
absl::StatusOr<std::string> ReadBoundedDescriptor(
    int fd, const std::string& name, std::size_t max_size = kMaxProcFileSize);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_BOUNDED_FILE_H_
