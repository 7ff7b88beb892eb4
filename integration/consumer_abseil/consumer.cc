// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A program with an Abseil of its own that uses gons's absl::Status results:
// prints the switcher's status and a decoding error of gons, and exits 0
// when the first is OK and the second InvalidArgument, 1 otherwise.

#include <iostream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gons/gons.h"
#include "reexec/json.h"

int main() {
  const absl::Status status = gons::Status();
  int number = 0;
  const absl::Status decoded = gons::reexec::DecodeJson("\"text\"", &number);
  std::cout << absl::StrCat("switcher: ", status.ToString(), "\n",
                            "decoding: ", decoded.ToString(), "\n");
  return status.ok() && absl::IsInvalidArgument(decoded) ? 0 : 1;
}
