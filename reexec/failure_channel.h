// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: failure_channel.h
// -----------------------------------------------------------------------------
//
// The channel on which a re-executed child tells its parent why it did not
// run its action: its namespace switch failed (with the switcher's status
// code and message), or it does not know the action. An action's own exit
// status, whatever its value, can then never be mistaken for one of these.
//
// The parent passes the write end of a pipe as the child's descriptor 4
// (3 is the coverage directory of test children: see //testing) and
// announces it with gons_reexec_failure_fd=4. The child's CheckAction()
// takes it first thing: it marks it close-on-exec and removes the
// variable; then writes at most one record and exits, or closes the
// descriptor before the action runs, so that neither the action nor
// anything it starts holds it. One record is one line, written with one
// write() (at most kMaxFailureRecord bytes, PIPE_BUF, so it arrives
// whole):
//
//   <kind> ' ' <code> ' ' <message> '\n'
//
//   kind     "switch-failed" or "unknown-action"
//   code     the absl::StatusCode, in decimal, 1 to 16
//   message  any bytes but '\n' and NUL (the parent escapes them)
//
// The parent refuses anything else (garbage, a second record, too many
// bytes) with a status that says so.
//
// Example:
//
//   // Child, first thing:
//   const int channel = TakeFailureChannel();
//   ...
//   WriteFailureRecord(channel, ChildFailureKind::kUnknownAction,
//                      absl::StatusCode::kNotFound, "no such action");
//   // Parent, with the bytes read from its end:
//   absl::StatusOr<std::optional<ChildFailure>> failure =
//       ParseFailureRecord(bytes);
//
// Internal to reexec (and its fork server).

#ifndef GONS_REEXEC_FAILURE_CHANNEL_H_
#define GONS_REEXEC_FAILURE_CHANNEL_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gons::reexec::internal {

// The child's descriptor that carries the channel.
inline constexpr int kFailureChannelDescriptor = 4;
// Announces the channel to the child; its value is "4".
inline constexpr char kFailureChannelVariable[] = "gons_reexec_failure_fd";
// The longest record, newline included: PIPE_BUF, the most that one
// write() to a pipe delivers whole.
inline constexpr std::size_t kMaxFailureRecord = 4096;

enum class ChildFailureKind {
  kSwitchFailed,   // The child could not enter its namespaces.
  kUnknownAction,  // The child has no action of that name.
};

struct ChildFailure {
  ChildFailureKind kind = ChildFailureKind::kSwitchFailed;
  absl::StatusCode code = absl::StatusCode::kUnknown;
  std::string message;  // The child's bytes: escape before printing.
};

// In the child, before anything else: when the environment announces the
// channel and descriptor 4 is a pipe, marks it close-on-exec, removes the
// variable and returns 4; otherwise returns -1 (a child started by hand).
// Before any thread.
int TakeFailureChannel();

// In the child: writes one record on `channel` (nothing when it is -1).
// The message is cut to fit and its newlines and NULs become spaces. The
// child exits right after, so a failed write is not reported: the parent
// then sees only the exit status, as it would for the action's own.
// Async-signal-safe apart from the message's formatting.
void WriteFailureRecord(int channel, ChildFailureKind kind,
                        absl::StatusCode code, absl::string_view message);

// In the child: closes the channel before the action runs (nothing when it
// is -1).
void CloseFailureChannel(int channel);

// Returns the record as the child writes it (for tests and the child).
std::string FormatFailureRecord(ChildFailureKind kind, absl::StatusCode code,
                                absl::string_view message);

// In the parent: reads what the child wrote on the channel. Returns
// nullopt for nothing (the action ran, or the child died before writing),
// the failure for exactly one valid record, and kDataLoss, naming the
// bytes (escaped, bounded), for anything else. Thread-safe.
absl::StatusOr<std::optional<ChildFailure>> ParseFailureRecord(
    absl::string_view bytes);

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_FAILURE_CHANNEL_H_
