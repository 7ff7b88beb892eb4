// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "reexec/child_owner.h"
#include "reexec/descriptor.h"
#include "reexec/failure_channel.h"
#include "reexec/large_buffer.h"

namespace gons::reexec::internal {
namespace {

// How long stdout must be quiet before it is checked for a complete result.
constexpr absl::Duration kQuietBeforeCheck = absl::Milliseconds(20);
constexpr std::size_t kWriteChunk = 1024 * 1024;
// A param from this size on gets a larger socket buffer than the default
// (/proc/sys/net/core/wmem_default, 208 KiB), which the kernel doubles.
constexpr std::size_t kLargeParam = 128 * 1024;

// Resource exhaustion (EMFILE, ENFILE, ENOMEM, EAGAIN) as
// kResourceExhausted, the rest as errno says.
absl::Status ErrnoError(const char* what) {
  const int error_number = errno;
  if (error_number == EMFILE || error_number == ENFILE ||
      error_number == ENOMEM || error_number == EAGAIN) {
    return absl::ResourceExhaustedError(absl::StrCat(
        what, ": ", absl::ErrnoToStatus(error_number, "").message()));
  }
  return absl::ErrnoToStatus(error_number, what);
}

absl::Status SetNonBlocking(int fd) {
  const int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    return ErrnoError("fcntl(O_NONBLOCK)");
  }
  return absl::OkStatus();
}

// The parent's ends of the child's standard descriptors.
struct ParentEnds {
  Descriptor input;  // A socket: writes use MSG_NOSIGNAL.
  Descriptor output;
  Descriptor error;
  Descriptor failure;  // The failure channel's read end, when asked for.
};

absl::StatusOr<std::unique_ptr<StartedChild>> Spawn(const ChildRequest& request,
                                                    ParentEnds* ends) {
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
  Descriptor child_failure;
  if (request.failure_channel) {
    int failure[2];
    if (pipe2(failure, O_CLOEXEC | O_NONBLOCK) != 0) return ErrnoError("pipe2");
    child_failure.Reset(failure[1]);
    ends->failure.Reset(failure[0]);
  }
  for (const Descriptor* fd : {&ends->input, &ends->output, &ends->error}) {
    if (absl::Status status = SetNonBlocking(fd->get()); !status.ok()) {
      return status;
    }
  }
  ChildSpec spec;
  spec.executable_fd = request.executable_fd;
  spec.executable = request.executable;
  spec.argv = request.argv;
  spec.environment = request.environment;
  spec.descriptors = {child_input.get(), child_output.get(), child_error.get()};
  if (request.passed_descriptor >= 0 || request.failure_channel) {
    spec.descriptors.push_back(request.passed_descriptor);  // -1: closed.
  }
  if (request.failure_channel) {
    static_assert(kFailureChannelDescriptor == 4);
    spec.descriptors.push_back(child_failure.get());
  }
  spec.die_with_parent = request.die_with_parent;
  if (request.start) return request.start(spec);
  absl::StatusOr<ChildOwner> owner = ChildOwner::Start(spec);
  if (!owner.ok()) return owner.status();
  return std::make_unique<SpawnedChild>(*std::move(owner));
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

// Ends the child's stdin (shutdown, not only close: see RunChild). ENOTCONN:
// the child's end is gone, so no copy of it can wait for more.
absl::Status EndInput(int fd) {
  if (shutdown(fd, SHUT_WR) != 0 && errno != ENOTCONN) {
    return ErrnoError("shutdown(SHUT_WR) of the child's stdin");
  }
  return absl::OkStatus();
}

// Appends what is readable now; returns false at end of file or on error.
bool ReadSome(int fd, std::string* sink) {
  const long got = ReadAppend(fd, sink);
  if (got > 0) return true;
  return got < 0 && (errno == EAGAIN || errno == EINTR);
}

// Appends what the failure channel holds now, up to one byte more than a
// record may have (enough to tell that the child wrote too much); returns
// false at its end, on error, or once that much is in.
bool ReadFailureRecord(int fd, std::string* record) {
  char buffer[kMaxFailureRecord + 1];
  const std::size_t room =
      sizeof(buffer) - std::min(record->size(), sizeof(buffer));
  if (room == 0) return false;
  const ssize_t got = read(fd, buffer, room);
  if (got > 0) {
    record->append(buffer, static_cast<std::size_t>(got));
    return record->size() < sizeof(buffer);
  }
  return got < 0 && (errno == EAGAIN || errno == EINTR);
}

// Frees the param's buffer once it is sent, or, when it is the larger,
// makes it the buffer of the output: its memory is resident already, and
// fresh memory is what a large result costs (an echo is read into it
// without a page fault or a growth). Returns whether it did.
bool RecycleForOutput(std::string* input, std::string* output) {
  if (input->capacity() <= output->capacity()) {
    std::string().swap(*input);
    return false;
  }
  input->assign(*output);  // What came before the param's end: little.
  output->swap(*input);
  std::string().swap(*input);
  return true;
}

// Gives back a recycled buffer that the output fills less than half of
// (a small result after a large param): its room is resident.
void ReleaseUnusedRoom(std::string* output) {
  constexpr std::size_t kSlack = 64 * 1024;
  if (output->capacity() > 2 * output->size() + kSlack) {
    std::string(*output).swap(*output);
  }
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

namespace {

// The phases of a call, in the only order they can come. Which event ends
// a phase, and so which one wins when two come together, is written out in
// RunChild's second switch.
enum class Phase {
  kRunning,      // Ends at the child's exit, too much output, the deadline
                 // or a complete result.
  kResultGrace,  // A complete result is in (the deadline no longer counts):
                 // ends at the child's exit, too much output or the grace.
  kKilled,       // Killed by the runner: ends at the child's exit.
  kDraining,     // Exited and reaped: ends at the end of its pipes, or after
                 // the grace (a descendant may hold them).
  kDone,
};

}  // namespace

absl::StatusOr<ChildOutcome> RunChild(ChildRequest request) {
  ParentEnds ends;
  absl::StatusOr<std::unique_ptr<StartedChild>> started = Spawn(request, &ends);
  if (!started.ok()) return started.status();
  // Kills and reaps the child on every return and exception from here.
  StartedChild& child = **started;

  ChildOutcome outcome;
  outcome.standard_error = BoundedText(request.standard_error_limit);
  outcome.input_size = request.standard_input.size();
  if (request.standard_input.empty()) {
    // End of file for the child, whoever else holds its end (see below).
    if (absl::Status status = EndInput(ends.input.get()); !status.ok()) {
      return status;
    }
    ends.input.Reset();
  }
  if (request.standard_input.size() >= kLargeParam) {
    // A large param: as much of it in flight as the child can take at
    // once, up to the size of a large result's pipe. Advice: a refusal
    // leaves the default.
    const int size =
        static_cast<int>(std::min(request.standard_input.size(), kLargePipe));
    static_cast<void>(setsockopt(ends.input.get(), SOL_SOCKET, SO_SNDBUF, &size,
                                 sizeof(size)));
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
  // Of standard_output while it is the param's old buffer, else 0.
  std::size_t recycled_capacity = 0;
  siginfo_t ended = {};
  Phase phase = Phase::kRunning;

  absl::Status kill_error = absl::OkStatus();
  auto kill_child = [&](bool& reason) {
    reason = true;
    kill_error = child.Kill();  // And its process group.
    phase = Phase::kKilled;
  };

  while (phase != Phase::kDone) {
    absl::Time wake = absl::InfiniteFuture();
    const bool may_check = phase == Phase::kRunning &&
                           request.result_complete != nullptr &&
                           outcome.standard_output.size() > checked_size;
    switch (phase) {
      case Phase::kRunning:
        wake = deadline;
        if (may_check) wake = std::min(wake, last_output + quiet_before_check);
        break;
      case Phase::kResultGrace:
        wake = grace_deadline;
        break;
      case Phase::kDraining:
        wake = drain_deadline;
        break;
      case Phase::kKilled:
      case Phase::kDone:
        break;
    }
    pollfd fds[5] = {
        {ends.input.get(), POLLOUT, 0},
        {ends.output.get(), POLLIN, 0},
        {ends.error.get(), POLLIN, 0},
        {phase == Phase::kDraining ? -1 : child.ended_fd(), POLLIN, 0},
        {ends.failure.get(), POLLIN, 0}};
    const int ready = poll(fds, 5, PollTimeoutMilliseconds(now, wake));
    if (ready < 0 && errno != EINTR) {
      return absl::InternalError(
          absl::StrCat("poll: ", absl::ErrnoToStatus(errno, "").message()));
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
        // End of file for the child even when a copy of its end lives on
        // in a process forked (without exec) by another thread meanwhile.
        if (absl::Status status = EndInput(ends.input.get()); !status.ok()) {
          return status;
        }
        ends.input.Reset();
        if (RecycleForOutput(&request.standard_input,
                             &outcome.standard_output)) {
          recycled_capacity = outcome.standard_output.capacity();
        }
      }
    }
    if (fds[1].revents != 0) {
      if (!ReadSome(ends.output.get(), &outcome.standard_output)) {
        ends.output.Reset();
      } else if (!pipe_grown && outcome.standard_output.size() >= kLargePipe) {
        // A large result: fewer, larger reads (and fewer wake-ups of the
        // child). Only then, as pipe memory is limited per user. Only
        // faster: refused (EPERM past the user's pipe memory, EBUSY), the
        // pipe keeps its size and works as well, so the call goes on.
        const int grown = fcntl(ends.output.get(), F_SETPIPE_SZ,
                                static_cast<int>(kLargePipe));
        static_cast<void>(grown);
        pipe_grown = true;
      }
      last_output = now;
    }
    if (fds[2].revents != 0) {
      std::string chunk;
      if (!ReadSome(ends.error.get(), &chunk)) ends.error.Reset();
      outcome.standard_error.Append(chunk.data(), chunk.size());
    }
    if (fds[4].revents != 0 &&
        !ReadFailureRecord(ends.failure.get(), &outcome.failure_record)) {
      ends.failure.Reset();
    }
    if (phase != Phase::kDraining && fds[3].revents != 0) {
      absl::StatusOr<siginfo_t> reaped = child.Reap();
      // Keeps its own code: kFailedPrecondition for a stolen status, and
      // kUnavailable for a fork server's copy whose helper ended.
      if (!reaped.ok()) return reaped.status();
      ended = *reaped;
      phase = Phase::kDraining;
      // Its descriptors may live on in a descendant: read what is there,
      // but do not wait for more than the grace period.
      drain_deadline = now + request.grace;
      if (ends.input.valid()) {
        outcome.input_error = EPIPE;
        ends.input.Reset();
      }
    }
    const bool too_much_output =
        outcome.standard_output.size() > request.standard_output_limit;
    switch (phase) {
      case Phase::kRunning:
        if (too_much_output) {
          kill_child(outcome.output_limit_exceeded);
        } else if (now >= deadline) {
          // A result complete by the deadline came in time.
          const bool complete =
              request.result_complete != nullptr &&
              request.result_complete(outcome.standard_output);
          kill_child(complete ? outcome.killed_after_result
                              : outcome.timed_out);
        } else if (may_check && now >= last_output + quiet_before_check) {
          checked_size = outcome.standard_output.size();
          if (request.result_complete(outcome.standard_output)) {
            grace_deadline = now + request.grace;
            phase = Phase::kResultGrace;
          }
          quiet_before_check =
              std::max(kQuietBeforeCheck, 2 * (absl::Now() - now));
        }
        break;
      case Phase::kResultGrace:
        if (too_much_output) {
          kill_child(outcome.output_limit_exceeded);
        } else if (now >= grace_deadline) {
          kill_child(outcome.killed_after_result);
        }
        break;
      case Phase::kKilled:
        // Nothing more is kept of a child being killed.
        if (too_much_output) ends.output.Reset();
        break;
      case Phase::kDraining:
        if ((!ends.output.valid() && !ends.error.valid() &&
             !ends.failure.valid()) ||
            now >= drain_deadline) {
          phase = Phase::kDone;
        }
        break;
      case Phase::kDone:
        break;
    }
    if (!kill_error.ok()) {
      // The owner waits for the child's exit when it is destroyed.
      return absl::Status(kill_error.code(),
                          absl::StrCat("the child could not be killed: ",
                                       kill_error.message()));
    }
  }
  if (recycled_capacity != 0 &&
      outcome.standard_output.capacity() == recycled_capacity) {
    ReleaseUnusedRoom(&outcome.standard_output);
  }
  if (ended.si_code == CLD_EXITED) {
    outcome.exit_code = ended.si_status;
  } else {
    outcome.signal = ended.si_status;
  }
  return outcome;
}

}  // namespace gons::reexec::internal
