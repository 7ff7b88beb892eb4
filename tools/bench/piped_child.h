// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: piped_child.h
// -----------------------------------------------------------------------------
//
// The spawn floor of the benchmarks: starts a program with its stdin and
// stdout on pipes, writes its stdin, reads its stdout, waits for it and
// times all of that, with nothing else around it. Every
// measurement that spawns a process without //reexec goes through here, so
// the floors pay the same costs.
//
// Example:
//
//   absl::StatusOr<PipedRun> run = RunPiped({"/bin/true"}, {}, "");
//   if (run.ok()) std::cout << run->elapsed_nanoseconds << "\n";

#ifndef GONS_TOOLS_BENCH_PIPED_CHILD_H_
#define GONS_TOOLS_BENCH_PIPED_CHILD_H_

#include <sys/resource.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gons::bench {

struct PipedRun {
  std::int64_t elapsed_nanoseconds = 0;  // From spawning to reaping.
  // User and system CPU time of the child and of the calling thread over
  // the same span: less sensitive than the wall time to other load.
  std::int64_t cpu_nanoseconds = 0;
  std::string output;  // The child's stdout.
};

// Runs `argv` (argv[0] is a path) with `environment` as its whole
// environment and `input` on stdin, collects stdout (stderr is passed
// through to the caller's), and waits. The output buffer is reserved once,
// for `input.size()` plus a little (advised to use huge pages with
// `huge_pages`), and reads touch only what they fill, as //reexec's do. Fails
// when the program cannot be started or exits other than 0. Thread-safe.
absl::StatusOr<PipedRun> RunPiped(const std::vector<std::string>& argv,
                                  const std::vector<std::string>& environment,
                                  absl::string_view input,
                                  bool huge_pages = false);

// Returns the nanoseconds of CLOCK_MONOTONIC. Thread-safe.
std::int64_t MonotonicNanoseconds();

// Returns the user plus system CPU time of `usage`, in nanoseconds.
std::int64_t CpuNanoseconds(const struct rusage& usage);

}  // namespace gons::bench

#endif  // GONS_TOOLS_BENCH_PIPED_CHILD_H_
