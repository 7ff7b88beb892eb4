// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/via.h"

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gons::nsinspect {

absl::StatusOr<Via> ParseVia(absl::string_view text) {
  for (const Via via :
       {Via::kAuto, Via::kSpawn, Via::kThread, Via::kForkServer}) {
    if (text == ViaName(via)) return via;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--via \"", text, "\" is not one of auto, spawn, thread, fork-server"));
}

std::string ViaName(Via via) {
  switch (via) {
    case Via::kAuto:
      return "auto";
    case Via::kSpawn:
      return "spawn";
    case Via::kThread:
      return "thread";
    case Via::kForkServer:
      return "fork-server";
  }
  return "auto";
}

}  // namespace gons::nsinspect
