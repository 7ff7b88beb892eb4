// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The gons side of the namespace-switching benchmark: the smallest program
// linked with //gons that fails when the switch did, so that a benchmark of
// a failed switch cannot pass for a fast one.
//
// Usage: gons_user=... gons_net=... setns_gons_fast
// Exits 0 when gons::Status() is OK, otherwise prints it and exits 1.

#include <cstdio>

#include "gons/gons.h"

int main() {
  const absl::Status status = gons::Status();
  if (status.ok()) return 0;
  std::fprintf(stderr, "%s\n", status.ToString().c_str());
  return 1;
}
