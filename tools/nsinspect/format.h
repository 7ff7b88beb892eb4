// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: format.h
// -----------------------------------------------------------------------------
//
// nsinspect's output: tables for people, one JSON document for programs,
// and the one-line error of a target that could not be inspected.
//
// Example:
//
//   std::vector<TargetReport> reports = InspectTargets(specs, options);
//   std::cout << (json ? FormatJson(reports) : FormatTables(reports));
//   for (const TargetReport& report : reports)
//     if (!report.status.ok()) std::cerr << ErrorLine(report) << "\n";

#ifndef GONS_TOOLS_NSINSPECT_FORMAT_H_
#define GONS_TOOLS_NSINSPECT_FORMAT_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tools/nsinspect/inspect.h"

namespace gons::nsinspect {

// Returns one block of tables per target that was inspected; failed
// targets are left out (see ErrorLine). Thread-safe.
std::string FormatTables(const std::vector<TargetReport>& reports);

// Returns an indented JSON document, {"targets": [...]}, with every target
// in order: {"target", "ok": true, "namespaces", "view"} or {"target",
// "ok": false, "error": {"code", "message"}}; the targets are formatted
// on up to `parallel` threads at once (see parallel_for.h). Empty in the
// case IndentedValidJson refuses, which the writer never makes.
// Thread-safe.
std::string FormatJson(const std::vector<TargetReport>& reports,
                       int parallel = 1);

// Returns the piece of FormatJson's document that holds the report of the
// target at `index`: what precedes it in the document (its opening for
// the first target, a comma for the others) and its object; empty in the
// case FormatJson is. Thread-safe: pieces of different targets can be
// made at once, on the threads that inspected them.
std::string JsonPiece(const TargetReport& report, std::size_t index);

// Writes FormatJson's document made of `pieces`, one per target in order
// (JsonPiece); nothing when one of them is empty. Thread-safe for distinct
// streams.
void WriteJsonPieces(const std::vector<std::string>& pieces, std::ostream& out);

// Returns `rows` as left-aligned columns, two spaces apart, each line
// indented by two and preceded by a newline; every cell is escaped under
// the table rule of escape.h. Thread-safe.
std::string AlignedTable(std::vector<std::vector<std::string>> rows);

// Returns the JSON document `compact` (as RapidJSON's Writer writes it)
// indented by two, with the JSON rule of escape.h applied to every string
// and key, and a final newline; empty when `compact` is not such JSON (see
// json_indent.h). Thread-safe.
std::string IndentedValidJson(absl::string_view compact);

// Returns "nsinspect: LABEL: MESSAGE" for a failed target (one line, no
// newline). Thread-safe.
std::string ErrorLine(const TargetReport& report);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_FORMAT_H_
