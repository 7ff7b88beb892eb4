// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/json_codec.h"

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "reexec/json_utf8.h"

namespace gons::reexec {

void JsonWriter::CheckText(const char* text, std::size_t length,
                           const char* what) {
  if (!status_.ok()) return;
  absl::Status status =
      internal::CheckUtf8(absl::string_view(text, length), what);
  if (!status.ok()) Fail(std::move(status));
}

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

absl::Status DuplicateKey(const rapidjson::Value& name) {
  return absl::InvalidArgumentError(absl::StrCat(
      ": duplicate key \"",
      absl::CHexEscape(
          absl::string_view(name.GetString(), name.GetStringLength())),
      "\" (typed decoding takes no side; RawJson and Document keep both)"));
}

absl::Status RefuseSecondMember(const rapidjson::Value& json,
                                rapidjson::Value::ConstMemberIterator first,
                                const char* name) {
  const absl::string_view wanted(name);
  for (auto member = first + 1; member != json.MemberEnd(); ++member) {
    if (absl::string_view(member->name.GetString(),
                          member->name.GetStringLength()) == wanted) {
      return DuplicateKey(member->name);
    }
  }
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace gons::reexec
