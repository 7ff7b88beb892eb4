// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: json.h
// -----------------------------------------------------------------------------
//
// Typed JSON for reexec params and results. Supported out of the box: bool,
// integers (range-checked on decoding), floating point, std::string (UTF-8),
// Bytes (any bytes, as base64), std::vector<T>, std::map<std::string, T>,
// std::optional<T> (null when empty), RawJson (the text of one value) and
// rapidjson::Document. The one extension point for your own types is a
// specialization of JsonCodec<T> (json_codec.h):
//
// Example:
//
//   struct Point { int x, y; };
//
//   template <>
//   struct gons::reexec::JsonCodec<Point> {
//     static void Encode(const Point& point, JsonWriter& writer) {
//       writer.StartObject();
//       writer.Key("x"); JsonCodec<int>::Encode(point.x, writer);
//       writer.Key("y"); JsonCodec<int>::Encode(point.y, writer);
//       writer.EndObject();
//     }
//     static absl::Status Decode(const rapidjson::Value& json, Point* point) {
//       if (absl::Status s = DecodeMember(json, "x", &point->x); !s.ok())
//         return s;
//       return DecodeMember(json, "y", &point->y);
//     }
//   };
//
// Decoding never has undefined behaviour: a value of the wrong type, a
// number out of range or a missing member is kInvalidArgument saying where
// (`$.points[2].x: expected an integer, found a string`). The strings of the
// rapidjson::Value handed to Decode live only during the call: copy them.
//
// Policies, the same for params and results, encoding and decoding:
// - Nothing invalid is sent: a value JSON cannot express makes
//   TryEncodeJson(), Param() and WriteResult() fail with kInvalidArgument
//   before anything is written (NaN or infinity in a float, a double or a
//   Document; a string or key that is not UTF-8; a RawJson that is not
//   exactly one valid JSON value, wherever it is nested).
// - Strings (json_utf8.h, json_string.h): every std::string, key and
//   Document string is strict UTF-8 both ways. Decoding refuses raw bytes
//   that are not UTF-8 and any escaped lone surrogate, high (\ud800) or low
//   (\udc00), naming the offset; RawJson and Document are no exception, so
//   every text that passes is I-JSON (RFC 7493) that any tool reads. Binary
//   data, and names that need not be UTF-8 (paths, interface names from a
//   namespace), go as Bytes: a base64 JSON string, every byte value round
//   trips. A byte order mark is refused: it is not JSON text.
// - Duplicate keys: typed decoding (std::map, DecodeMember) refuses an
//   object that holds a key twice, naming the key; RawJson and
//   rapidjson::Document keep every member as written.
// - Numbers (json_number.h): any number the grammar allows reads, whatever
//   its exponent or length, when its value is within a double's range
//   (0e309, 0.0e999, 1 followed by 309 zeros and e-10 read; 2e308 is
//   refused as too big; 1e-400 is 0). Integers are read exactly and
//   range-checked; others are rounded correctly to a double. -0 keeps its
//   sign (integer targets read it as 0). A float target accepts what rounds
//   to a finite float (3.4028235e38 is the largest) and otherwise prints
//   value and limit the same way ("3.4028236e+38 is out of range for a
//   float [-3.4028235e+38, 3.4028235e+38]").
// - NaN and infinity: never encoded (see the first rule), so no null
//   stands for a number; JSON null never decodes to a number, and
//   std::optional<double> reads null as empty only.
// - A bare top-level number is complete only when white space follows it
//   or the child exits.
// - RawJson and Document (json_raw.h): a decoded RawJson, whole or nested
//   in a container or user type, holds the bytes of the value as the child
//   wrote them (white space around it aside; a top-level string read
//   through another type, such as std::optional<RawJson>, is respelled).
//   A Document holds RapidJSON's model: beyond 64-bit integers, numbers
//   are doubles there.
// - Nesting deeper than kMaxJsonDepth is refused before anything is
//   decoded, so that no text can exhaust the stack.

#ifndef GONS_REEXEC_JSON_H_
#define GONS_REEXEC_JSON_H_

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "reexec/json_codec.h"
#include "reexec/json_containers.h"
#include "reexec/json_number.h"
#include "reexec/json_parser.h"
#include "reexec/json_raw.h"
#include "reexec/json_string.h"
#include "reexec/json_string_scan.h"
#include "reexec/json_utf8.h"

namespace gons::reexec {

// Returns the JSON text of `value`, or kInvalidArgument when JSON cannot
// express it (see the policies above, or whatever a user codec passes to
// JsonWriter::Fail()), so that nothing invalid or cut off is ever sent.
// Thread-safe.
template <typename T>
absl::StatusOr<std::string> TryEncodeJson(const T& value) {
  if constexpr (std::is_same_v<T, std::string>) {
    // The common large payload: no writer, no intermediate buffer, and
    // the UTF-8 check in the encoding's own pass.
    std::string json;
    if (const std::size_t invalid = internal::EncodeJsonString(value, &json);
        invalid != absl::string_view::npos) {
      return internal::AtLocation(
          internal::InvalidUtf8Error(value, invalid, "a string"),
          "cannot encode as JSON: ");
    }
    return absl::StatusOr<std::string>(std::move(json));
  } else {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    JsonCodec<T>::Encode(value, writer);
    if (!writer.status().ok()) {
      return internal::AtLocation(writer.status(), "cannot encode as JSON: ");
    }
    return std::string(buffer.GetString(), buffer.GetSize());
  }
}

// Returns the JSON text of `value`, or an empty string (which is not JSON)
// where TryEncodeJson() fails: for values known to be expressible.
// Thread-safe.
template <typename T>
std::string EncodeJson(const T& value) {
  absl::StatusOr<std::string> json = TryEncodeJson(value);
  return json.ok() ? *std::move(json) : std::string();
}

// Parses `text`, which must be exactly one JSON value (white space around it
// allowed), and decodes it into `*value`. Returns kInvalidArgument saying
// where and why when it is not JSON or does not decode. Thread-safe.
template <typename T>
absl::Status DecodeJson(absl::string_view text, T* value);

template <>
struct JsonCodec<bool> {
  static void Encode(bool value, JsonWriter& writer) { writer.Bool(value); }
  static absl::Status Decode(const rapidjson::Value& json, bool* value) {
    if (!json.IsBool()) return internal::TypeMismatch(json, "a boolean");
    *value = json.GetBool();
    return absl::OkStatus();
  }
};

namespace internal {

// Decodes `document`, parsed from `*text` by ParseJsonInPlace(), into
// `*value`. A std::string takes its bytes out of `*text` instead of copying
// them (so a large string result costs no second buffer); a RawJson nested
// in `value` takes its bytes from `*text`. `*text` is unspecified after.
// Thread-safe.
template <typename T>
absl::Status DecodeParsedInPlace(const rapidjson::Document& document,
                                 std::string* text, T* value) {
  if constexpr (std::is_same_v<T, std::string>) {
    const std::less<const char*> before;
    if (document.IsString() && !before(document.GetString(), text->data()) &&
        !before(text->data() + text->size(),
                document.GetString() + document.GetStringLength())) {
      const std::size_t length = document.GetStringLength();
      // Nothing moves but for white space before the value: the parser
      // moved the string to where its JSON began.
      text->erase(
          0, static_cast<std::size_t>(document.GetString() - text->data()));
      text->resize(length);
      value->swap(*text);
      return absl::OkStatus();
    }
  }
  ParsedTextScope scope(document, *text);
  return AtLocation(JsonCodec<T>::Decode(document, value), "$");
}

// Parses `*text` in place and decodes it into `*value`; `*text` is
// unspecified after. Thread-safe.
template <typename T>
absl::Status DecodeJsonInPlace(std::string* text, T* value) {
  if constexpr (std::is_same_v<T, RawJson>) {
    // The bytes as written, checked without building a document.
    if (absl::Status status = ValidateJson(*text); !status.ok()) return status;
    value->text = std::string(absl::StripAsciiWhitespace(*text));
    return absl::OkStatus();
  }
  rapidjson::Document document;
  if (absl::Status status = ParseJsonInPlace(text, &document); !status.ok()) {
    return status;
  }
  return DecodeParsedInPlace(document, text, value);
}

}  // namespace internal

template <typename T>
absl::Status DecodeJson(absl::string_view text, T* value) {
  std::string copy(text);
  return internal::DecodeJsonInPlace(&copy, value);
}

}  // namespace gons::reexec

#endif  // GONS_REEXEC_JSON_H_
