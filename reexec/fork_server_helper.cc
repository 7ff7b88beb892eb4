// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The helper, in the order it runs: ServeForksIfAsked() checks its
// variable and that it is single-threaded and says hello; Serve() polls the
// control socket, the program's pidfd and every live copy; ServeRequest()
// reads one request and forks; the copy runs RunCopy() and never returns.

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
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "gons/environment.h"
#include "gons/namespace_types.h"
#include "gons/switcher.h"
#include "reexec/failure_channel.h"
#include "reexec/fork_server_protocol.h"
#include "reexec/registry.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

namespace gons::reexec::internal {
namespace {

using ::gons::internal::EntryValue;
using ::gons::internal::kSystemCalls;
using ::gons::internal::RunSwitcherAgain;
using ::gons::internal::SystemCalls;

// The exit status of a copy that could not prepare itself (a malformed
// request, which only a bug in the program's side can send).
constexpr int kExitCopyFailed = 113;
// Where a copy holds the namespace descriptors the program opened, until
// the switch has used them: above a spawned child's descriptors 0 to 4.
constexpr int kFirstNamespace = kFailureChannelDescriptor + 1;

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

bool ReadFully(int fd, char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t got = read(fd, data, size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    data += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

// The copy's view of the request's namespace descriptors, for the
// switcher's open() (see OpenForCopy()). Written once, in the copy only.
struct CopyNamespaces {
  const char* path[kNumNamespaceTypes];  // The value in the copy's envp.
  int source[kNumNamespaceTypes];        // Descriptor, or -errno.
  bool pending[kNumNamespaceTypes];
};
CopyNamespaces copy_namespaces;

// The switcher's open(), in a copy: a path the program opened is answered
// with the program's descriptor (or its error), once; any other path (one
// that resolves after the mount switch) is opened here.
int OpenForCopy(const char* path, int flags) {
  for (int type = 0; type < kNumNamespaceTypes; ++type) {
    if (copy_namespaces.pending[type] && path == copy_namespaces.path[type]) {
      copy_namespaces.pending[type] = false;
      return copy_namespaces.source[type];
    }
  }
  return kSystemCalls.open(path, flags);
}

[[noreturn]] void FailCopy(const char* why) {
  // Descriptor 2 is the request's stderr once placed, and nothing before.
  const std::string message =
      std::string("gons reexec: the fork server's copy failed: ") + why + "\n";
  (void)!write(2, message.data(), message.size());
  _exit(kExitCopyFailed);
}

// The copy, right after fork(): owned by the helper and dying with it,
// with the request's descriptors and nothing else, in the request's
// namespaces and environment, then the action.
[[noreturn]] void RunCopy(pid_t helper, int go, const RequestHeader& header,
                          const std::string& body, std::vector<Descriptor>& fds,
                          void (*run_action)()) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != helper) {
    _exit(kExitCopyFailed);
  }
  // Its own group, as a re-executed child: killed with its descendants.
  if (setpgid(0, 0) != 0) _exit(kExitCopyFailed);
  // Nothing of the request is done before the program has been told of
  // this copy: a helper that dies before that leaves a call it can safely
  // repeat with the next helper.
  char byte = 0;
  ssize_t got;
  do {
    got = read(go, &byte, 1);
  } while (got < 0 && errno == EINTR);
  if (got != 1) _exit(kExitCopyFailed);
  // A spawned child's layout: 0, 1 and 2, then 3 (a test child's coverage
  // directory) and 4 (the failure channel), each closed when not sent, then
  // the namespace descriptors, from kFirstNamespace, until the switch has
  // used them.
  const bool passed = (header.flags & kPassedDescriptor) != 0;
  const bool failure_channel = (header.flags & kFailureChannel) != 0;
  const std::size_t first_namespace = FixedDescriptorCount(header.flags);
  const int namespace_count = static_cast<int>(fds.size() - first_namespace);
  // Raised above every target first, so that no dup2 overwrites a source.
  constexpr int kFloor = kFirstNamespace + kNumNamespaceTypes;
  std::vector<int> raised;
  for (const Descriptor& fd : fds) {
    const int copy = fcntl(fd.get(), F_DUPFD_CLOEXEC, kFloor);
    if (copy < 0) _exit(kExitCopyFailed);
    raised.push_back(copy);
  }
  for (int target = 0; target < 3; ++target) {
    if (dup2(raised[static_cast<std::size_t>(target) + 1], target) < 0) {
      _exit(kExitCopyFailed);
    }
  }
  std::size_t next = 4;
  // Close-on-exec, as a test child's descriptor 3 is (see //testing).
  if (passed && dup3(raised[next++], 3, O_CLOEXEC) < 0) FailCopy("dup3");
  // Inherited as a spawned child's is; CheckAction() makes it
  // close-on-exec and closes it before the action runs.
  if (failure_channel && dup2(raised[next++], kFailureChannelDescriptor) < 0) {
    FailCopy("dup2");
  }
  for (int index = 0; index < namespace_count; ++index) {
    if (dup3(raised[first_namespace + static_cast<std::size_t>(index)],
             kFirstNamespace + index, O_CLOEXEC) < 0) {
      FailCopy("dup3");
    }
  }
  // Everything else of the helper's: the control socket, the reply
  // channels, the other copies' pidfds. EBADF: it was not open.
  if (!passed && close(3) != 0 && errno != EBADF) FailCopy("close(3)");
  if (!failure_channel && close(kFailureChannelDescriptor) != 0 &&
      errno != EBADF) {
    FailCopy("close(4)");
  }
  if (syscall(SYS_close_range, kFirstNamespace + namespace_count, ~0U, 0) !=
      0) {
    FailCopy("close_range");
  }
  for (Descriptor& fd : fds) (void)fd.Release();  // Closed just above.

  RequestBody request;
  if (body.size() < sizeof(request)) FailCopy("short request");
  std::memcpy(&request, body.data(), sizeof(request));
  // The copy's environment, never freed: it is environ until the exit.
  auto* entries = new std::vector<char*>();
  auto* text = new std::string(body.substr(sizeof(request)));
  for (std::size_t at = 0; at < text->size();) {
    const std::size_t end = text->find('\0', at);
    if (end == std::string::npos) FailCopy("unterminated entry");
    entries->push_back(text->data() + at);
    at = end + 1;
  }
  if (entries->size() != request.entry_count) FailCopy("entry count");
  entries->push_back(nullptr);

  // As child_start.cc does before main(): non-dumpable before any switch.
  for (char* const* entry = entries->data(); *entry != nullptr; ++entry) {
    const char* value = EntryValue(*entry, kReexecDumpableVariable);
    if (value == nullptr) continue;
    if (std::strcmp(value, "0") == 0 && prctl(PR_SET_DUMPABLE, 0) != 0) {
      FailCopy("prctl(PR_SET_DUMPABLE)");
    }
    break;
  }
  for (int type = 0; type < kNumNamespaceTypes; ++type) {
    copy_namespaces.path[type] = nullptr;
    copy_namespaces.pending[type] = false;
    const std::int32_t source = request.namespace_source[type];
    if (source == kCopyOpensPath) continue;
    if (source > namespace_count) FailCopy("namespace descriptor");
    for (char* const* entry = entries->data(); *entry != nullptr; ++entry) {
      // The first entry wins, as in the switcher.
      if (const char* value =
              EntryValue(*entry, kNamespaceTypes[type].variable)) {
        copy_namespaces.path[type] = value;
        break;
      }
    }
    copy_namespaces.source[type] =
        source > 0 ? kFirstNamespace + source - 1 : source;
    copy_namespaces.pending[type] = copy_namespaces.path[type] != nullptr;
  }
  SystemCalls calls = kSystemCalls;
  calls.open = OpenForCopy;
  RunSwitcherAgain(entries->data(), calls);
  for (int type = 0; type < kNumNamespaceTypes; ++type) {
    // A descriptor the switch stopped before.
    if (copy_namespaces.pending[type] && copy_namespaces.source[type] >= 0) {
      close(copy_namespaces.source[type]);
    }
  }
  environ = entries->data();
  run_action();  // Exits.
  _exit(kExitCopyFailed);
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

// Reads one request and forks its copy. Returns false when the control
// socket ended or sent something malformed (the stream cannot be trusted
// after that): the helper then ends, and the program starts another.
bool ServeRequest(int control, void (*run_action)(),
                  std::vector<LiveCopy>* copies) {
  RequestHeader header = {};
  std::vector<Descriptor> fds;
  const long got =
      ReceiveWithDescriptors(control, &header, sizeof(header), &fds);
  if (got <= 0) return false;
  if (static_cast<std::size_t>(got) < sizeof(header) &&
      !ReadFully(control, reinterpret_cast<char*>(&header) + got,
                 sizeof(header) - static_cast<std::size_t>(got))) {
    return false;
  }
  const std::size_t fixed = FixedDescriptorCount(header.flags);
  if (header.magic != kRequestMagic || header.body_size > kMaxBodySize ||
      (header.flags & ~kKnownFlags) != 0 ||
      header.descriptor_count != fds.size() || fds.size() < fixed ||
      fds.size() > fixed + kNumNamespaceTypes) {
    return false;
  }
  std::string body(header.body_size, '\0');
  if (!ReadFully(control, body.data(), body.size())) return false;

  int go[2];
  if (pipe2(go, O_CLOEXEC) != 0) {
    (void)SendReply(fds[0].get(), {kStartFailed, 0, errno, 0});
    return true;
  }
  Descriptor go_read(go[0]);
  Descriptor go_write(go[1]);
  const pid_t helper = getpid();
  const pid_t pid = ForkCopy();
  if (pid == 0) {
    go_write.Reset();
    RunCopy(helper, go_read.get(), header, body, fds, run_action);
  }
  go_read.Reset();
  if (pid < 0) {
    (void)SendReply(fds[0].get(), {kStartFailed, 0, errno, 0});
    return true;
  }
  // Also here, so that the group exists before anyone is told of it (a
  // failure is the copy's own setpgid() winning the race).
  (void)setpgid(pid, pid);
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    const int error_number = errno;
    kill(pid, SIGKILL);
    while (waitpid(pid, nullptr, __WALL) < 0 && errno == EINTR) {
    }
    (void)SendReply(fds[0].get(), {kStartFailed, 0, error_number, 0});
    return true;
  }
  LiveCopy copy{pid, Descriptor(pidfd), std::move(fds[0])};
  if (SendReply(copy.reply.get(), {kStarted, pid, 0, 0}, pidfd) != 0 ||
      write(go_write.get(), "g", 1) != 1) {
    copy.caller_gone = true;
    KillCopy(copy);
  }
  copies->push_back(std::move(copy));
  return true;  // The copy's descriptors are closed here.
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
  std::vector<pollfd> fds;
  for (;;) {
    fds.assign({{control, POLLIN, 0}, {program, POLLIN, 0}});
    for (const LiveCopy& copy : copies) {
      fds.push_back({copy.pidfd.get(), POLLIN, 0});
      fds.push_back({copy.caller_gone ? -1 : copy.reply.get(), POLLIN, 0});
    }
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents != 0) break;  // The program has ended.
    std::vector<LiveCopy> running;
    for (std::size_t i = 0; i < copies.size(); ++i) {
      if (!Attend(copies[i], fds[2 + 2 * i].revents, fds[3 + 2 * i].revents)) {
        running.push_back(std::move(copies[i]));
      }
    }
    copies = std::move(running);
    if (fds[0].revents != 0 && !ServeRequest(control, run_action, &copies)) {
      break;
    }
  }
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
