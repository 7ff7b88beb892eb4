// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: record_status.h
// -----------------------------------------------------------------------------
//
// Turns a StartupRecord, written before `main()` in plain C style, into the
// `absl::Status` and report that gons/gons.h returns. Separate from the
// process's own record so that tests can convert records of their own.
//
// Internal to gons; use gons/gons.h.

#ifndef GONS_RECORD_STATUS_H_
#define GONS_RECORD_STATUS_H_

#include <vector>

#include "absl/status/status.h"
#include "gons/gons.h"
#include "gons/startup_record.h"

namespace gons::internal {

// Returns the status that gons::Status() returns for `record`.
absl::Status StatusFromRecord(const StartupRecord& record);

// Returns the report that gons::Report() returns for `record`.
std::vector<NamespaceReport> ReportFromRecord(const StartupRecord& record);

}  // namespace gons::internal

#endif  // GONS_RECORD_STATUS_H_
