// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: reexec.h
// -----------------------------------------------------------------------------
//
// Runs an action in a re-executed child inside other namespaces. The program
// re-executes itself (its own file, opened before any namespace switch: see
// host_program.h) as a child, which enters the requested
// namespaces at start-up through //gons (while it is still single-threaded),
// runs one registered action, writes its result to stdout as JSON and exits.
// This is how a multi-threaded program does work in a mount, user or time
// namespace, which it cannot enter itself.
//
// Example:
//
//   // At namespace scope: registered during static initialization, so the
//   // child knows it too.
//   const bool registered = [] {
//     gons::reexec::Register("hostname", [] {
//       char name[256] = {};
//       gethostname(name, sizeof(name) - 1);
//       (void)gons::reexec::WriteResult(std::string(name));
//     });
//     return true;
//   }();
//
//   int main() {
//     gons::reexec::CheckAction();  // First thing: runs the action in a child.
//     std::string hostname;
//     absl::Status status = gons::reexec::RunReexecAction(
//         "hostname",
//         gons::reexec::Namespaces({{"uts", "/proc/4711/ns/uts"}}),
//         gons::reexec::Result(&hostname));
//   }
//
// The child protocol (reexec/README.md, "The child protocol", names the
// test of each point):
// - Environment: the parent's minus every inherited gons_* variable, plus
//   Environment(...) (the last entry of a name wins), plus gons_<type> and
//   gons_order=tolerant:<Namespaces(...) in the caller's order> (always
//   set, so the child never falls back to the default order), plus
//   gons_reexec_action=<name> and gons_reexec_failure_fd=4, plus
//   LD_BIND_NOW=1 when it enters a namespace (so that no symbol is bound
//   lazily there), with Dumpable(false), gons_reexec_dumpable=0 and, with
//   a non-empty Param(), gons_reexec_param_size=<bytes of its JSON text>:
//   only the size of the buffer the child reads it into (at most 1 GiB on
//   its word; the child reads to the end of stdin whatever it says).
// - Descriptors: 0 the param (a socket, ended with shutdown(SHUT_WR)), 1
//   the result, 2 stderr, 3 only in test children under coverage, 4 the
//   failure channel until the action starts; nothing else.
// - Failure channel: a child that could not enter its namespaces, or does
//   not know the action, writes one line there ("switch-failed <code>
//   <message>" or "unknown-action <code> <message>", at most 4096 bytes;
//   see failure_channel.h) and exits; the parent returns that code. An
//   action's exit status, whatever its value, is its own.
// - Result framing: WriteResult() writes one JSON value and a newline;
//   anything after the value fails the call.
// - Lifetime: the child runs in its own process group, which a timeout, the
//   grace after a complete result (1 s) or MaxResultSize() kills; it is
//   reaped on every path.

#ifndef GONS_REEXEC_REEXEC_H_
#define GONS_REEXEC_REEXEC_H_

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "reexec/json.h"
#include "reexec/json_string_scan.h"
#include "reexec/json_utf8.h"
#include "reexec/options.h"

namespace gons::reexec {

// Registers `action` under `name`, for RunReexecAction() to run in a child.
// Register every action during static initialization (or at least before
// CheckAction()), because the child looks the name up when it starts.
// Registering a name twice is a programming error: the program stops with a
// message naming the action. Thread-safe.
void Register(std::string_view name, std::function<void()> action);

// Call first thing in main(), before any thread is started. In a
// re-executed child it runs the requested action and exits the process: 0
// after the action returns; without running anything, when the child's
// namespace switch failed or the action is unknown, 111 or 112, with the
// reason on the failure channel (or on stderr in a child started by hand,
// without one). Otherwise it returns, and RunReexecAction() is enabled. In a
// set-user-ID, set-group-ID or file-capability program (AT_SECURE) the
// protocol's variables are ignored: it always returns.
void CheckAction();

// Like CheckAction(), but in a child returns true after running the action
// (and flushing stdout) instead of exiting, so that the caller can exit its
// own way (see //testing for why). Returns false in a normal start.
bool RunAction();

// Runs the action registered as `name` in a re-executed child, with any of
// the options below, and waits for it. Returns OK when the child exited 0
// and, with Result(), its stdout decoded into the requested type.
//
// Fails with:
//   kFailedPrecondition  CheckAction() was never called; called from inside
//                        a re-executed child; the program runs AT_SECURE;
//                        the child could not enter its namespaces (the
//                        child's own status code is used when it names
//                        one: kNotFound, kPermissionDenied...); the kernel
//                        refuses clone(CLONE_PIDFD) (the message names
//                        the errno and what it means); another waiter took
//                        the child's exit status and the kernel cannot
//                        tell it (before Linux 6.15); with ForkServer(true),
//                        the program had started a thread before
//                        CheckAction() ran in the helper
//   kNotFound            no action registered under `name` (in the parent,
//                        or, as the child reports, in the child)
//   kInvalidArgument     a bad option (unknown namespace type, bad
//                        Environment entry, a Param JSON cannot express:
//                        NaN, infinity, a RawJson that is not one value);
//                        a result of the wrong type
//   kDeadlineExceeded    Timeout() passed; the child was killed and reaped
//   kAborted             the child was killed by a signal, or stopped reading
//                        the param before its end
//   kUnknown             the child (its action) exited non-zero, 111 and
//                        112 included
//   kDataLoss            Result() was asked for and the child wrote no
//                        result, or no valid JSON; the child wrote a
//                        malformed report on its failure channel
//   kResourceExhausted   the child wrote more than MaxResultSize() to
//                        stdout (it was killed); out of memory, processes
//                        or descriptors when starting or running it
//   kInternal            poll(), waitid() or pthread_sigmask() failed
//                        unexpectedly (the child was killed and reaped)
//   kUnavailable         ForkServer(true) only: the fork server's helper
//                        died while the action ran (its copy was killed;
//                        the action may have run in part), or died twice
//                        before the copy started (see options.h)
// Starting the child can also fail with the code of its errno (kNotFound,
// kPermissionDenied) when the program file cannot be executed; running it,
// with the code of the errno of a kill that failed (kPermissionDenied: the
// child made itself another user's; the call then waits for its exit) or
// of shutdown() ending its param.
// Failure messages carry the child's stderr (bounded). A child that writes
// to stderr and succeeds is a success.
//
// Thread-safe: many threads may run actions at once. Do not change the
// environment (setenv) while a call runs: the child's environment is built
// from it.
template <typename... Options>
absl::Status RunReexecAction(std::string_view name, Options&&... options) {
  internal::Invocation invocation;
  (std::forward<Options>(options).ApplyTo(invocation), ...);
  return internal::RunInvocation(absl::string_view(name.data(), name.size()),
                                 std::move(invocation));
}

// In an action: reads the whole param from stdin and decodes it.
template <typename T>
absl::StatusOr<T> ReadParam() {
  absl::StatusOr<std::string> text = internal::ReadStandardInput();
  if (!text.ok()) return text.status();
  T value{};
  // In place: a large string param is not copied again.
  if (absl::Status status = internal::DecodeJsonInPlace(&*text, &value);
      !status.ok()) {
    return status;
  }
  return value;
}

// In an action: writes `value` to stdout as the action's JSON result,
// followed by a newline that ends it (so that nothing written after it, a
// digit after a number included, can read as part of it).
// Fails with kInvalidArgument, writing nothing, when JSON cannot express
// `value` (see TryEncodeJson()); with kFailedPrecondition when a result was
// already written: a result is exactly one JSON value, and the parent
// refuses, naming them, any bytes written after it (by a subprocess, say);
// otherwise with the write's error.
template <typename T>
absl::Status WriteResult(const T& value) {
  if constexpr (std::is_same_v<T, std::string>) {
    // Nothing is written, and no result begun, unless it is UTF-8; the
    // same pass finds where escaping begins.
    const internal::StringContentScan scan = internal::ScanStringContent(value);
    if (scan.invalid_utf8 != absl::string_view::npos) {
      return internal::InvalidUtf8Error(value, scan.invalid_utf8, "the result");
    }
    if (absl::Status status = internal::BeginResult(); !status.ok()) {
      return status;
    }
    // Escaped and written a slice at a time: a large string result costs
    // no buffer of its size.
    return internal::WriteStandardOutputJsonString(value, scan.first_escape);
  } else {
    // Nothing is written, and no result begun, when JSON cannot express the
    // value.
    absl::StatusOr<std::string> json = TryEncodeJson(value);
    if (!json.ok()) return json.status();
    if (absl::Status status = internal::BeginResult(); !status.ok()) {
      return status;
    }
    return internal::WriteStandardOutputResult(*std::move(json));
  }
}

}  // namespace gons::reexec

#endif  // GONS_REEXEC_REEXEC_H_
