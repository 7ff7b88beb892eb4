// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: json_string.h
// -----------------------------------------------------------------------------
//
// Strings in the JSON layer: std::string, which must be valid UTF-8 both
// ways, and Bytes, for binary data, which travels as a base64 string. The
// rules are in json.h, under "Strings". Include reexec/json.h.
//
// Example:
//
//   EncodeJson(std::string("caf\xc3\xa9"))   // "\"caf\xc3\xa9\""
//   TryEncodeJson(std::string("\xff"))       // InvalidArgument: not UTF-8
//   EncodeJson(Bytes{std::string("\xff\x00", 2)})  // "\"/wA=\""

#ifndef GONS_REEXEC_JSON_STRING_H_
#define GONS_REEXEC_JSON_STRING_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "reexec/json_codec.h"

namespace gons::reexec {

// Any bytes (binary data, or names from a namespace that need not be
// UTF-8). Encoded as a JSON string holding their base64 form (RFC 4648,
// section 4: the standard alphabet, with padding), which every JSON tool
// accepts and every language decodes with its standard library; it costs
// 4 bytes per 3. Decoding accepts exactly that form, nothing lenient (no
// white space, no missing padding, no URL alphabet).
struct Bytes {
  std::string data;
  bool operator==(const Bytes& other) const { return data == other.data; }
};

namespace internal {

// Appends `text` to `*json` as the inside of a JSON string (no quotes),
// escaped exactly as RapidJSON's writer escapes it. Large texts without
// characters to escape go at memory speed. Does not check UTF-8: callers
// do (CheckUtf8 in json_utf8.h). Thread-safe.
void AppendJsonStringContent(absl::string_view text, std::string* json);

// Returns whether `text` is the inside of a JSON string as it is: no
// control character, quote or backslash to escape. At memory speed. Does
// not check UTF-8. Thread-safe.
bool IsPlainJsonStringContent(absl::string_view text);

// Sets `*json` to `text` as a JSON string, in a buffer of the right size,
// checking in the same pass that `text` is UTF-8. Returns npos, or the
// offset of the first byte of `text` that is not part of a valid UTF-8
// sequence (as FindInvalidUtf8() in json_utf8.h; `*json` is then
// unspecified). Thread-safe.
std::size_t EncodeJsonString(absl::string_view text, std::string* json);

}  // namespace internal

template <>
struct JsonCodec<std::string> {
  // Fails the writer unless `value` is valid UTF-8.
  static void Encode(const std::string& value, JsonWriter& writer) {
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  // Parsing has already refused invalid UTF-8 and lone surrogates.
  static absl::Status Decode(const rapidjson::Value& json, std::string* value) {
    if (!json.IsString()) return internal::TypeMismatch(json, "a string");
    value->assign(json.GetString(), json.GetStringLength());
    return absl::OkStatus();
  }
};

template <>
struct JsonCodec<Bytes> {
  static void Encode(const Bytes& value, JsonWriter& writer);
  // Returns kInvalidArgument for anything but a string in the form above.
  static absl::Status Decode(const rapidjson::Value& json, Bytes* value);
};

}  // namespace gons::reexec

#endif  // GONS_REEXEC_JSON_STRING_H_
