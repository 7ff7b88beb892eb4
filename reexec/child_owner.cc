// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/child_owner.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "reexec/child_system_call.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

namespace gons::reexec::internal {
namespace {

struct ChildContext {
  const ChildSpec* spec;
  char* const* argv;
  char* const* envp;
  pid_t parent;
  // Written by the child when it could not execute the program.
  volatile int* error;
};

// The child's side, up to exec. Not instrumented: sanitizers do not know
// this thread of execution.
[[gnu::noinline, gnu::no_sanitize("address", "thread", "undefined")]] int
ChildMain(void* argument) {
  ChildContext* context = static_cast<ChildContext*>(argument);
  const ChildSpec& spec = *context->spec;
  long result = 0;
  // Default dispositions for every signal, before any is unblocked: a
  // handler of the parent's must never run here.
  const KernelSigaction default_action = {};
  for (long signal_number = 1; signal_number < 65; ++signal_number) {
    if (signal_number == SIGKILL || signal_number == SIGSTOP) continue;
    result = ChildSystemCall(SYS_rt_sigaction, signal_number,
                             reinterpret_cast<long>(&default_action), 0, 8);
    if (result < 0) goto failed;
  }
  // Its own group: killed with its descendants, and its kill(0, ...) stays
  // inside.
  result = ChildSystemCall(SYS_setpgid, 0, 0);
  if (result < 0) goto failed;
  if (spec.die_with_parent) {
    result = ChildSystemCall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL);
    if (result < 0) goto failed;
    // The parent may have died before the prctl.
    if (ChildSystemCall(SYS_getppid) != context->parent) {
      result = -ESRCH;
      goto failed;
    }
  }
  // The sources are all above the targets (see Start()), so no dup2
  // overwrites one still to be copied; dup2 clears close-on-exec.
  for (std::size_t target = 0; target < spec.descriptors.size(); ++target) {
    if (spec.descriptors[target] < 0) {
      // A hole: whatever the parent has there (without close-on-exec) must
      // not reach the program. Every source is above the targets. EBADF,
      // the usual answer, means there was nothing to close.
      result = ChildSystemCall(SYS_close, static_cast<long>(target));
      if (result < 0 && result != -EBADF) goto failed;
      continue;
    }
    result = ChildSystemCall(SYS_dup2, spec.descriptors[target],
                             static_cast<long>(target));
    if (result < 0) goto failed;
  }
  {
    // Close everything else but the program's descriptor (close-on-exec,
    // which execveat needs open until it has read the program).
    const long first = static_cast<long>(spec.descriptors.size());
    const long keep = spec.executable_fd;
    // A failure (ENOSYS before Linux 5.9) would leak the parent's
    // descriptors into the program: it fails the start instead.
    if (keep >= first) {
      if (keep > first) {
        result = ChildSystemCall(SYS_close_range, first, keep - 1, 0);
        if (result < 0) goto failed;
      }
      result = ChildSystemCall(SYS_close_range, keep + 1, ~0U, 0);
    } else {
      result = ChildSystemCall(SYS_close_range, first, ~0U, 0);
    }
    if (result < 0) goto failed;
  }
  {
    const unsigned long no_signals = 0;
    result = ChildSystemCall(SYS_rt_sigprocmask, SIG_SETMASK,
                             reinterpret_cast<long>(&no_signals), 0, 8);
    if (result < 0) goto failed;
  }
  if (spec.executable_fd >= 0) {
    result = ChildSystemCall(
        SYS_execveat, spec.executable_fd, reinterpret_cast<long>(""),
        reinterpret_cast<long>(context->argv),
        reinterpret_cast<long>(context->envp), AT_EMPTY_PATH);
  } else {
    result = ChildSystemCall(SYS_execve,
                             reinterpret_cast<long>(spec.executable.c_str()),
                             reinterpret_cast<long>(context->argv),
                             reinterpret_cast<long>(context->envp));
  }
failed:
  *context->error = static_cast<int>(-result);
  ChildSystemCall(SYS_exit_group, 127);
  return 127;
}

std::vector<char*> PointerArray(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (const std::string& text : strings) {
    pointers.push_back(const_cast<char*>(text.c_str()));
  }
  pointers.push_back(nullptr);
  return pointers;
}

absl::Status StartError(int error_number, absl::string_view what) {
  switch (error_number) {
    case EAGAIN:
    case ENOMEM:
    case EMFILE:
    case ENFILE:
      return absl::ResourceExhaustedError(absl::StrCat(
          what, ": ", absl::ErrnoToStatus(error_number, "").message()));
    default:
      return absl::ErrnoToStatus(error_number, what);
  }
}

// The descriptors the child must copy, moved above every target so that no
// dup2 in the child overwrites a source. Owned copies; closed by the caller.
absl::StatusOr<std::vector<int>> RaisedSources(const ChildSpec& spec) {
  std::vector<int> raised;
  const int floor = static_cast<int>(spec.descriptors.size());
  for (const int source : spec.descriptors) {
    if (source < 0) {
      raised.push_back(-1);
      continue;
    }
    const int copy = fcntl(source, F_DUPFD_CLOEXEC, floor);
    if (copy < 0) {
      const int error_number = errno;
      for (const int fd : raised) {
        if (fd >= 0) close(fd);
      }
      return StartError(error_number, "fcntl(F_DUPFD_CLOEXEC)");
    }
    raised.push_back(copy);
  }
  return raised;
}

constexpr std::size_t kChildStack = 256 * 1024;

// Unmaps the child's stack (and, under ThreadSanitizer, its error word)
// once the child has executed the program or exited. munmap() fails only
// for a range that is not a mapping's, and these are exactly the ones
// mmap() returned: a failure, were it possible, would leak the pages and
// harm nothing else, so it is not turned into a failed start.
void ReleaseStartMemory(void* stack, volatile int* error) {
  munmap(stack, kChildStack);
#if defined(__SANITIZE_THREAD__)
  munmap(const_cast<int*>(error), sizeof(int));
#else
  static_cast<void>(error);
#endif
}

// From Linux 6.9 (linux/pidfd.h): pidfd_send_signal() to the process's
// group, found through the process rather than by a number.
constexpr unsigned kSignalProcessGroup = 1u << 2;

// From Linux 6.15 (linux/pidfd.h): what a pidfd tells of its process, the
// exit status included after someone else reaped it.
struct PidfdInfo {
  unsigned long long mask;
  unsigned long long cgroup_id;
  unsigned ids[11];  // pid, tgid, ppid, then the uids and gids.
  int exit_code;     // A wait status.
};
static_assert(sizeof(PidfdInfo) == 64);
constexpr unsigned long long kPidfdInfoExit = 1ull << 3;
const unsigned long kPidfdGetInfo = _IOWR(0xFF, 11, PidfdInfo);

// Whether the child exists (running or a zombie), so that its pid still
// names it and its group.
bool Exited(int pidfd) {
  pollfd entry = {pidfd, POLLIN, 0};
  while (poll(&entry, 1, -1) < 0) {
    if (errno != EINTR) return false;
  }
  return true;
}

// The system call that starts the child, as status messages name it.
#if defined(__SANITIZE_THREAD__)
constexpr char kCloneCall[] = "clone3(CLONE_VFORK | CLONE_PIDFD)";
#else
constexpr char kCloneCall[] = "clone(CLONE_VM | CLONE_VFORK | CLONE_PIDFD)";
#endif

// Why the kernel or a filter refused to start the child, for the errors
// that mean a refusal (empty for the others). The kernel itself returns
// EPERM for none of these flags, so EPERM is a filter's.
absl::string_view CloneRefusal(int error_number) {
  switch (error_number) {
    case EPERM:
      return "EPERM, which the kernel does not return for these flags: a "
             "seccomp filter (or security module) forbids it";
    case ENOSYS:
      return "ENOSYS: a seccomp filter forbids it (as container runtimes "
             "do for clone3), or the kernel lacks the call";
    case EINVAL:
      return "EINVAL: the kernel does not know CLONE_PIDFD (Linux 5.2 or "
             "later is needed), or a seccomp filter answers EINVAL";
    default:
      return "";
  }
}

absl::Status KillError(absl::string_view what) {
  return absl::ErrnoToStatus(errno, absl::StrCat("killing the child: ", what));
}

bool StillOurs(int pidfd) {
  siginfo_t info = {};
  return waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd), &info,
                WEXITED | WNOHANG | WNOWAIT | __WALL) == 0;
}

}  // namespace

absl::StatusOr<ChildOwner> ChildOwner::Start(const ChildSpec& spec) {
  std::vector<char*> argv = PointerArray(spec.argv);
  std::vector<char*> envp = PointerArray(spec.environment);
  absl::StatusOr<std::vector<int>> raised = RaisedSources(spec);
  if (!raised.ok()) return raised.status();
  ChildSpec child_spec;  // The same, with the raised sources.
  child_spec.executable_fd = spec.executable_fd;
  // The program's descriptor too must survive the dup2s: below the targets
  // (the coverage directory is the child's descriptor 3, say) one of them
  // would replace it, and execveat would run that instead.
  const int floor = static_cast<int>(spec.descriptors.size());
  if (spec.executable_fd >= 0 && spec.executable_fd < floor) {
    const int copy = fcntl(spec.executable_fd, F_DUPFD_CLOEXEC, floor);
    if (copy < 0) {
      const int error_number = errno;
      for (const int fd : *raised) {
        if (fd >= 0) close(fd);
      }
      return StartError(error_number, "fcntl(F_DUPFD_CLOEXEC)");
    }
    raised->push_back(copy);  // Closed with the sources after the start.
    child_spec.executable_fd = copy;
  }
  child_spec.executable = spec.executable;
  child_spec.descriptors.assign(
      raised->begin(),
      raised->begin() + static_cast<std::ptrdiff_t>(spec.descriptors.size()));
  child_spec.die_with_parent = spec.die_with_parent;
  auto close_raised = [&] {
    // Our own copies: close() releases them even when it reports an error,
    // and no data is written through them, so there is nothing to report.
    for (const int fd : *raised) {
      if (fd >= 0) close(fd);
    }
  };

  void* stack = mmap(nullptr, kChildStack, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) {
    const int error_number = errno;
    close_raised();
    return StartError(error_number, "mmap (the child's stack)");
  }
  int error_word = 0;
  volatile int* error = &error_word;
#if defined(__SANITIZE_THREAD__)
  // Not CLONE_VM (below): the child reports in memory shared explicitly.
  void* shared = mmap(nullptr, sizeof(int), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED) {
    const int error_number = errno;
    munmap(stack, kChildStack);  // See ReleaseStartMemory().
    close_raised();
    return StartError(error_number, "mmap (the child's error word)");
  }
  error = static_cast<int*>(shared);
#endif
  ChildContext context = {&child_spec, argv.data(), envp.data(), getpid(),
                          error};
  // Blocked while the child shares the parent's memory: a signal handler
  // of the parent's would run there. The child unblocks them after
  // resetting every handler.
  sigset_t all_signals, previous;
  sigfillset(&all_signals);
  if (const int error_number =
          pthread_sigmask(SIG_SETMASK, &all_signals, &previous);
      error_number != 0) {
    // Only an invalid argument fails it; without the mask no child may
    // share this memory.
    ReleaseStartMemory(stack, error);
    close_raised();
    return absl::InternalError(absl::StrCat(
        "pthread_sigmask: ", absl::ErrnoToStatus(error_number, "").message()));
  }
  int pidfd = -1;
#if defined(__SANITIZE_THREAD__)
  // ThreadSanitizer intercepts clone() as a fork and records it in memory
  // that CLONE_VM would share with the child: a copy of the parent instead.
  struct {
    unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack,
        stack_size, tls;
  } arguments = {CLONE_VFORK | CLONE_PIDFD,
                 reinterpret_cast<unsigned long long>(&pidfd),
                 0,
                 0,
                 SIGCHLD,
                 0,
                 0,
                 0};
  pid_t pid =
      static_cast<pid_t>(syscall(SYS_clone3, &arguments, sizeof(arguments)));
  if (pid == 0) ChildMain(&context);
#else
  const pid_t pid =
      clone(ChildMain, static_cast<char*>(stack) + kChildStack,
            CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD, &context, &pidfd);
#endif
  const int clone_error = errno;
  const int child_error = *error;
  const int restore_error = pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  ReleaseStartMemory(stack, error);
  close_raised();
  if (pid < 0) {
    if (absl::string_view why = CloneRefusal(clone_error); !why.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          kCloneCall, " for the child was refused: ", why,
          "; there is no fallback, since without a pidfd the runner could "
          "not own its child (",
          absl::ErrnoToStatus(clone_error, "").message(), ")"));
    }
    return StartError(clone_error, kCloneCall);
  }
  ChildOwner owner(pidfd, pid);
  owner.reaped_ = false;
  if (restore_error != 0) {
    // This thread would go on with every signal blocked: fail the call
    // (the owner kills and reaps the child).
    return absl::InternalError(
        absl::StrCat("pthread_sigmask (restoring the signal mask): ",
                     absl::ErrnoToStatus(restore_error, "").message()));
  }
  if (child_error != 0) {
    // The child did not execute the program: it has exited (CLONE_VFORK
    // returns after its exit or exec). Reaping it cannot change the
    // answer; should it fail, the owner tries again when destroyed.
    const absl::StatusOr<siginfo_t> ended = owner.Reap();
    static_cast<void>(ended);
    return StartError(child_error,
                      spec.executable_fd >= 0
                          ? "executing the program (execveat)"
                          : absl::StrCat("executing ", spec.executable));
  }
  return owner;
}

ChildOwner::ChildOwner(ChildOwner&& other) noexcept
    : pidfd_(std::exchange(other.pidfd_, -1)),
      pid_(std::exchange(other.pid_, -1)),
      reaped_(std::exchange(other.reaped_, true)) {}

ChildOwner& ChildOwner::operator=(ChildOwner&& other) noexcept {
  if (this != &other) {
    Release();
    pidfd_ = std::exchange(other.pidfd_, -1);
    pid_ = std::exchange(other.pid_, -1);
    reaped_ = std::exchange(other.reaped_, true);
  }
  return *this;
}

ChildOwner::~ChildOwner() { Release(); }

void ChildOwner::Release() {
  if (!reaped_) {
    // Clean-up, with no caller to tell: a failed kill (a child that made
    // itself another user's) leaves waiting for its exit as the only way
    // to reap it, and after a failed reap nothing more can be done.
    const absl::Status killed = Kill();
    static_cast<void>(killed);
    const absl::StatusOr<siginfo_t> ended = Reap();
    static_cast<void>(ended);
  }
  // Released even when close() reports an error; nothing to lose.
  if (pidfd_ >= 0) close(pidfd_);
  pidfd_ = -1;
}

absl::Status ChildOwner::Kill() {
  if (reaped_ || pidfd_ < 0) return absl::OkStatus();
  // ESRCH everywhere below: nothing left to kill (the child, or every
  // process of its group, has exited), which is what was asked.
  absl::Status group = absl::OkStatus();
  if (syscall(SYS_pidfd_send_signal, pidfd_, SIGKILL, nullptr,
              kSignalProcessGroup) != 0) {
    if (errno == EINVAL && StillOurs(pidfd_)) {
      // Before Linux 6.9: by number. The group's id is the child's pid,
      // which cannot be reused while the child exists (checked just
      // before: only a thief reaping it in between could defeat this).
      if (kill(-pid_, SIGKILL) != 0 && errno != ESRCH) {
        group = KillError("kill (the child's process group)");
      }
    } else if (errno != ESRCH && errno != EINVAL) {
      group = KillError("pidfd_send_signal (the child's process group)");
    }
  }
  // The child itself, whichever group it moved to.
  if (syscall(SYS_pidfd_send_signal, pidfd_, SIGKILL, nullptr, 0) != 0 &&
      errno != ESRCH) {
    return KillError("pidfd_send_signal (the child)");
  }
  return group;
}

absl::StatusOr<siginfo_t> ChildOwner::Reap() {
  if (reaped_ || pidfd_ < 0) {
    return absl::FailedPreconditionError("the child was already reaped");
  }
  siginfo_t info = {};
  // __WALL: the child sends no SIGCHLD, which makes it a "clone" child.
  while (waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd_),
                &info, WEXITED | __WALL) != 0) {
    if (errno == EINTR) continue;
    if (errno != ECHILD) {
      return absl::InternalError(absl::StrCat(
          "waitid(P_PIDFD): ", absl::ErrnoToStatus(errno, "").message()));
    }
    // Reaped by someone else: SIGCHLD set to SIG_IGN or SA_NOCLDWAIT (the
    // kernel reaps), or a handler or thread that reaps every child. The
    // pidfd still knows the exit status from Linux 6.15 on.
    reaped_ = true;
    PidfdInfo pidfd_info = {};
    pidfd_info.mask = kPidfdInfoExit;
    if (Exited(pidfd_) && ioctl(pidfd_, kPidfdGetInfo, &pidfd_info) == 0 &&
        (pidfd_info.mask & kPidfdInfoExit) != 0) {
      const int status = pidfd_info.exit_code;
      info.si_pid = pid_;
      info.si_code = WIFEXITED(status)   ? CLD_EXITED
                     : WCOREDUMP(status) ? CLD_DUMPED
                                         : CLD_KILLED;
      info.si_status =
          WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status);
      return info;
    }
    return absl::FailedPreconditionError(
        "the child's exit status was taken by another waiter (SIGCHLD is "
        "SIG_IGN or SA_NOCLDWAIT, or a handler or thread reaps every child) "
        "and this kernel cannot tell it through the pidfd (Linux 6.15 or "
        "later can): the outcome is unknown");
  }
  reaped_ = true;
  return info;
}

}  // namespace gons::reexec::internal
