// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: proc_parsers.h
// -----------------------------------------------------------------------------
//
// Parsers for the /proc files that nsinspect reads inside a namespace. They
// take the file's text, so that they are tested on fixed input; collect.h
// reads the files. Each refuses a malformed line with an InvalidArgument
// status naming the line, rather than guessing.
//
// Example:
//
//   absl::StatusOr<std::vector<IdMapping>> map =
//       ParseIdMap("         0       1000          1\n");

#ifndef GONS_TOOLS_NSINSPECT_PROC_PARSERS_H_
#define GONS_TOOLS_NSINSPECT_PROC_PARSERS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {

// Parses /proc/PID/mountinfo (see proc(5)), decoding the octal escapes
// (`\040` for a space) in paths and sources. Thread-safe.
absl::StatusOr<std::vector<Mount>> ParseMountInfo(absl::string_view text);

// Parses /proc/PID/uid_map or gid_map. Thread-safe.
absl::StatusOr<std::vector<IdMapping>> ParseIdMap(absl::string_view text);

// Parses /proc/PID/cgroup ("hierarchy:controllers:path" lines).
// Thread-safe.
absl::StatusOr<std::vector<CgroupMembership>> ParseCgroups(
    absl::string_view text);

// Parses /proc/sysvipc/shm, msg or sem (`kind` is "shm", "msg" or "sem"),
// finding the columns by the names in the header line. Thread-safe.
absl::StatusOr<std::vector<IpcObject>> ParseSysvIpc(absl::string_view kind,
                                                    absl::string_view text);

// Parses /proc/PID/timens_offsets ("monotonic 50 0" per clock). Fails
// with kInvalidArgument on a malformed line. Thread-safe.
absl::StatusOr<std::vector<ClockOffset>> ParseTimeOffsets(
    absl::string_view text);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_PROC_PARSERS_H_
