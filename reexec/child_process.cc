// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "reexec/large_buffer.h"

namespace gons::reexec::internal {
namespace {

// How long stdout must be quiet before it is checked for a complete result.
constexpr absl::Duration kQuietBeforeCheck = absl::Milliseconds(20);
constexpr std::size_t kWriteChunk = 1024 * 1024;
// The pipe size for large results (Linux's default limit for unprivileged
// processes, /proc/sys/fs/pipe-max-size).
constexpr std::size_t kLargePipe = 1024 * 1024;

// Owns a descriptor.
class Descriptor {
 public:
  Descriptor() = default;
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(Descriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Descriptor& operator=(Descriptor&& other) noexcept {
    Reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~Descriptor() { Reset(); }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

absl::Status ErrnoError(const char* what) {
  return absl::ErrnoToStatus(errno, what);
}

// Makes sure `fd` is not 0, 1 or 2 (which a parent with closed standard
// descriptors can be handed), so that the child's dup2()s cannot collide.
absl::Status AboveStandardDescriptors(Descriptor& fd) {
  if (fd.get() > 2) return absl::OkStatus();
  const int moved = fcntl(fd.get(), F_DUPFD_CLOEXEC, 3);
  if (moved < 0) return ErrnoError("fcntl(F_DUPFD_CLOEXEC)");
  fd.Reset(moved);
  return absl::OkStatus();
}

absl::Status SetNonBlocking(int fd) {
  const int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    return ErrnoError("fcntl(O_NONBLOCK)");
  }
  return absl::OkStatus();
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

// The parent's ends of the child's standard descriptors.
struct ParentEnds {
  Descriptor input;  // A socket: writes use MSG_NOSIGNAL.
  Descriptor output;
  Descriptor error;
};

absl::StatusOr<pid_t> Spawn(const ChildRequest& request, ParentEnds* ends) {
  int input[2], output[2], error[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, input) != 0) {
    return ErrnoError("socketpair");
  }
  Descriptor child_input(input[1]);
  ends->input.Reset(input[0]);
  if (pipe2(output, O_CLOEXEC) != 0) return ErrnoError("pipe2");
  Descriptor child_output(output[1]);
  ends->output.Reset(output[0]);
  if (pipe2(error, O_CLOEXEC) != 0) return ErrnoError("pipe2");
  Descriptor child_error(error[1]);
  ends->error.Reset(error[0]);
  for (Descriptor* fd : {&child_input, &child_output, &child_error,
                         &ends->input, &ends->output, &ends->error}) {
    if (absl::Status status = AboveStandardDescriptors(*fd); !status.ok()) {
      return status;
    }
  }
  for (const Descriptor* fd : {&ends->input, &ends->output, &ends->error}) {
    if (absl::Status status = SetNonBlocking(fd->get()); !status.ok()) {
      return status;
    }
  }

  // A copy above 3 for the child's descriptor 3: dup2() onto itself would
  // keep close-on-exec set. A pipe end that was 3 is duplicated before.
  Descriptor passed;
  if (request.passed_descriptor >= 0) {
    passed.Reset(fcntl(request.passed_descriptor, F_DUPFD_CLOEXEC, 4));
    if (!passed.valid()) return ErrnoError("fcntl(F_DUPFD_CLOEXEC)");
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, child_input.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, child_output.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, child_error.get(), 2);
  if (passed.valid()) {
    posix_spawn_file_actions_adddup2(&actions, passed.get(), 3);
  }
  // Only these reach the child, whatever other threads have open.
  posix_spawn_file_actions_addclosefrom_np(&actions, passed.valid() ? 4 : 3);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t no_signals, all_signals;
  sigemptyset(&no_signals);
  sigfillset(&all_signals);
  // Ignored signals (SIGPIPE in many servers) stay ignored across exec:
  // reset them, and unblock everything, for a predictable child.
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setsigdefault(&attributes, &all_signals);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> argv = PointerArray(request.argv);
  std::vector<char*> envp = PointerArray(request.environment);
  pid_t pid = -1;
  const int error_number =
      posix_spawn(&pid, request.executable.c_str(), &actions, &attributes,
                  argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error_number != 0) {
    return absl::ErrnoToStatus(
        error_number, absl::StrCat("posix_spawn ", request.executable));
  }
  return pid;
}

int PollTimeoutMilliseconds(absl::Time now, absl::Time until) {
  if (until == absl::InfiniteFuture()) return -1;
  if (until <= now) return 0;
  // Round up, so that a wake-up is never early.
  return static_cast<int>(std::min<int64_t>(
      absl::ToInt64Milliseconds(until - now + absl::Milliseconds(1) -
                                absl::Nanoseconds(1)),
      1 << 30));
}

// Appends what is readable now; returns false at end of file or on error.
bool ReadSome(int fd, std::string* sink) {
  const long got = ReadAppend(fd, sink);
  if (got > 0) return true;
  return got < 0 && (errno == EAGAIN || errno == EINTR);
}

}  // namespace

void BoundedText::Append(const char* data, std::size_t size) {
  total_size_ += size;
  const std::size_t to_head = std::min(size, limit_ - head_.size());
  head_.append(data, to_head);
  tail_.append(data + to_head, size - to_head);
  if (tail_.size() > 2 * limit_) tail_.erase(0, tail_.size() - limit_);
}

std::string BoundedText::Render() const {
  const std::size_t kept_tail = std::min(tail_.size(), limit_);
  const std::size_t dropped = total_size_ - head_.size() - kept_tail;
  if (dropped == 0) return head_ + tail_.substr(tail_.size() - kept_tail);
  return absl::StrCat(head_, "\n[... ", dropped, " bytes omitted ...]\n",
                      tail_.substr(tail_.size() - kept_tail));
}

absl::StatusOr<ChildOutcome> RunChild(ChildRequest request) {
  ParentEnds ends;
  absl::StatusOr<pid_t> spawned = Spawn(request, &ends);
  if (!spawned.ok()) return spawned.status();
  const pid_t pid = *spawned;
  // A pidfd turns the child's exit into a poll() event.
  Descriptor pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd.valid()) {
    const absl::Status status = ErrnoError("pidfd_open (Linux 5.3 or later)");
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return status;
  }

  ChildOutcome outcome;
  outcome.standard_error = BoundedText(request.standard_error_limit);
  outcome.input_size = request.standard_input.size();
  if (request.standard_input.empty()) ends.input.Reset();
  if (request.standard_input.size() >= kLargePipe) {
    // A large param: larger sends, as for a large result's pipe.
    const int size = static_cast<int>(kLargePipe);
    setsockopt(ends.input.get(), SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
  }
  absl::Time now = absl::Now();
  const absl::Time deadline = request.timeout == absl::InfiniteDuration()
                                  ? absl::InfiniteFuture()
                                  : now + request.timeout;
  absl::Time grace_deadline = absl::InfiniteFuture();
  absl::Time drain_deadline = absl::InfiniteFuture();
  absl::Time last_output = now;
  std::size_t checked_size = 0;
  // A check parses the whole output, so a child that writes a large result
  // in bursts must not get one per burst: after each check the next waits
  // at least twice as long as it took, which keeps checking to a third of
  // the time at most.
  absl::Duration quiet_before_check = kQuietBeforeCheck;
  bool pipe_grown = false;
  bool exited = false;
  bool killed = false;
  int wait_status = 0;

  auto kill_child = [&] {
    if (!killed) kill(pid, SIGKILL);
    killed = true;
  };

  while (!exited || ends.output.valid() || ends.error.valid()) {
    // Once killed, only the child's exit is awaited; once exited, only the
    // end of its output, for a while.
    absl::Time wake = exited   ? drain_deadline
                      : killed ? absl::InfiniteFuture()
                               : std::min(deadline, grace_deadline);
    const bool may_check = request.result_complete != nullptr && !exited &&
                           !killed &&
                           grace_deadline == absl::InfiniteFuture() &&
                           outcome.standard_output.size() > checked_size;
    if (may_check) wake = std::min(wake, last_output + quiet_before_check);
    pollfd fds[4] = {{ends.input.get(), POLLOUT, 0},
                     {ends.output.get(), POLLIN, 0},
                     {ends.error.get(), POLLIN, 0},
                     {exited ? -1 : pidfd.get(), POLLIN, 0}};
    const int ready = poll(fds, 4, PollTimeoutMilliseconds(now, wake));
    if (ready < 0 && errno != EINTR) {
      kill_child();
      waitpid(pid, nullptr, 0);
      return ErrnoError("poll");
    }
    now = absl::Now();
    if (fds[0].revents != 0) {
      const std::size_t left = outcome.input_size - outcome.input_written;
      const ssize_t sent =
          send(ends.input.get(),
               request.standard_input.data() + outcome.input_written,
               std::min(left, kWriteChunk), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent > 0) outcome.input_written += static_cast<std::size_t>(sent);
      if (sent < 0 && errno != EAGAIN && errno != EINTR) {
        outcome.input_error = errno;
        ends.input.Reset();
      } else if (outcome.input_written == outcome.input_size) {
        ends.input.Reset();  // End of file for the child.
        std::string().swap(request.standard_input);
      }
    }
    if (fds[1].revents != 0) {
      if (!ReadSome(ends.output.get(), &outcome.standard_output)) {
        ends.output.Reset();
      } else if (!pipe_grown && outcome.standard_output.size() >= kLargePipe) {
        // A large result: fewer, larger reads (and fewer wake-ups of the
        // child). Only then, as pipe memory is limited per user.
        fcntl(ends.output.get(), F_SETPIPE_SZ, static_cast<int>(kLargePipe));
        pipe_grown = true;
      }
      last_output = now;
    }
    if (fds[2].revents != 0) {
      std::string chunk;
      if (!ReadSome(ends.error.get(), &chunk)) ends.error.Reset();
      outcome.standard_error.Append(chunk.data(), chunk.size());
    }
    if (fds[3].revents != 0) {
      while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
      }
      exited = true;
      // Its descriptors may live on in a grandchild: read what is there,
      // but do not wait for more than the grace period.
      drain_deadline = now + request.grace;
      if (ends.input.valid()) {
        outcome.input_error = EPIPE;
        ends.input.Reset();
      }
    }
    if (exited) {
      if (now >= drain_deadline) break;
      continue;
    }
    if (killed) continue;
    if (now >= deadline) {
      outcome.timed_out = true;
      kill_child();
    } else if (now >= grace_deadline) {
      outcome.killed_after_result = true;
      kill_child();
    } else if (may_check && now >= last_output + quiet_before_check) {
      checked_size = outcome.standard_output.size();
      if (request.result_complete(outcome.standard_output)) {
        grace_deadline = now + request.grace;
      }
      quiet_before_check = std::max(kQuietBeforeCheck, 2 * (absl::Now() - now));
    }
  }
  if (WIFEXITED(wait_status)) outcome.exit_code = WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) outcome.signal = WTERMSIG(wait_status);
  return outcome;
}

}  // namespace gons::reexec::internal
