// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: json_raw.h
// -----------------------------------------------------------------------------
//
// JSON passed through untyped: RawJson (the text of one value) and
// rapidjson::Document (RapidJSON's model of one). The rules are in json.h,
// under "RawJson and Document". Include reexec/json.h.
//
// Example:
//
//   std::vector<RawJson> parts;
//   DecodeJson("[1.50, {\"a\": -0}]", &parts);
//   // parts[0].text == "1.50", parts[1].text == "{\"a\": -0}"

#ifndef GONS_REEXEC_JSON_RAW_H_
#define GONS_REEXEC_JSON_RAW_H_

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "reexec/json_codec.h"
#include "reexec/json_parser.h"

namespace gons::reexec {

// The text of one JSON value, checked to be exactly one valid JSON value
// (strictly, as ValidateJson() checks) when sent, wherever it is nested.
// Decoded, it is the bytes of the value as written, white space around it
// aside.
struct RawJson {
  std::string text;
};

namespace internal {

// While it lives, tells JsonCodec<RawJson>::Decode on this thread that the
// values under `root` were parsed from `text` (still as written, except a
// top-level string), so that a nested RawJson is the text's own bytes.
// Scopes nest; each must end on the thread that made it, in reverse order.
class ParsedTextScope {
 public:
  ParsedTextScope(const rapidjson::Value& root, absl::string_view text);
  ParsedTextScope(const ParsedTextScope&) = delete;
  ParsedTextScope& operator=(const ParsedTextScope&) = delete;
  ~ParsedTextScope();

  // Returns the scope of the innermost decoding on this thread, or null.
  static ParsedTextScope* Current();

  // Returns the bytes `value` was parsed from, or false when `value` is
  // not from this text (a user codec's own Value, say).
  bool Find(const rapidjson::Value& value, absl::string_view* bytes);

 private:
  const rapidjson::Value& root_;
  absl::string_view text_;
  ParsedTextScope* outer_;
  // Built on the first Find(): from each value to its span in text_.
  std::unique_ptr<std::unordered_map<const rapidjson::Value*, JsonSpan>> spans_;
};

}  // namespace internal

template <>
struct JsonCodec<RawJson> {
  // Fails the writer unless `value.text` is exactly one JSON value, so
  // that a RawJson cannot add members or elements around it.
  static void Encode(const RawJson& value, JsonWriter& writer);
  // Takes the bytes as written when `json` comes from the text being
  // decoded (DecodeJson(), Result(), ReadParam()); otherwise, for a Value a
  // user codec made itself, RapidJSON's compact spelling of it.
  static absl::Status Decode(const rapidjson::Value& json, RawJson* value);
};

template <>
struct JsonCodec<rapidjson::Document> {
  // Fails the writer on NaN or infinity (RapidJSON would stop there and
  // leave the text cut off) and on a string or key that is not UTF-8.
  static void Encode(const rapidjson::Document& value, JsonWriter& writer);
  // Copies every string (the parsed text does not outlive decoding).
  static absl::Status Decode(const rapidjson::Value& json,
                             rapidjson::Document* value);
};

}  // namespace gons::reexec

#endif  // GONS_REEXEC_JSON_RAW_H_
