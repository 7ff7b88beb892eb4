// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: child_owner.h
// -----------------------------------------------------------------------------
//
// Starts a program as a child that only its owner can wait for or signal,
// and kills and reaps it on every path out of the owner's scope.
//
// The child is created with clone(CLONE_VM | CLONE_VFORK | CLONE_PIDFD), as
// posix_spawn does but keeping a pidfd, and is waited for and signalled
// through it only (waitid(P_PIDFD), pidfd_send_signal), so no recycled pid
// can be hit. When someone else reaps it first (SIGCHLD set to SIG_IGN, or
// a handler that loops on waitpid(-1, WNOHANG), as servers do; exec resets
// any other exit signal to SIGCHLD, so that cannot be avoided), its exit
// status is read from the pidfd (PIDFD_GET_INFO, Linux 6.15), and where the
// kernel cannot tell, Reap() fails and says why: a child's outcome is never
// guessed.
// The child runs in its own process group (so that its descendants can be
// killed with it and its own kill(0, ...) stays inside), optionally with
// PR_SET_PDEATHSIG, with every signal reset to its default and unblocked,
// and with only the descriptors asked for.
//
// Example:
//
//   ChildSpec spec;
//   spec.executable = "/bin/true";
//   spec.argv = {"true"};
//   absl::StatusOr<ChildOwner> child = ChildOwner::Start(spec);
//   if (!child.ok()) return child.status();
//   absl::StatusOr<siginfo_t> exit = child->Reap();
//
// Internal to reexec (and its fork server).

#ifndef GONS_REEXEC_CHILD_OWNER_H_
#define GONS_REEXEC_CHILD_OWNER_H_

#include <signal.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gons::reexec::internal {

struct ChildSpec {
  // Executed with execveat(executable_fd, "", AT_EMPTY_PATH) when >= 0
  // (an O_PATH descriptor of the program), else `executable` by path.
  int executable_fd = -1;
  std::string executable;
  std::vector<std::string> argv;
  std::vector<std::string> environment;  // The child's whole environment.
  // descriptors[i] becomes the child's descriptor i (closed when -1);
  // every other descriptor is closed in the child.
  std::vector<int> descriptors;
  // PR_SET_PDEATHSIG(SIGKILL): the child is killed when the thread that
  // started it ends (a thread, not the process: see the kernel's prctl(2)).
  bool die_with_parent = false;
};

// Owns one child process from start to reap. Movable, not copyable. Not
// thread-safe: one thread at a time uses an owner.
class ChildOwner {
 public:
  // Starts the child described by `spec`. Fails with kResourceExhausted
  // (EAGAIN, ENOMEM, EMFILE, ENFILE), kFailedPrecondition (the kernel or a
  // seccomp filter refuses clone(CLONE_PIDFD): Linux 5.2 or later is
  // needed), or the status of errno when the program could not be executed
  // (kNotFound, kPermissionDenied...). Safe in multi-threaded programs.
  static absl::StatusOr<ChildOwner> Start(const ChildSpec& spec);

  ChildOwner(ChildOwner&& other) noexcept;
  ChildOwner& operator=(ChildOwner&& other) noexcept;
  ChildOwner(const ChildOwner&) = delete;
  ChildOwner& operator=(const ChildOwner&) = delete;
  // Kills the child and its process group unless reaped, then reaps it
  // (waiting for its exit when it cannot be killed).
  ~ChildOwner();

  // Returns the pidfd: readable (poll) once the child has exited.
  int pidfd() const { return pidfd_; }
  // Returns the child's pid, also its process group's id; meaningful only
  // until Reap().
  pid_t pid() const { return pid_; }
  bool reaped() const { return reaped_; }

  // Sends SIGKILL to the child's process group and to the child (through
  // its pidfd). Does nothing once reaped: the group's id could be reused.
  // Returns OK when both are sent or have nothing left to kill (ESRCH);
  // otherwise fails with the status of errno (kPermissionDenied for a
  // process that made itself another user's), after trying both.
  absl::Status Kill();

  // Waits for the child to exit (waitid(P_PIDFD)), reaps it and returns how
  // it ended (si_code CLD_EXITED with si_status, or CLD_KILLED/CLD_DUMPED).
  // Fails with kFailedPrecondition when already reaped by this owner, or
  // when another waiter took the status and the kernel cannot tell it
  // (before Linux 6.15); with kInternal when waitid fails otherwise.
  absl::StatusOr<siginfo_t> Reap();

 private:
  ChildOwner(int pidfd, pid_t pid) : pidfd_(pidfd), pid_(pid) {}
  void Release();

  int pidfd_ = -1;
  pid_t pid_ = -1;
  bool reaped_ = true;
};

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_CHILD_OWNER_H_
