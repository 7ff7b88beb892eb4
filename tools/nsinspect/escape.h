// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: escape.h
// -----------------------------------------------------------------------------
//
// Makes text from a namespace safe to print. Host names, interface names,
// address labels and mount paths are chosen by whoever controls the
// namespace, and may hold newlines, terminal escape sequences or bytes that
// are not UTF-8.
//
// The table rule, as findmnt(8) writes such bytes: every byte of a control
// character (C0, DEL, C1), of an invalid UTF-8 sequence, and the backslash
// itself, becomes `\xHH`; valid printable UTF-8 is kept.
//
// The JSON rule: a string keeps every valid UTF-8 sequence (the JSON writer
// escapes control characters), and each byte that is not part of one
// becomes U+FFFD, so the document is always valid UTF-8.
//
// Example:
//
//   EscapeForTable("eth0\n\x1b[2J")  // "eth0\x0a\x1b[2J" (as literal text)
//   ToValidUtf8("caf\xe9")           // "caf\uFFFD"

#ifndef GONS_TOOLS_NSINSPECT_ESCAPE_H_
#define GONS_TOOLS_NSINSPECT_ESCAPE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gons::nsinspect {

// Returns `text` under the table rule above. Thread-safe.
std::string EscapeForTable(absl::string_view text);

// Returns `text` under the JSON rule above. Thread-safe.
std::string ToValidUtf8(absl::string_view text);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_ESCAPE_H_
