// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: descriptor.h
// -----------------------------------------------------------------------------
//
// The one owner of a file descriptor that reexec's parent-side code uses:
// it closes the descriptor when it is destroyed or reset, on every path.
//
// Example:
//
//   Descriptor pipe_end(fds[0]);
//   if (!pipe_end.valid()) return ...;
//   read(pipe_end.get(), ...);  // Closed when pipe_end goes out of scope.
//
// Internal to reexec.

#ifndef GONS_REEXEC_DESCRIPTOR_H_
#define GONS_REEXEC_DESCRIPTOR_H_

#include <utility>

namespace gons::reexec::internal {

// Owns one descriptor (-1: none). Movable, not copyable. Not thread-safe:
// one owner at a time.
class Descriptor {
 public:
  Descriptor() = default;
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(Descriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Descriptor& operator=(Descriptor&& other) noexcept {
    Reset(std::exchange(other.fd_, -1));
    return *this;
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() { Reset(); }

  // Returns the descriptor, still owned.
  int get() const { return fd_; }
  // Returns whether a descriptor is owned.
  bool valid() const { return fd_ >= 0; }
  // Gives the descriptor up without closing it, and returns it.
  int Release() { return std::exchange(fd_, -1); }
  // Closes the owned descriptor, if any, and owns `fd` instead.
  void Reset(int fd = -1);

 private:
  int fd_ = -1;
};

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_DESCRIPTOR_H_
