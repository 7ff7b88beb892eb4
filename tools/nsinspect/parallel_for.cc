// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/parallel_for.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <system_error>
#include <thread>
#include <vector>

#include "absl/functional/function_ref.h"

namespace gons::nsinspect {

void ForEachIndexInParallel(std::size_t count, int parallel,
                            absl::FunctionRef<void(std::size_t)> body) {
  std::atomic<std::size_t> next{0};
  auto work = [count, &next, body] {
    for (std::size_t i = next++; i < count; i = next++) body(i);
  };
  // The calling thread is one of the `parallel`.
  const std::size_t helpers =
      std::min(count, static_cast<std::size_t>(std::max(parallel, 1))) -
      std::min<std::size_t>(count, 1);
  std::vector<std::thread> threads;
  threads.reserve(helpers);
  for (std::size_t i = 0; i < helpers; ++i) {
    try {
      threads.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // No thread left: fewer work at once; the caller still does.
    }
  }
  work();
  for (std::thread& thread : threads) thread.join();
}

}  // namespace gons::nsinspect
