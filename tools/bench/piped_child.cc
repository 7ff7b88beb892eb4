// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/bench/piped_child.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "reexec/large_buffer.h"

namespace gons::bench {
namespace {

std::vector<char*> PointerArray(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (const std::string& text : strings) {
    pointers.push_back(const_cast<char*>(text.c_str()));
  }
  pointers.push_back(nullptr);
  return pointers;
}

// Moves `input` into `to_child` and the child's output into `run` until
// both are done.
absl::Status Exchange(int to_child, int from_child, absl::string_view input,
                      PipedRun* run) {
  std::size_t written = 0;
  if (input.empty()) {
    close(to_child);
    to_child = -1;
  }
  while (from_child >= 0) {
    pollfd fds[2] = {{to_child, POLLOUT, 0}, {from_child, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return absl::ErrnoToStatus(errno, "poll");
    }
    if (fds[0].revents != 0) {
      const ssize_t sent =
          write(to_child, input.data() + written, input.size() - written);
      if (sent > 0) written += static_cast<std::size_t>(sent);
      if (sent < 0 && errno != EAGAIN && errno != EINTR) {
        return absl::ErrnoToStatus(errno, "write to the child");
      }
      if (written == input.size()) {
        close(to_child);
        to_child = -1;
      }
    }
    if (fds[1].revents != 0) {
      const long got =
          gons::reexec::internal::ReadAppend(from_child, &run->output);
      if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
        close(from_child);
        from_child = -1;
      }
    }
  }
  if (to_child >= 0) close(to_child);
  return absl::OkStatus();
}

}  // namespace

std::int64_t CpuNanoseconds(const struct rusage& usage) {
  auto nanoseconds = [](const timeval& time) {
    return static_cast<std::int64_t>(time.tv_sec) * 1000000000 +
           static_cast<std::int64_t>(time.tv_usec) * 1000;
  };
  return nanoseconds(usage.ru_utime) + nanoseconds(usage.ru_stime);
}

std::int64_t MonotonicNanoseconds() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

absl::StatusOr<PipedRun> RunPiped(const std::vector<std::string>& argv,
                                  const std::vector<std::string>& environment,
                                  absl::string_view input, bool huge_pages) {
  PipedRun run;
  // Room for an echo, so that reading never copies: the floor's best case.
  if (huge_pages) {
    gons::reexec::internal::ReserveLargeBuffer(&run.output,
                                               input.size() + (1 << 16));
  } else {
    run.output.reserve(input.size() + (1 << 16));
  }
  rusage thread_before = {};
  getrusage(RUSAGE_THREAD, &thread_before);
  const std::int64_t start = MonotonicNanoseconds();
  int input_pipe[2], output_pipe[2];
  if (pipe2(input_pipe, O_CLOEXEC) != 0) {
    return absl::ErrnoToStatus(errno, "pipe2");
  }
  if (pipe2(output_pipe, O_CLOEXEC) != 0) {
    close(input_pipe[0]);
    close(input_pipe[1]);
    return absl::ErrnoToStatus(errno, "pipe2");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, input_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, output_pipe[1], 1);
  std::vector<char*> argv_pointers = PointerArray(argv);
  std::vector<char*> environment_pointers = PointerArray(environment);
  pid_t pid = -1;
  const int error =
      posix_spawn(&pid, argv[0].c_str(), &actions, nullptr,
                  argv_pointers.data(), environment_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  close(input_pipe[0]);
  close(output_pipe[1]);
  if (error != 0) {
    close(input_pipe[1]);
    close(output_pipe[0]);
    return absl::ErrnoToStatus(error, absl::StrCat("posix_spawn ", argv[0]));
  }
  // Non-blocking on this side only: a child that writes while it reads
  // must not find the parent stuck in a write.
  for (int fd : {input_pipe[1], output_pipe[0]}) {
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  const absl::Status exchanged =
      Exchange(input_pipe[1], output_pipe[0], input, &run);
  int status = 0;
  rusage child = {};
  while (wait4(pid, &status, 0, &child) < 0 && errno == EINTR) {
  }
  run.elapsed_nanoseconds = MonotonicNanoseconds() - start;
  rusage thread_after = {};
  getrusage(RUSAGE_THREAD, &thread_after);
  run.cpu_nanoseconds = CpuNanoseconds(child) + CpuNanoseconds(thread_after) -
                        CpuNanoseconds(thread_before);
  if (!exchanged.ok()) return exchanged;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(
        absl::StrCat(argv[0], " failed (wait status ", status, ")"));
  }
  return run;
}

}  // namespace gons::bench
