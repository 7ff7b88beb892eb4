// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A program of another repository that links gons under another name
// (@gons_lib//gons): prints the switcher's status and exits 0 when it is OK,
// 1 otherwise.

#include <iostream>

#include "gons/gons.h"

int main() {
  const absl::Status status = gons::Status();
  std::cout << status << "\n";
  return status.ok() ? 0 : 1;
}
