// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: printable.h
// -----------------------------------------------------------------------------
//
// Makes text from a child (untrusted: a container may write what it likes)
// safe to put into a status message that ends up in a terminal or a log:
// control characters, which could move the cursor, rewrite lines or change
// a terminal's settings, become visible escapes. Internal to reexec.
//
// Example:
//
//   PrintableText("ok\x1b[2Jgone")  // "ok\\x1b[2Jgone"

#ifndef GONS_REEXEC_PRINTABLE_H_
#define GONS_REEXEC_PRINTABLE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gons::reexec::internal {

// Returns `text` with every C0 control character but newline and tab, DEL,
// every C1 control (U+0080 to U+009F) and every byte that is not part of
// valid UTF-8 written as \xNN, and backslashes doubled (so that an escape
// cannot be faked); valid UTF-8 text otherwise unchanged. Thread-safe.
std::string PrintableText(absl::string_view text);

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_PRINTABLE_H_
