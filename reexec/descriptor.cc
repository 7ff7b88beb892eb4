// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/descriptor.h"

#include <unistd.h>

namespace gons::reexec::internal {

void Descriptor::Reset(int fd) {
  // Linux releases the descriptor even when close() fails (EINTR, EIO): a
  // retry could close a descriptor another thread has just been given.
  if (fd_ >= 0) close(fd_);
  fd_ = fd;
}

}  // namespace gons::reexec::internal
