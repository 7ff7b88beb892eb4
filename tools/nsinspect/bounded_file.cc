// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/bounded_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace gons::nsinspect {

absl::StatusOr<std::string> ReadBoundedFile(const std::string& path,
                                            std::size_t max_size) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::ErrnoToStatus(errno, path);
  return ReadBoundedDescriptor(fd, path, max_size);
}

absl::StatusOr<std::string> ReadBoundedDescriptor(int fd,
                                                  const std::string& name,
                                                  std::size_t max_size) {
  std::string text;
  char buffer[16384];
  for (;;) {
    const ssize_t got = read(fd, buffer, sizeof(buffer));
    if (got > 0) {
      text.append(buffer, static_cast<std::size_t>(got));
      if (text.size() > max_size) {
        close(fd);
        return absl::ResourceExhaustedError(
            absl::StrCat(name, ": larger than ", max_size, " bytes"));
      }
    } else if (got == 0) {
      break;
    } else if (errno != EINTR) {
      const int error = errno;
      close(fd);
      return absl::ErrnoToStatus(error, name);
    }
  }
  close(fd);
  return text;
}

}  // namespace gons::nsinspect
