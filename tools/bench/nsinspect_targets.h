// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: nsinspect_targets.h
// -----------------------------------------------------------------------------
//
// The benchmark's rows for //tools/nsinspect: one nsinspect call over 50
// throwaway targets, with each --via, interleaved run by run, against the
// way nsinspect ran them before --via existed (a thread and a spawned child
// per target, all at once). "net" targets are net namespaces (one with a
// uts namespace) that a thread can enter as root; "mixed" are 25 of those
// and 25 that each come with a user namespace of their own, which only a
// process can enter (the fork server, or a spawned child); the auto rows
// of mixed targets vary --parallel.
//
// Example:
//
//   ReportTable table;
//   absl::Status status = MeasureNsinspect(20, nsinspect_path, table);

#ifndef GONS_TOOLS_BENCH_NSINSPECT_TARGETS_H_
#define GONS_TOOLS_BENCH_NSINSPECT_TARGETS_H_

#include <string>

#include "absl/status/status.h"
#include "tools/bench/report_table.h"

namespace gons::bench {

// Makes the targets (two holder processes), times `runs` nsinspect calls
// of each kind, interleaved, and adds a section to `table`; `nsinspect` is
// the program's path. Fails with the first error (a namespace the kernel
// refuses, a call that does not exit 0). Call it while the process is
// single-threaded (it forks the holders). Not thread-safe.
absl::Status MeasureNsinspect(int runs, const std::string& nsinspect,
                              ReportTable& table);

}  // namespace gons::bench

#endif  // GONS_TOOLS_BENCH_NSINSPECT_TARGETS_H_
