// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: json_utf8.h
// -----------------------------------------------------------------------------
//
// Strict UTF-8 for the JSON layer (json.h): what every std::string that is
// encoded or decoded must be. Strict means RFC 3629: no overlong forms, no
// surrogates (U+D800-U+DFFF, which is also how an escaped lone surrogate
// such as \udc00 would have to be spelled as bytes), nothing beyond U+10FFFF,
// no cut-off sequence.
//
// Example:
//
//   FindInvalidUtf8("caf\xc3\xa9")  // npos
//   FindInvalidUtf8("caf\xe9")      // 3
//   CheckUtf8("caf\xe9", "a string")
//       // InvalidArgument: "a string is not valid UTF-8: byte 3 (0xe9)
//       //  starts no valid sequence; use gons::reexec::Bytes for binary data"

#ifndef GONS_REEXEC_JSON_UTF8_H_
#define GONS_REEXEC_JSON_UTF8_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gons::reexec::internal {

// Returns the length of the valid UTF-8 sequence at the start of `text`
// (1 to 4), or 0 when none starts there (an ASCII byte is a sequence of
// one). Thread-safe.
std::size_t Utf8SequenceLength(absl::string_view text);

// Returns the offset of the first byte of `text` that is not part of a
// valid UTF-8 sequence, or absl::string_view::npos when `text` is valid
// UTF-8 throughout. ASCII goes 64 bytes at a time. Thread-safe.
std::size_t FindInvalidUtf8(absl::string_view text);

// Returns OK when `text` is valid UTF-8; otherwise kInvalidArgument naming
// `what`, the offset and the byte. Thread-safe.
absl::Status CheckUtf8(absl::string_view text, absl::string_view what);

// Returns CheckUtf8()'s kInvalidArgument for `text`, whose byte `at` (an
// offset below text.size()) starts no valid sequence: for callers that
// found it in a pass of their own. Thread-safe.
absl::Status InvalidUtf8Error(absl::string_view text, std::size_t at,
                              absl::string_view what);

// Appends the UTF-8 form of `code_point`, which must be a Unicode scalar
// value (not a surrogate, at most U+10FFFF). Thread-safe.
void AppendUtf8(char32_t code_point, std::string* text);

// Writes the UTF-8 form of `code_point` (a Unicode scalar value) to `out`,
// which has room for 4 bytes, and returns the number of bytes written.
// Thread-safe.
std::size_t WriteUtf8(char32_t code_point, char* out);

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_JSON_UTF8_H_
