// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: thread_path.h
// -----------------------------------------------------------------------------
//
// The benchmark's rows for gons::RunInNamespaces: a round trip into a net
// namespace on a fresh and on a reused worker thread, against the floors (a
// bare thread doing open+setns+setns back+close, fresh and already running)
// and against the re-executing path into the same namespace.
//
// Example:
//
//   ReportTable table;
//   absl::Status status = MeasureThreadPath(200, reexec_worker, table);

#ifndef GONS_TOOLS_BENCH_THREAD_PATH_H_
#define GONS_TOOLS_BENCH_THREAD_PATH_H_

#include <string>

#include "absl/status/status.h"
#include "tools/bench/report_table.h"

namespace gons::bench {

// Makes a throwaway net namespace, times `runs` round trips of each kind,
// interleaved, and adds a section to `table`; `reexec_worker` is the path of
// reexec_worker_fast, which times the re-executing path. Fails with the
// first error. Call it while the process is single-threaded (it forks the
// namespace holder first). When not root, it first moves the whole process
// into a new user namespace, as root there, with a new net namespace (a
// thread needs CAP_SYS_ADMIN in its own user namespace to enter): call it
// last. Not thread-safe.
absl::Status MeasureThreadPath(int runs, const std::string& reexec_worker,
                               ReportTable& table);

}  // namespace gons::bench

#endif  // GONS_TOOLS_BENCH_THREAD_PATH_H_
