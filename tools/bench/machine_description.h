// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: machine_description.h
// -----------------------------------------------------------------------------
//
// What the benchmark ran on, for the lines above its table: processor,
// cores, memory, kernel, C library, compiler, transparent huge pages and
// the load average (figures from a busy machine are noisier).
//
// Example:
//
//   std::cout << DescribeMachine() << "\n";

#ifndef GONS_TOOLS_BENCH_MACHINE_DESCRIPTION_H_
#define GONS_TOOLS_BENCH_MACHINE_DESCRIPTION_H_

#include <string>

namespace gons::bench {

// Returns a few lines describing this machine. Thread-safe.
std::string DescribeMachine();

// Returns the 1-minute load average, as /proc/loadavg has it.
std::string LoadAverage();

}  // namespace gons::bench

#endif  // GONS_TOOLS_BENCH_MACHINE_DESCRIPTION_H_
