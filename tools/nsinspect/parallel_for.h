// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: parallel_for.h
// -----------------------------------------------------------------------------
//
// Runs a body for every index of a range on a few threads at once, the
// calling thread among them: nsinspect inspects its targets this way, and
// formats them.
//
// Example:
//
//   std::vector<std::string> texts(reports.size());
//   ForEachIndexInParallel(reports.size(), 4, [&](std::size_t i) {
//     texts[i] = Format(reports[i]);
//   });

#ifndef GONS_TOOLS_NSINSPECT_PARALLEL_FOR_H_
#define GONS_TOOLS_NSINSPECT_PARALLEL_FOR_H_

#include <cstddef>

#include "absl/functional/function_ref.h"

namespace gons::nsinspect {

// Calls `body(i)` once for each i in [0, count), on up to `parallel`
// threads at once (fewer when fewer indexes; at least the calling thread),
// each taking the next index not yet taken, and returns when every call
// has returned. When no thread can be started, fewer threads do the work.
// `body` must not throw. Thread-safe: `body` runs concurrently with itself.
void ForEachIndexInParallel(std::size_t count, int parallel,
                            absl::FunctionRef<void(std::size_t)> body);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_PARALLEL_FOR_H_
