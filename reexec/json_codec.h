// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: json_codec.h
// -----------------------------------------------------------------------------
//
// The extension point of the JSON layer: JsonCodec<T>, the JsonWriter that
// codecs write to, DecodeMember() for user types, and the error helpers
// that make every decoding error say where it happened. Include
// reexec/json.h, which documents the policies and brings every codec.
//
// Example:
//
//   template <>
//   struct gons::reexec::JsonCodec<Point> {
//     static void Encode(const Point& point, JsonWriter& writer) {
//       writer.StartObject();
//       writer.Key("x"); JsonCodec<int>::Encode(point.x, writer);
//       writer.EndObject();
//     }
//     static absl::Status Decode(const rapidjson::Value& json, Point* point) {
//       return DecodeMember(json, "x", &point->x);
//     }
//   };

#ifndef GONS_REEXEC_JSON_CODEC_H_
#define GONS_REEXEC_JSON_CODEC_H_

#include <cstddef>
#include <cstring>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace gons::reexec {

// Encodes and decodes one C++ type. Specialize it for your own types (see
// json.h); the primary template is deliberately undefined, so an
// unsupported type is a compile error rather than a runtime surprise.
template <typename T, typename Enable = void>
struct JsonCodec;

// The writer that codecs write to: RapidJSON's, plus the first reason the
// value cannot be encoded (a codec calls Fail() and writes on, so that the
// writer's nesting stays consistent; the text is then thrown away). Every
// string and key written through it must be valid UTF-8 (json.h): one that
// is not fails the writer, naming the offset, and is written as given. Not
// thread-safe: one writer per encoding.
class JsonWriter : public rapidjson::Writer<rapidjson::StringBuffer> {
 public:
  using Base = rapidjson::Writer<rapidjson::StringBuffer>;
  using Base::Base;

  // Writes `text` as a JSON string, failing the writer unless it is UTF-8.
  bool String(const char* text, rapidjson::SizeType length, bool copy = false) {
    CheckText(text, length, "a string");
    return Base::String(text, length, copy);
  }
  // Writes the NUL-terminated `text` as a JSON string (see above).
  bool String(const char* text) {
    return String(text, static_cast<rapidjson::SizeType>(std::strlen(text)));
  }
  // Writes `text` as an object key, failing the writer unless it is UTF-8.
  bool Key(const char* text, rapidjson::SizeType length, bool copy = false) {
    CheckText(text, length, "a key");
    return Base::Key(text, length, copy);
  }
  // Writes the NUL-terminated `text` as an object key (see above).
  bool Key(const char* text) {
    return Key(text, static_cast<rapidjson::SizeType>(std::strlen(text)));
  }

  // Records `status` as the reason encoding fails, unless one came first.
  void Fail(absl::Status status) {
    if (status_.ok()) status_ = std::move(status);
  }
  // Returns OK, or the first status passed to Fail().
  const absl::Status& status() const { return status_; }

 private:
  void CheckText(const char* text, std::size_t length, const char* what);

  absl::Status status_;
};

namespace internal {

// "an integer", "a string", ... for error messages.
const char* DescribeJsonType(const rapidjson::Value& json);

// The error for `json` not being `expected` ("an integer").
absl::Status TypeMismatch(const rapidjson::Value& json, const char* expected);

// Prefixes a decoding error with where it happened: "[3]" or ".name".
absl::Status AtLocation(absl::Status status, absl::string_view location);

// The error for an object that has the key `name` twice.
absl::Status DuplicateKey(const rapidjson::Value& name);

// Refuses an object `json` that holds the member `name` again after
// `first`, which FindMember found.
absl::Status RefuseSecondMember(const rapidjson::Value& json,
                                rapidjson::Value::ConstMemberIterator first,
                                const char* name);

}  // namespace internal

// Decodes the member `name` of the object `json` into `*value`: for codecs
// of user types. Returns kInvalidArgument when `json` is not an object, the
// member is missing or present twice, or its value does not decode.
// Thread-safe.
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

}  // namespace gons::reexec

#endif  // GONS_REEXEC_JSON_CODEC_H_
