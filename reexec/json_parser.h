// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: json_parser.h
// -----------------------------------------------------------------------------
//
// The JSON parser of the JSON layer: RFC 8259 text, strictly. Iterative,
// with a depth limit (kMaxJsonDepth), since the text may come from a child
// in a hostile container and nesting without bound would overflow the
// stack of a recursive parser or of anything that walks the result. Every
// string must be valid UTF-8 and every \u escape a Unicode scalar value (a
// surrogate only as a high-low pair); numbers are converted by
// json_number.h, so any exponent whose value is in a double's range reads.
// Errors name the offset and quote the text from there. Include
// reexec/json.h.
//
// Example:
//
//   ValidateJson("[1, 0e309]")        // OK
//   ValidateJson("[\"\\udc00\"]")
//       // InvalidArgument: "not valid JSON: lone surrogate \udc00 at
//       //  offset 2 of 12 (from there: ...)"

#ifndef GONS_REEXEC_JSON_PARSER_H_
#define GONS_REEXEC_JSON_PARSER_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"

namespace gons::reexec {

// The deepest nesting of arrays and objects that parsing accepts.
inline constexpr int kMaxJsonDepth = 256;

// Returns OK when `text` is exactly one JSON value (white space around it
// allowed), nested at most kMaxJsonDepth deep, otherwise kInvalidArgument
// saying where it goes wrong. Thread-safe.
absl::Status ValidateJson(absl::string_view text);

namespace internal {

// Parses `*text` (exactly one JSON value) into `document`. Strings that are
// members or elements are copied into the document; a top-level string
// points into `*text`: moved one byte to the front as it is scanned, over
// its opening quote, its escapes decoded on the way, so that a large
// string result costs no second buffer and no second pass (with no white
// space before it, its value starts at text->data()). `*text` must outlive
// `document`; apart from a top-level string it is left as it was, which is
// what lets a nested RawJson be the bytes as written (and when the parse
// fails, the string is moved back: the text is then as written up to the
// string's first escape). Returns kInvalidArgument as ValidateJson() does.
// Thread-safe.
absl::Status ParseJsonInPlace(std::string* text, rapidjson::Document* document);

// The [begin, end) offsets of one value in a text.
using JsonSpan = std::pair<std::size_t, std::size_t>;

// Parses `text` and returns the span of every value in it, in the order
// the values start (the root first, then depth first, as a document is
// walked), or kInvalidArgument as ValidateJson() does. Thread-safe.
absl::Status FindJsonValueSpans(absl::string_view text,
                                std::vector<JsonSpan>* spans);

// Tells whether `text`, the output of a child still running, is exactly
// one JSON value that no further byte could extend: at once false when its
// last character cannot end one (as while a large result is still
// arriving), and false for a bare number not followed by white space,
// which only the end of the stream ends (the runner decodes it once the
// child has exited). Thread-safe.
bool IsCompleteJson(absl::string_view text);

}  // namespace internal
}  // namespace gons::reexec

#endif  // GONS_REEXEC_JSON_PARSER_H_
