// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: json_containers.h
// -----------------------------------------------------------------------------
//
// The codecs of std::vector<T>, std::map<std::string, T> (which refuses a
// duplicate key, naming it) and std::optional<T> (null when empty), for any
// T that has a JsonCodec. Include reexec/json.h.
//
// Example:
//
//   std::map<std::string, std::vector<int>> value;
//   DecodeJson("{\"a\": [1, 2]}", &value);   // value["a"] == {1, 2}
//   DecodeJson("{\"a\": [], \"a\": []}", &value);
//       // InvalidArgument: "$: duplicate key \"a\" ..."

#ifndef GONS_REEXEC_JSON_CONTAINERS_H_
#define GONS_REEXEC_JSON_CONTAINERS_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "rapidjson/document.h"
#include "reexec/json_codec.h"

namespace gons::reexec {

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

}  // namespace gons::reexec

#endif  // GONS_REEXEC_JSON_CONTAINERS_H_
