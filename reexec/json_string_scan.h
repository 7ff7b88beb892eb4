// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: json_string_scan.h
// -----------------------------------------------------------------------------
//
// The scans over the inside of a JSON string that large params and results
// pay for: finding where a run of bytes that a JSON string holds as they
// are ends, moving such a run in the same pass, and checking UTF-8 while
// looking for the first byte to escape. They read 64 bytes at a time, so
// that each is one pass at memory speed. Include reexec/json.h.
//
// Example:
//
//   SkipPlainStringBytes("ab\"c", 0)              // 2
//   ScanStringContent("a\nb\xff").first_escape    // 1
//   ScanStringContent("a\nb\xff").invalid_utf8    // 3

#ifndef GONS_REEXEC_JSON_STRING_SCAN_H_
#define GONS_REEXEC_JSON_STRING_SCAN_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace gons::reexec::internal {

// Returns the offset of the first byte of `text` from `at` on that ends a
// run of bytes a JSON string holds as they are: a quote, a backslash, a
// control character or a byte from 0x80 up (which a parser then checks as
// UTF-8), or text.size(); `at` itself when it is past the end. Thread-safe.
std::size_t SkipPlainStringBytes(absl::string_view text, std::size_t at);

// As SkipPlainStringBytes(), and copies the bytes it skips to `to` (the
// byte at `at` to to[0]) in the same pass: for a parser that moves a
// string to the front of its own buffer while it scans it. `to` may point
// into `text` before `at` (a move towards the front), never after it.
// Thread-compatible: nothing else may use the bytes it writes.
std::size_t MovePlainStringBytes(absl::string_view text, std::size_t at,
                                 char* to);

// What one pass over the inside of a JSON string found.
struct StringContentScan {
  // The offset of the first byte that is not part of a valid UTF-8
  // sequence (as FindInvalidUtf8() in json_utf8.h), or npos.
  std::size_t invalid_utf8 = absl::string_view::npos;
  // The offset of the first byte to escape (a control character, a quote
  // or a backslash), or npos. Meaningful only when invalid_utf8 is npos.
  std::size_t first_escape = absl::string_view::npos;
};

// Checks `text` as strict UTF-8 and finds its first byte to escape, in one
// pass: what writing a large string result needs to know before its first
// byte goes out. Thread-safe.
StringContentScan ScanStringContent(absl::string_view text);

// Makes the scans use the widest blocks the processor has (true, the
// default: AVX2 on x86-64 processors that have it), or 16-byte SSE2 ones
// only (false), so that tests run both. Thread-safe.
void UseWidestStringScan(bool widest);

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_JSON_STRING_SCAN_H_
