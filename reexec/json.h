// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: json.h
// -----------------------------------------------------------------------------
//
// Typed JSON for reexec params and results, over RapidJSON. Supported out of
// the box: bool, integers (range-checked on decoding), floating point,
// std::string, std::vector<T>, std::map<std::string, T>, std::optional<T>
// (null when empty), RawJson (any JSON text, passed through) and
// rapidjson::Document.
//
// The one extension point for your own types is a specialization of
// JsonCodec<T> with an Encode and a Decode function:
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
// number out of range or a missing member is an InvalidArgument status that
// says where (`$.points[2].x: expected an integer, found a string`). Text
// nested deeper than kMaxJsonDepth is refused before anything is decoded,
// so that no text can exhaust the stack. The text is parsed in place, so
// the strings of the rapidjson::Value handed to Decode live only during the
// call: copy them, as the codecs here do.
//
// Policies, the same for params and results:
// - Nothing invalid is sent: a value JSON cannot express (NaN or infinity,
//   in a float, a double or a rapidjson::Document; a RawJson that is not
//   exactly one JSON value, wherever it is nested) makes TryEncodeJson(),
//   Param() and WriteResult() fail with kInvalidArgument before anything is
//   written. JSON null never decodes to a number.
// - Duplicate keys: typed decoding (std::map, DecodeMember) refuses an
//   object that holds a key twice, naming the key; RawJson and
//   rapidjson::Document keep every member as written.
// - Numbers: integers are read exactly (from_chars) and range-checked;
//   others are rounded correctly to a double; beyond a double's range is
//   refused. -0 keeps its sign (integer targets read it as 0). A float
//   target accepts what rounds to a finite float (3.4028235e38 is the
//   largest) and prints value and limit in shortest exact form otherwise.
// - A bare top-level number is complete only when white space follows it
//   or the child exits.
// - Strings are bytes: they are neither checked nor changed as UTF-8
//   (binary data round-trips; other tools may refuse such text).
// - A RawJson received as the whole param or result holds the bytes of
//   the value as written (white space around it aside). One nested in a
//   container or user type is RapidJSON's compact spelling of the value
//   (numbers beyond 64-bit integers go through a double there).

#ifndef GONS_REEXEC_JSON_H_
#define GONS_REEXEC_JSON_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
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
#include "rapidjson/writer.h"

namespace gons::reexec {

// The writer that codecs write to: RapidJSON's, plus the first reason the
// value cannot be encoded (a codec calls Fail() and writes on, so that the
// writer's nesting stays consistent; the text is then thrown away). Not
// thread-safe: one writer per encoding.
class JsonWriter : public rapidjson::Writer<rapidjson::StringBuffer> {
 public:
  using rapidjson::Writer<rapidjson::StringBuffer>::Writer;

  // Records `status` as the reason encoding fails, unless one came first.
  void Fail(absl::Status status) {
    if (status_.ok()) status_ = std::move(status);
  }
  // Returns OK, or the first status passed to Fail().
  const absl::Status& status() const { return status_; }

 private:
  absl::Status status_;
};

// The deepest nesting of arrays and objects that parsing accepts.
inline constexpr int kMaxJsonDepth = 256;

// JSON text, checked to be one valid JSON value when sent (wherever it is
// nested) or received; received as the whole value, it is the bytes as
// written (see the file comment).
struct RawJson {
  std::string text;
};

// Encodes and decodes one C++ type. Specialize it for your own types (see
// the file comment); the primary template is deliberately undefined, so an
// unsupported type is a compile error rather than a runtime surprise.
template <typename T, typename Enable = void>
struct JsonCodec;

namespace internal {

// "an integer", "a string", ... for error messages.
const char* DescribeJsonType(const rapidjson::Value& json);

absl::Status TypeMismatch(const rapidjson::Value& json, const char* expected);

// Prefixes a decoding error with where it happened: "[3]" or ".name".
absl::Status AtLocation(absl::Status status, absl::string_view location);

template <typename T>
inline constexpr bool kIsInteger =
    std::is_integral_v<T> && !std::is_same_v<T, bool>;

// Rounds `number` to the nearest float like a C++ conversion would, or
// refuses it when that is infinity (1e39), printing value and limit in
// their shortest exact forms. 3.4028235e38, how most languages print the
// largest float, rounds to it.
absl::Status DecodeFloat(double number, float* value);

// The error for an object that has the key `name` twice.
absl::Status DuplicateKey(const rapidjson::Value& name);

// Refuses an object `json` that holds the member `name` again after
// `first`, which FindMember found.
absl::Status RefuseSecondMember(const rapidjson::Value& json,
                                rapidjson::Value::ConstMemberIterator first,
                                const char* name);

// Appends `text` to `*json` as the inside of a JSON string (no quotes),
// escaped exactly as RapidJSON's writer escapes it. Large texts without
// characters to escape go at memory speed.
void AppendJsonStringContent(absl::string_view text, std::string* json);

// Returns whether `text` is the inside of a JSON string as it is: no
// control character, quote or backslash to escape. At memory speed.
bool IsPlainJsonStringContent(absl::string_view text);

// Returns `text` as a JSON string, in a buffer of the right size.
std::string EncodeJsonString(absl::string_view text);

}  // namespace internal

// Returns the JSON text of `value`, or kInvalidArgument when JSON cannot
// express it (NaN or infinity anywhere, a RawJson that is not exactly one
// JSON value, or whatever a user codec passes to JsonWriter::Fail()), so
// that nothing invalid or cut off is ever sent. Thread-safe.
template <typename T>
absl::StatusOr<std::string> TryEncodeJson(const T& value) {
  if constexpr (std::is_same_v<T, std::string>) {
    // The common large payload: no writer, no intermediate buffer.
    return internal::EncodeJsonString(value);
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
// allowed), and decodes it into `*value`. Thread-safe.
template <typename T>
absl::Status DecodeJson(absl::string_view text, T* value);

// Decodes the member `name` of the object `json` into `*value`: for codecs
// of user types.
template <typename T>
absl::Status DecodeMember(const rapidjson::Value& json, const char* name,
                          T* value) {
  if (!json.IsObject()) return internal::TypeMismatch(json, "an object");
  const auto member = json.FindMember(name);
  if (member == json.MemberEnd()) {
    return absl::InvalidArgumentError(
        absl::StrCat(": missing member \"", name, "\""));
  }
  if (absl::Status status = internal::RefuseSecondMember(json, member, name);
      !status.ok()) {
    return status;
  }
  return internal::AtLocation(JsonCodec<T>::Decode(member->value, value),
                              absl::StrCat(".", name));
}

template <>
struct JsonCodec<bool> {
  static void Encode(bool value, JsonWriter& writer) { writer.Bool(value); }
  static absl::Status Decode(const rapidjson::Value& json, bool* value) {
    if (!json.IsBool()) return internal::TypeMismatch(json, "a boolean");
    *value = json.GetBool();
    return absl::OkStatus();
  }
};

template <typename T>
struct JsonCodec<T, std::enable_if_t<internal::kIsInteger<T>>> {
  static void Encode(T value, JsonWriter& writer) {
    if constexpr (std::is_signed_v<T>) {
      writer.Int64(static_cast<std::int64_t>(value));
    } else {
      writer.Uint64(static_cast<std::uint64_t>(value));
    }
  }
  static absl::Status Decode(const rapidjson::Value& json, T* value) {
    using Limits = std::numeric_limits<T>;
    if (json.IsUint64()) {
      const std::uint64_t number = json.GetUint64();
      if (number > static_cast<std::uint64_t>(Limits::max())) {
        return OutOfRange(json);
      }
      *value = static_cast<T>(number);
      return absl::OkStatus();
    }
    if (json.IsDouble() && json.GetDouble() == 0 &&
        std::signbit(json.GetDouble())) {
      *value = 0;  // The text -0, kept as a double for its sign.
      return absl::OkStatus();
    }
    if (json.IsInt64()) {  // Negative: IsUint64() was false.
      const std::int64_t number = json.GetInt64();
      if (!std::is_signed_v<T> ||
          number < static_cast<std::int64_t>(Limits::min())) {
        return OutOfRange(json);
      }
      *value = static_cast<T>(number);
      return absl::OkStatus();
    }
    return internal::TypeMismatch(json, "an integer");
  }

 private:
  static absl::Status OutOfRange(const rapidjson::Value& json) {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    json.Accept(writer);
    return absl::InvalidArgumentError(
        absl::StrCat(": ", buffer.GetString(), " is out of range [",
                     std::numeric_limits<T>::min(), ", ",
                     std::numeric_limits<T>::max(), "]"));
  }
};

template <typename T>
struct JsonCodec<T, std::enable_if_t<std::is_floating_point_v<T>>> {
  static void Encode(T value, JsonWriter& writer) {
    // JSON has no NaN or infinity; writing null instead would not read
    // back as the same number.
    if (!std::isfinite(value)) {
      writer.Fail(absl::InvalidArgumentError(
          absl::StrCat(value, " has no JSON representation")));
      writer.Null();
    } else {
      writer.Double(static_cast<double>(value));
    }
  }
  static absl::Status Decode(const rapidjson::Value& json, T* value) {
    if (!json.IsNumber()) return internal::TypeMismatch(json, "a number");
    const double number = json.GetDouble();
    if constexpr (std::is_same_v<T, float>) {
      return internal::DecodeFloat(number, value);
    } else {
      *value = static_cast<T>(number);
      return absl::OkStatus();
    }
  }
};

template <>
struct JsonCodec<std::string> {
  static void Encode(const std::string& value, JsonWriter& writer) {
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  static absl::Status Decode(const rapidjson::Value& json, std::string* value) {
    if (!json.IsString()) return internal::TypeMismatch(json, "a string");
    value->assign(json.GetString(), json.GetStringLength());
    return absl::OkStatus();
  }
};

template <typename T>
struct JsonCodec<std::vector<T>> {
  static void Encode(const std::vector<T>& values, JsonWriter& writer) {
    writer.StartArray();
    for (const T& value : values) JsonCodec<T>::Encode(value, writer);
    writer.EndArray();
  }
  static absl::Status Decode(const rapidjson::Value& json,
                             std::vector<T>* values) {
    if (!json.IsArray()) return internal::TypeMismatch(json, "an array");
    values->clear();
    values->reserve(json.Size());
    for (rapidjson::SizeType index = 0; index < json.Size(); ++index) {
      T value{};
      absl::Status status = JsonCodec<T>::Decode(json[index], &value);
      if (!status.ok()) {
        return internal::AtLocation(std::move(status),
                                    absl::StrCat("[", index, "]"));
      }
      values->push_back(std::move(value));
    }
    return absl::OkStatus();
  }
};

template <typename T>
struct JsonCodec<std::map<std::string, T>> {
  static void Encode(const std::map<std::string, T>& values,
                     JsonWriter& writer) {
    writer.StartObject();
    for (const auto& [key, value] : values) {
      writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
      JsonCodec<T>::Encode(value, writer);
    }
    writer.EndObject();
  }
  static absl::Status Decode(const rapidjson::Value& json,
                             std::map<std::string, T>* values) {
    if (!json.IsObject()) return internal::TypeMismatch(json, "an object");
    values->clear();
    for (const auto& member : json.GetObject()) {
      std::string key(member.name.GetString(), member.name.GetStringLength());
      if (values->count(key) != 0) return internal::DuplicateKey(member.name);
      T value{};
      absl::Status status = JsonCodec<T>::Decode(member.value, &value);
      if (!status.ok()) {
        return internal::AtLocation(std::move(status), absl::StrCat(".", key));
      }
      values->emplace(std::move(key), std::move(value));
    }
    return absl::OkStatus();
  }
};

template <typename T>
struct JsonCodec<std::optional<T>> {
  static void Encode(const std::optional<T>& value, JsonWriter& writer) {
    if (value.has_value()) {
      JsonCodec<T>::Encode(*value, writer);
    } else {
      writer.Null();
    }
  }
  static absl::Status Decode(const rapidjson::Value& json,
                             std::optional<T>* value) {
    if (json.IsNull()) {
      value->reset();
      return absl::OkStatus();
    }
    T decoded{};
    absl::Status status = JsonCodec<T>::Decode(json, &decoded);
    if (status.ok()) *value = std::move(decoded);
    return status;
  }
};

template <>
struct JsonCodec<RawJson> {
  // Fails the writer unless `value.text` is exactly one JSON value, so
  // that a RawJson cannot add members or elements around it.
  static void Encode(const RawJson& value, JsonWriter& writer);
  static absl::Status Decode(const rapidjson::Value& json, RawJson* value);
};

template <>
struct JsonCodec<rapidjson::Document> {
  // Fails the writer on NaN or infinity (RapidJSON would stop there and
  // leave the text cut off).
  static void Encode(const rapidjson::Document& value, JsonWriter& writer);
  // Copies every string (CopyFrom would keep references into the parsed
  // text, which does not outlive decoding).
  static absl::Status Decode(const rapidjson::Value& json,
                             rapidjson::Document* value);
};

// Returns OK when `text` is exactly one JSON value, nested at most
// kMaxJsonDepth deep, otherwise an InvalidArgument status saying where it
// goes wrong.
absl::Status ValidateJson(absl::string_view text);

namespace internal {

// Tells whether `text`, the output of a child still running, is exactly
// one JSON value that no further byte could extend: at once false when its
// last character cannot end one (as while a large result is still
// arriving), and false for a bare number not followed by white space,
// which only the end of the stream ends (the runner decodes it once the
// child has exited).
bool IsCompleteJson(absl::string_view text);

// Parses `*text` (exactly one JSON value, nested at most kMaxJsonDepth
// deep) into `document` in place, without recursion: strings are unescaped
// inside `*text` and `document` points into it, so `*text` must outlive
// `document` and is no longer the original text. No copy of the text is
// made.
absl::Status ParseJsonInPlace(std::string* text, rapidjson::Document* document);

// Decodes `document`, parsed in place from `*text`, into `*value`. A
// std::string takes its bytes out of `*text` instead of copying them (so a
// large string result costs no second buffer); `*text` is unspecified after.
template <typename T>
absl::Status DecodeParsedInPlace(const rapidjson::Document& document,
                                 std::string* text, T* value) {
  if constexpr (std::is_same_v<T, std::string>) {
    const std::less<const char*> before;
    if (document.IsString() && !before(document.GetString(), text->data()) &&
        !before(text->data() + text->size(),
                document.GetString() + document.GetStringLength())) {
      const std::size_t length = document.GetStringLength();
      text->erase(
          0, static_cast<std::size_t>(document.GetString() - text->data()));
      text->resize(length);
      value->swap(*text);
      return absl::OkStatus();
    }
  }
  return AtLocation(JsonCodec<T>::Decode(document, value), "$");
}

// Parses `*text` in place and decodes it into `*value`; `*text` is
// unspecified after.
template <typename T>
absl::Status DecodeJsonInPlace(std::string* text, T* value) {
  if constexpr (std::is_same_v<T, RawJson>) {
    // The bytes as written: checked on a copy, since parsing rewrites them.
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
