// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: json_indent.h
// -----------------------------------------------------------------------------
//
// Indents compact JSON, as RapidJSON's Writer writes it, the way RapidJSON's
// PrettyWriter would write the same value, in one pass over the text: no
// parse, no second escaping. nsinspect's --json output is large (about 28
// KiB per target), and parsing it again only to indent it cost more than
// collecting it.
//
// Example:
//
//   std::string out;
//   AppendIndentedJson(R"({"a":[1,2],"b":{}})", 0, &out);
//   // out: "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}"

#ifndef GONS_TOOLS_NSINSPECT_JSON_INDENT_H_
#define GONS_TOOLS_NSINSPECT_JSON_INDENT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gons::nsinspect {

// Appends `compact` to `out` indented by two spaces per level, every line
// after the first indented by `depth` levels more (the value's depth where
// the caller places it), with no final newline; strings and keys keep their
// escapes, and each byte that is not part of valid UTF-8 becomes U+FFFD
// (escape.h's JSON rule). `compact` must be JSON without whitespace outside
// strings, as RapidJSON's Writer writes it. Returns false when it is not
// (unbalanced brackets, an unterminated string, a stray byte); `out` then
// holds part of the text. Thread-safe.
bool AppendIndentedJson(absl::string_view compact, int depth, std::string* out);

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_JSON_INDENT_H_
