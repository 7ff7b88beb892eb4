// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: namespace_thread.h
// -----------------------------------------------------------------------------
//
// Runs a callable in other namespaces without starting a process: on a
// worker thread that enters the net, uts, ipc, cgroup and mount namespaces
// asked for, runs the callable, and switches back, while every other thread
// of the caller stays where it is. The callable's value comes back typed, in
// the same process: no exec, no JSON.
//
// setns() moves only the calling thread, and the kernel lets a thread of a
// multi-threaded process enter these five types: the mount namespace once
// the thread has its own filesystem attributes (the worker calls
// unshare(CLONE_FS) when it starts). User, PID and time namespaces need a
// single-threaded process: use gons::reexec::RunReexecAction for them.
//
// Workers are reused. A worker starts where its caller is. After each call
// it switches back into its original namespaces, through descriptors of
// them opened before the first switch and closed before the call returns;
// the call then returns, and only after that does the worker prove it is
// back: it compares the numbers its /proc/thread-self/ns/{mnt,cgroup,ipc,
// net,uts} links name, the device and inode of its root directory, and its
// user and group ids and capabilities with those it started with. Only a
// worker that matches on every one serves a later call (at most
// kMaxIdleNamespaceThreads are kept, idle or proving, holding no
// descriptor), and only a caller whose own namespaces and root match it
// gets it: the types not in a set are always the caller's. A call handed to
// a worker still proving waits for the proof, and goes to another worker
// when it fails. A worker that could not switch back ends before the call
// returns, joined by its caller; one that fails the proof ends too, joined
// by the call it refused or else by the next call from any thread. At
// process exit a worker may still be proving or ending: it holds no
// descriptor and uses nothing that exit destroys.
//
// The namespaces are entered with the switcher's code, in its default
// order, every path opened before the first switch, so a failure reads as
// the switcher's message (it names the type by its `gons_*` variable, as
// gons::Status() does). An ordinary user's thread enters nothing: setns()
// also needs CAP_SYS_ADMIN in the thread's own user namespace, which only a
// process that entered a user namespace while single-threaded has.
//
// Example:
//
//   absl::StatusOr<std::string> name = gons::RunInNamespaces(
//       {{"uts", "/proc/4711/ns/uts"}, {"net", "/run/netns/blue"}}, [] {
//         char buffer[65] = {};
//         gethostname(buffer, sizeof(buffer) - 1);
//         return std::string(buffer);
//       });
//   if (!name.ok()) std::cerr << name.status() << "\n";
//
// The callable runs on the worker thread: it must not rely on the caller's
// thread-local state, its working directory (the worker's is its own: the
// process's when the worker started, or the root of the last mount namespace
// it entered; use absolute paths) or its signal mask. An exception it throws is
// caught on the worker and rethrown on the calling thread, after the worker has
// switched back.

#ifndef GONS_NAMESPACE_THREAD_H_
#define GONS_NAMESPACE_THREAD_H_

#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gons {

// One namespace to enter: its type as in /proc/PID/ns ("net", "uts", "ipc",
// "cgroup", "mnt") and the absolute path of a namespace file of that type
// (/proc/PID/ns/TYPE, /run/netns/NAME, a bind mount of one).
struct NamespacePath {
  std::string type;
  std::string path;
};

// The namespaces a call enters: each type at most once, in any order (they
// are entered in the switcher's default order). Empty: the callable runs on
// a worker in the caller's namespaces.
using NamespaceSet = std::vector<NamespacePath>;

// How a call gets its worker thread.
struct NamespaceThreadOptions {
  // Take an idle worker when there is one, and keep this one for later
  // calls when it switched back cleanly. false: a fresh thread that exits
  // (and is joined) before the call returns.
  bool reuse_thread = true;
};

// The most idle workers kept for reuse; more exit after their call.
inline constexpr int kMaxIdleNamespaceThreads = 8;

namespace internal {

// What RunInNamespaces returns for a callable that returns R: absl::Status
// for void and absl::Status, absl::StatusOr<U> for absl::StatusOr<U>, and
// absl::StatusOr<R> otherwise.
template <typename R>
struct NamespaceThreadResult {
  using Type = absl::StatusOr<R>;
};
template <>
struct NamespaceThreadResult<void> {
  using Type = absl::Status;
};
template <>
struct NamespaceThreadResult<absl::Status> {
  using Type = absl::Status;
};
template <typename U>
struct NamespaceThreadResult<absl::StatusOr<U>> {
  using Type = absl::StatusOr<U>;
};

// Validates `set`, then runs `body` on a worker thread that has entered
// every namespace in it, and switches the worker back. `body` runs only when
// every namespace was entered, and must not throw. Returns the status of the
// validation and of the switch (not of `body`). Thread-safe.
absl::Status RunOnNamespaceThread(const NamespaceSet& set,
                                  const NamespaceThreadOptions& options,
                                  absl::FunctionRef<void()> body);

// Returns how many workers are kept now: idle, or still proving they are
// back after their last call. Thread-safe; for tests.
int IdleNamespaceThreadCount();

// Returns how many workers failed that proof with no call to refuse and
// wait for the next call to join them. Thread-safe; for tests.
int ExitedNamespaceThreadCount();

}  // namespace internal

// Runs `callable` (invoked with no argument) on a worker thread that has
// entered the namespaces in `set`, and returns its value: see
// internal::NamespaceThreadResult for the type (a callable that returns
// absl::Status or absl::StatusOr<U> has its own status passed through). The
// calling thread waits; its namespaces, and those of every other thread of
// the process, never change. An exception thrown by `callable` is rethrown
// here, on the calling thread. The callable is not run when any namespace
// could not be entered. A worker that could not switch back, or fails its
// proof afterwards, does not fail the call: its value is returned and the
// worker ends.
//
// These codes come from the call itself, and no others (a callable that
// returns a status may return any code):
//
//   kInvalidArgument     an unknown type or one given twice; an empty or
//                        relative path or one with a NUL byte; the switcher's
//                        kInvalidArgument: a path that is not a namespace
//                        file or is a namespace of another type, setns()
//                        refused with EINVAL
//   kFailedPrecondition  a user, pid or time namespace (they need a
//                        single-threaded process: RunReexecAction); the
//                        worker could not get its own filesystem attributes
//                        (unshare(CLONE_FS)) or read its own namespaces
//                        (/proc/thread-self/ns)
//   kNotFound            the path does not exist (ENOENT, ENOTDIR)
//   kPermissionDenied    EPERM or EACCES when opening or entering, with the
//                        switcher's likely cause
//   kResourceExhausted   no descriptor, memory or thread left (EMFILE,
//                        ENFILE, ENOMEM, EAGAIN from thread creation)
//   kInternal            any other system error
//
// Thread-safe: calls from many threads run on different workers at once.
// Not before main(); in the child of a fork() only when no other thread was
// inside this function at the fork (fork() waits for a worker that is
// updating the pool, so the child never inherits its lock held; the
// child's first call forgets the parent's workers).
template <typename F>
auto RunInNamespaces(const NamespaceSet& set, F&& callable,
                     const NamespaceThreadOptions& options = {}) ->
    typename internal::NamespaceThreadResult<std::invoke_result_t<F&>>::Type {
  using Returned = std::invoke_result_t<F&>;
  static_assert(!std::is_reference_v<Returned>,
                "the callable must return a value, not a reference");
  using Stored = std::conditional_t<std::is_void_v<Returned>, bool, Returned>;
  std::optional<Stored> value;
  std::exception_ptr exception;
  const absl::Status status =
      internal::RunOnNamespaceThread(set, options, [&]() noexcept {
        try {
          if constexpr (std::is_void_v<Returned>) {
            callable();
            value.emplace(true);
          } else {
            value.emplace(callable());
          }
        } catch (...) {
          exception = std::current_exception();
        }
      });
  if (exception != nullptr) std::rethrow_exception(exception);
  if (!status.ok()) return status;
  if constexpr (std::is_void_v<Returned>) {
    return absl::OkStatus();
  } else {
    return std::move(*value);
  }
}

}  // namespace gons

#endif  // GONS_NAMESPACE_THREAD_H_
