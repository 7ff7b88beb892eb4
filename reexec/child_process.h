// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: child_process.h
// -----------------------------------------------------------------------------
//
// Starts a child with its three standard descriptors connected to the parent
// and nothing else inherited (unless asked), feeds its stdin, collects its
// stdout and (bounded) stderr, and reaps it; with a timeout, and a grace period
// for a child that has written a complete JSON result but does not exit.
//
// Safe in multi-threaded parents: the child is started by a ChildOwner
// (clone with CLONE_VFORK, so no copy of a large address space, and a
// pidfd that only this runner waits on), every descriptor is created
// O_CLOEXEC, and the child closes all but 0, 1 and 2 before exec. All I/O goes
// through one poll() loop, so no amount of input or output can deadlock, and
// stdin is a socket written with MSG_NOSIGNAL, so a child that exits early can
// never raise SIGPIPE in the parent. Thread-safe.
//
// Internal to reexec.

#ifndef GONS_REEXEC_CHILD_PROCESS_H_
#define GONS_REEXEC_CHILD_PROCESS_H_

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "reexec/started_child.h"

namespace gons::reexec::internal {

// Keeps the beginning and the end of a text that may be arbitrarily long.
class BoundedText {
 public:
  explicit BoundedText(std::size_t limit) : limit_(limit) {}
  void Append(const char* data, std::size_t size);
  // The text, with a note in the middle when some of it was dropped.
  std::string Render() const;
  std::size_t total_size() const { return total_size_; }

 private:
  std::size_t limit_;  // Bytes kept at each end.
  std::size_t total_size_ = 0;
  std::string head_;
  std::string tail_;  // A ring-free tail: trimmed when twice too long.
};

struct ChildRequest {
  // The program: an O_PATH descriptor when >= 0 (see ChildSpec), else a path.
  int executable_fd = -1;
  std::string executable;
  std::vector<std::string> argv;
  std::vector<std::string> environment;  // The child's whole environment.
  std::string standard_input;            // Written, then stdin is closed.
  // When >= 0, passed to the child as its descriptor 3, the only one beyond
  // 0, 1 and 2 (for the coverage of test children: see //testing). The
  // caller keeps its own copy.
  int passed_descriptor = -1;
  absl::Duration timeout = absl::InfiniteDuration();
  // Tells whether stdout holds a complete result. A child whose stdout
  // does, and that has been quiet for a moment, gets `grace` to exit before
  // it is killed (the result counts as delivered). Null: never.
  std::function<bool(absl::string_view)> result_complete;
  absl::Duration grace = absl::Seconds(1);
  std::size_t standard_error_limit = 32 * 1024;  // Kept at each end.
  // More stdout than this kills the child (output_limit_exceeded).
  std::size_t standard_output_limit = std::size_t{1} << 30;
  bool die_with_parent = false;  // See ChildSpec.
  // Passes the write end of a pipe as the child's descriptor 4 (the
  // failure channel: see failure_channel.h) and keeps what the child writes
  // there, up to kMaxFailureRecord + 1 bytes.
  bool failure_channel = false;
  // Starts the child instead of ChildOwner::Start() when set (the fork
  // server's StartForkedCopy(): see fork_server.h).
  ChildStarter start;
};

struct ChildOutcome {
  int exit_code = -1;  // -1 when killed by a signal.
  int signal = 0;
  bool timed_out = false;              // Killed because of the timeout.
  bool killed_after_result = false;    // Killed after the grace period.
  bool output_limit_exceeded = false;  // Killed for writing too much.
  std::size_t input_size = 0;          // Of request.standard_input.
  std::size_t input_written = 0;
  int input_error = 0;  // errno that stopped writing stdin early, or 0.
  std::string standard_output;
  BoundedText standard_error{0};
  // What the child wrote on the failure channel; longer than
  // kMaxFailureRecord only when the child wrote too much.
  std::string failure_record;
};

// Runs the child to completion (or until killed) and reaps it, on every
// path (a ChildOwner: see child_owner.h), exceptions included. Fails only
// when the child could not be started (the codes of ChildOwner::Start()),
// with the codes of ChildOwner::Reap() and ChildOwner::Kill() when those
// fail, with kInternal when poll() fails, or with the status of errno when
// its stdin cannot be ended (shutdown). Frees
// `request.standard_input` as soon as it is written, so a large param and its
// result do not peak together; when its buffer is the larger, stdout is
// read into it instead (its memory is resident already), and a small
// result is moved out of it at the end.
absl::StatusOr<ChildOutcome> RunChild(ChildRequest request);

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_CHILD_PROCESS_H_
