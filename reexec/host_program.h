// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: host_program.h
// -----------------------------------------------------------------------------
//
// The program's own file, as opened at start-up (child_start.cc) before
// //gons entered any namespace: the runner re-executes it with
// execveat(fd, "", AT_EMPTY_PATH), so that a parent moved into a
// container's mount namespace still runs the host's binary, not whatever
// that namespace's /proc/self/exe is. Internal to reexec.
//
// Example:
//
//   const int program = HostProgramDescriptor();
//   if (program < 0) return absl::FailedPreconditionError("no /proc at start");

#ifndef GONS_REEXEC_HOST_PROGRAM_H_
#define GONS_REEXEC_HOST_PROGRAM_H_

namespace gons::reexec::internal {

// Returns an O_PATH | O_CLOEXEC descriptor of the program's file, opened
// before main() and before any namespace switch, or -1 when /proc/self/exe
// could not be opened then. Thread-safe (set once, before main()).
int HostProgramDescriptor();

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_HOST_PROGRAM_H_
