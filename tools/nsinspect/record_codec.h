// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: record_codec.h
// -----------------------------------------------------------------------------
//
// A JsonCodec (see reexec/json.h) for plain structs, written once: a struct
// lists its members with their JSON names in a JsonFields() overload, and
// its JsonCodec specialization derives from RecordCodec. Every member is
// encoded as an object member and is required when decoding, so a result
// from a child built from other sources is refused rather than half read.
//
// Example:
//
//   struct Point { int x = 0; int y = 0; };
//   inline auto JsonFields(const Point*) {
//     return std::make_tuple(JsonField("x", &Point::x),
//                            JsonField("y", &Point::y));
//   }
//   template <>
//   struct gons::reexec::JsonCodec<Point> : RecordCodec<Point> {};

#ifndef GONS_TOOLS_NSINSPECT_RECORD_CODEC_H_
#define GONS_TOOLS_NSINSPECT_RECORD_CODEC_H_

#include <tuple>

#include "absl/status/status.h"
#include "rapidjson/document.h"
#include "reexec/json.h"

namespace gons::nsinspect {

// One member of a struct and its JSON name.
template <typename Struct, typename Member>
struct Field {
  const char* name;
  Member Struct::*member;
};

// Returns the Field for `member`, named `name` in JSON.
template <typename Struct, typename Member>
constexpr Field<Struct, Member> JsonField(const char* name,
                                          Member Struct::*member) {
  return {name, member};
}

// Encodes and decodes `Struct` through the tuple of Fields that
// `JsonFields(static_cast<const Struct*>(nullptr))` returns. Thread-safe.
template <typename Struct>
struct RecordCodec {
  static void Encode(const Struct& value, reexec::JsonWriter& writer) {
    writer.StartObject();
    std::apply(
        [&](const auto&... fields) {
          (EncodeField(value, fields, writer), ...);
        },
        JsonFields(static_cast<const Struct*>(nullptr)));
    writer.EndObject();
  }

  static absl::Status Decode(const rapidjson::Value& json, Struct* value) {
    absl::Status status;
    std::apply(
        [&](const auto&... fields) {
          // Stops at the first member that does not decode.
          ((status.ok() ? (status = DecodeField(json, fields, value), 0) : 0),
           ...);
        },
        JsonFields(static_cast<const Struct*>(nullptr)));
    return status;
  }

 private:
  template <typename Member>
  static void EncodeField(const Struct& value,
                          const Field<Struct, Member>& field,
                          reexec::JsonWriter& writer) {
    writer.Key(field.name);
    reexec::JsonCodec<Member>::Encode(value.*field.member, writer);
  }

  template <typename Member>
  static absl::Status DecodeField(const rapidjson::Value& json,
                                  const Field<Struct, Member>& field,
                                  Struct* value) {
    return reexec::DecodeMember(json, field.name, &(value->*field.member));
  }
};

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_RECORD_CODEC_H_
