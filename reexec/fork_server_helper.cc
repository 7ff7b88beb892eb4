// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The helper, in the order it runs: ServeForksIfAsked() checks its
// variable and that it is single-threaded and says hello; Serve() polls the
// control socket, the program's pidfd, the spare and every live copy, and
// forks a spare ahead (ForkSpare()) when nothing is pending;
// ServeRequest() reads one request and hands it to the spare, which runs
// RunSpare() (fork_server_copy.h) and never returns.

#include "reexec/fork_server_helper.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

#include "reexec/fork_server_copy.h"
#include "reexec/fork_server_protocol.h"
#include "reexec/registry.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

namespace gons::reexec::internal {
namespace {

struct LiveCopy {
  pid_t pid;
  Descriptor pidfd;
  Descriptor reply;
  bool caller_gone = false;  // Its reply channel closed: nobody waits.
};

// The copy's group and the copy: it is the helper's unreaped child, so its
// pid (and the group named after it) cannot be another process's yet.
void KillCopy(const LiveCopy& copy) {
  kill(-copy.pid, SIGKILL);
  syscall(SYS_pidfd_send_signal, copy.pidfd.get(), SIGKILL, nullptr, 0);
}

long CountThreads() {
  DIR* tasks = opendir("/proc/self/task");
  if (tasks == nullptr) return -1;
  long count = 0;
  while (const dirent* entry = readdir(tasks)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(tasks);
  return count;
}

// fork(), or under ThreadSanitizer a bare clone: its fork() interceptor
// starts the runtime's thread anew in the child, and a copy must stay
// single-threaded to enter user and mount namespaces. (glibc's raise()
// asks the kernel for the thread id, so a bare clone does not confuse it.)
pid_t ForkCopy() {
#if defined(__SANITIZE_THREAD__)
  struct {
    unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack,
        stack_size, tls;
  } arguments = {0, 0, 0, 0, SIGCHLD, 0, 0, 0};
  return static_cast<pid_t>(syscall(SYS_clone3, &arguments, sizeof(arguments)));
#else
  return fork();
#endif
}

// The copy forked ahead of the next request (see fork_server_copy.h).
struct Spare {
  pid_t pid;
  Descriptor pidfd;
  Descriptor channel;  // The helper's end of its request channel.
};

bool HasEnded(int pidfd) {
  pollfd entry = {pidfd, POLLIN, 0};
  return poll(&entry, 1, 0) > 0;
}

// Kills and reaps the spare, if any (it is the helper's unreaped child).
void EndSpare(std::optional<Spare>* spare) {
  if (!spare->has_value()) return;
  syscall(SYS_pidfd_send_signal, (*spare)->pidfd.get(), SIGKILL, nullptr, 0);
  siginfo_t info = {};
  while (waitid(static_cast<idtype_t>(P_PIDFD),
                static_cast<id_t>((*spare)->pidfd.get()), &info,
                WEXITED | __WALL) != 0 &&
         errno == EINTR) {
  }
  spare->reset();
}

// Forks a spare into `*spare` (empty); returns 0 or the errno of what
// failed.
int ForkSpare(void (*run_action)(), std::optional<Spare>* spare) {
  int ends[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
    return errno;
  }
  Descriptor channel(ends[0]);
  Descriptor copy_end(ends[1]);
  const pid_t helper = getpid();
  const pid_t pid = ForkCopy();
  if (pid == 0) RunSpare(helper, copy_end.get(), run_action);
  if (pid < 0) return errno;
  // Also here, so that the group exists before anyone is told of it (a
  // failure is the copy's own setpgid() winning the race).
  (void)setpgid(pid, pid);
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    const int error_number = errno;
    kill(pid, SIGKILL);
    while (waitpid(pid, nullptr, __WALL) < 0 && errno == EINTR) {
    }
    return error_number;
  }
  spare->emplace(Spare{pid, Descriptor(pidfd), std::move(channel)});
  return 0;
}

// Reads one request and hands it to the spare (forked now if there is
// none, or it has died). Returns false when the control socket ended or
// sent something malformed (the stream cannot be trusted after that): the
// helper then ends, and the program starts another.
bool ServeRequest(int control, void (*run_action)(),
                  std::optional<Spare>* spare, std::vector<LiveCopy>* copies) {
  Request request;
  if (!ReceiveRequest(control, /*forwarded=*/false, &request)) return false;
  const int reply = request.fds[0].get();
  if (spare->has_value() && HasEnded((*spare)->pidfd.get())) EndSpare(spare);
  if (!spare->has_value()) {
    if (const int error = ForkSpare(run_action, spare); error != 0) {
      (void)SendReply(reply, {kStartFailed, 0, error, 0});
      return true;
    }
  }
  Spare taken = *std::move(*spare);
  spare->reset();
  LiveCopy copy{taken.pid, std::move(taken.pidfd), std::move(request.fds[0])};
  // The program is told first: a helper that dies before the copy has its
  // request leaves a call that the program can safely repeat.
  if (SendReply(copy.reply.get(), {kStarted, copy.pid, 0, 0},
                copy.pidfd.get()) != 0) {
    copy.caller_gone = true;
    KillCopy(copy);
  } else if (ForwardRequest(taken.channel.get(), request) != 0) {
    KillCopy(copy);  // Reported as killed.
  }
  copies->push_back(std::move(copy));
  return true;  // The request's descriptors and the channel close here.
}

// Handles what a live copy's descriptors report; returns true once it is
// reaped.
bool Attend(LiveCopy& copy, short pid_events, short reply_events) {
  if (reply_events != 0) {
    Reply message = {};
    const long got = ReceiveWithDescriptors(
        copy.reply.get(), &message, sizeof(message), nullptr, MSG_DONTWAIT);
    if (got == static_cast<long>(sizeof(message)) && message.kind == kKill) {
      KillCopy(copy);
    } else if (got != -EAGAIN) {
      // The program gave up on it (its thread's owner was destroyed).
      copy.caller_gone = true;
      KillCopy(copy);
    }
  }
  if (pid_events == 0) return false;
  siginfo_t info = {};
  if (waitid(static_cast<idtype_t>(P_PIDFD),
             static_cast<id_t>(copy.pidfd.get()), &info,
             WEXITED | __WALL) != 0) {
    return false;  // EINTR: polled again.
  }
  if (!copy.caller_gone) {
    (void)SendReply(copy.reply.get(),
                    {kEnded, copy.pid, info.si_code, info.si_status});
  }
  return true;
}

[[noreturn]] void Serve(int control, int program, void (*run_action)()) {
  std::vector<LiveCopy> copies;
  std::optional<Spare> spare;
  // One spare ahead at start and after each request; one that dies is
  // replaced by the next request, so that a spare that cannot live does
  // not make the helper fork without end.
  bool fork_ahead = true;
  std::vector<pollfd> fds;
  for (;;) {
    fds.assign({{control, POLLIN, 0},
                {program, POLLIN, 0},
                {spare.has_value() ? spare->pidfd.get() : -1, POLLIN, 0}});
    for (const LiveCopy& copy : copies) {
      fds.push_back({copy.pidfd.get(), POLLIN, 0});
      fds.push_back({copy.caller_gone ? -1 : copy.reply.get(), POLLIN, 0});
    }
    // What is pending and the copies that run come first: the fork ahead
    // waits until the helper is idle, so that it takes no processor time
    // from a call (with calls always running, each request forks).
    const bool ahead = fork_ahead && !spare.has_value() && copies.empty();
    const int polled = poll(fds.data(), fds.size(), ahead ? 0 : -1);
    if (polled < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (polled == 0) {
      fork_ahead = false;
      (void)ForkSpare(run_action, &spare);  // Else forked at the request.
      continue;
    }
    if (fds[1].revents != 0) break;  // The program has ended.
    if (fds[2].revents != 0) EndSpare(&spare);
    std::vector<LiveCopy> running;
    for (std::size_t i = 0; i < copies.size(); ++i) {
      if (!Attend(copies[i], fds[3 + 2 * i].revents, fds[4 + 2 * i].revents)) {
        running.push_back(std::move(copies[i]));
      }
    }
    copies = std::move(running);
    if (fds[0].revents != 0) {
      if (!ServeRequest(control, run_action, &spare, &copies)) break;
      fork_ahead = true;
    }
  }
  EndSpare(&spare);
  for (LiveCopy& copy : copies) {
    KillCopy(copy);
    siginfo_t info = {};
    while (waitid(static_cast<idtype_t>(P_PIDFD),
                  static_cast<id_t>(copy.pidfd.get()), &info,
                  WEXITED | __WALL) != 0 &&
           errno == EINTR) {
    }
  }
  if (ChildExitHook hook = GetChildExitHook(); hook != nullptr) hook();
  _exit(0);
}

}  // namespace

void ServeForksIfAsked(void (*run_action)()) {
  const char* value = std::getenv(kForkServerVariable);
  if (value == nullptr) return;
  char* end = nullptr;
  const long control = std::strtol(value, &end, 10);
  const long program = *end == ':' ? std::strtol(end + 1, &end, 10) : -1;
  if (*end != '\0' || control < 0 || program <= 0) _exit(kExitCopyFailed);
  unsetenv(kForkServerVariable);
  prctl(PR_SET_NAME, "gons-forkserver", 0, 0, 0);
  const int control_fd = static_cast<int>(control);
  if (fcntl(control_fd, F_SETFD, FD_CLOEXEC) != 0) _exit(kExitCopyFailed);
  // Watched for the program's end, which a copy of the control socket in
  // a process it forked would otherwise hide.
  const int program_fd = static_cast<int>(syscall(SYS_pidfd_open, program, 0));
  if (program_fd < 0 || getppid() != program) _exit(0);
  // A copy of a multi-threaded helper could inherit a lock held by a
  // thread it does not have.
  const long threads = CountThreads();
  if (threads > 1) {
    (void)SendReply(control_fd,
                    {kHello, 0, static_cast<std::int32_t>(threads), 0});
    _exit(0);
  }
  if (SendReply(control_fd, {kHello, 0, 0, 0}) != 0) _exit(0);
  Serve(control_fd, program_fd, run_action);
}

}  // namespace gons::reexec::internal
