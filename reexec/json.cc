// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/json.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "rapidjson/stringbuffer.h"

namespace gons::reexec {
namespace internal {

const char* DescribeJsonType(const rapidjson::Value& json) {
  if (json.IsNull()) return "null";
  if (json.IsBool()) return "a boolean";
  if (json.IsInt64() || json.IsUint64()) return "an integer";
  if (json.IsNumber()) return "a number";
  if (json.IsString()) return "a string";
  if (json.IsArray()) return "an array";
  return "an object";
}

absl::Status TypeMismatch(const rapidjson::Value& json, const char* expected) {
  return absl::InvalidArgumentError(absl::StrCat(
      ": expected ", expected, ", found ", DescribeJsonType(json)));
}

absl::Status AtLocation(absl::Status status, absl::string_view location) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(location, status.message()));
}

absl::Status ParseJson(absl::string_view text, rapidjson::Document* document) {
  document->Parse(text.data(), text.size());
  if (!document->HasParseError()) return absl::OkStatus();
  const std::size_t offset = document->GetErrorOffset();
  // A few characters of context make "Invalid value" actionable.
  const absl::string_view near = text.substr(offset > 20 ? offset - 20 : 0, 40);
  return absl::InvalidArgumentError(absl::StrCat(
      "not valid JSON: ",
      rapidjson::GetParseError_En(document->GetParseError()), " at offset ",
      offset, " of ", text.size(), " (near \"", absl::CHexEscape(near), "\")"));
}

}  // namespace internal

absl::Status ValidateJson(absl::string_view text) {
  rapidjson::Document document;
  return internal::ParseJson(text, &document);
}

void JsonCodec<RawJson>::Encode(const RawJson& value, JsonWriter& writer) {
  writer.RawValue(value.text.data(), value.text.size(), rapidjson::kObjectType);
}

absl::Status JsonCodec<RawJson>::Decode(const rapidjson::Value& json,
                                        RawJson* value) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  json.Accept(writer);
  value->text.assign(buffer.GetString(), buffer.GetSize());
  return absl::OkStatus();
}

}  // namespace gons::reexec
