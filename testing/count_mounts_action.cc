// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "testing/count_mounts_action.h"

#include <fstream>
#include <string>

#include "reexec/reexec.h"

namespace gons::reexec {
namespace {

int CountMounts() {
  std::ifstream mounts("/proc/self/mounts");
  int count = 0;
  for (std::string line; std::getline(mounts, line);) ++count;
  return count;
}

const bool registered = [] {
  Register(kCountMountsAction, [] { (void)WriteResult(CountMounts()); });
  return true;
}();

}  // namespace
}  // namespace gons::reexec
