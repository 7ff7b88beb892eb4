// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target for every JSON decoder of //reexec. The parent decodes what a
// child writes to stdout, and the child may run inside namespaces that a
// hostile container controls, so this text is untrusted. The input is
// decoded into each supported type (numbers of every width, bools, strings,
// vectors, maps, optionals, Bytes, RawJson, documents and a recursive user
// type); whatever decodes must encode to valid JSON that decodes to an
// equal value and encodes to the same text again; strings are UTF-8 and a
// nested RawJson is bytes of the input. What fails must fail with
// kInvalidArgument and a message, never a crash.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "rapidjson/document.h"
#include "reexec/json.h"

namespace gons::reexec {

// A user type through the extension point, recursive so that decoding
// recurses as deep as the document does.
struct Tree {
  std::string name;
  std::optional<std::int32_t> weight;  // Member may be missing.
  std::vector<Tree> children;
  bool operator==(const Tree& other) const {
    return name == other.name && weight == other.weight &&
           children == other.children;
  }
};

template <>
struct JsonCodec<Tree> {
  static void Encode(const Tree& tree, JsonWriter& writer) {
    writer.StartObject();
    writer.Key("name");
    JsonCodec<std::string>::Encode(tree.name, writer);
    if (tree.weight.has_value()) {
      writer.Key("weight");
      JsonCodec<std::int32_t>::Encode(*tree.weight, writer);
    }
    writer.Key("children");
    JsonCodec<std::vector<Tree>>::Encode(tree.children, writer);
    writer.EndObject();
  }
  static absl::Status Decode(const rapidjson::Value& json, Tree* tree) {
    if (absl::Status status = DecodeMember(json, "name", &tree->name);
        !status.ok()) {
      return status;
    }
    if (json.HasMember("weight")) {
      if (absl::Status status = DecodeMember(json, "weight", &tree->weight);
          !status.ok()) {
        return status;
      }
    }
    if (!json.HasMember("children")) return absl::OkStatus();
    return DecodeMember(json, "children", &tree->children);
  }
};

// A decoded RawJson holds the text as written, whole or nested, so a round
// trip keeps its text.
bool operator==(const RawJson& a, const RawJson& b) { return a.text == b.text; }

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

template <typename T>
bool Same(const T& a, const T& b) {
  return a == b;
}

// RapidJSON's operator== on objects looks members up by name, so an object
// with a duplicate key is unequal to itself; compare the text instead.
bool Same(const rapidjson::Document& a, const rapidjson::Document& b) {
  return EncodeJson(a) == EncodeJson(b);
}

// Decodes `text` as T; checks the round trip of what decodes and the status
// of what does not.
template <typename T>
void Decode(const std::string& text) {
  T value{};
  const absl::Status status = DecodeJson(text, &value);
  if (!status.ok()) {
    Check(status.code() == absl::StatusCode::kInvalidArgument);
    Check(!status.message().empty());
    return;
  }
  const std::string encoded = EncodeJson(value);
  Check(ValidateJson(encoded).ok());
  T again{};
  Check(DecodeJson(encoded, &again).ok());
  Check(Same(again, value));
  Check(EncodeJson(again) == encoded);
}

// Whatever decodes as strings is strict UTF-8 (json.h).
void CheckStringsAreUtf8(const std::string& text) {
  std::vector<std::string> strings;
  if (DecodeJson(text, &strings).ok()) {
    for (const std::string& value : strings) {
      Check(internal::FindInvalidUtf8(value) == std::string::npos);
    }
  }
  std::string value;
  if (DecodeJson(text, &value).ok()) {
    Check(internal::FindInvalidUtf8(value) == std::string::npos);
  }
}

// A nested RawJson is bytes of the text itself, and one valid value.
void CheckNestedRawJsonIsTheText(const std::string& text) {
  std::vector<RawJson> elements;
  if (!DecodeJson(text, &elements).ok()) return;
  for (const RawJson& element : elements) {
    Check(text.find(element.text) != std::string::npos);
    Check(ValidateJson(element.text).ok());
  }
}

}  // namespace
}  // namespace gons::reexec

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using namespace gons::reexec;  // NOLINT: a fuzz target's entry point.
  const std::string text(reinterpret_cast<const char*>(data), size);

  const absl::Status valid = ValidateJson(text);
  // JSON text has no NUL byte: not even inside strings, where control
  // characters must be escaped.
  if (valid.ok()) Check(text.find('\0') == std::string::npos);

  Decode<rapidjson::Document>(text);
  Decode<RawJson>(text);
  if (!valid.ok()) return 0;  // Every typed decoder fails the same way.

  Decode<bool>(text);
  Decode<std::int8_t>(text);
  Decode<std::uint8_t>(text);
  Decode<std::int16_t>(text);
  Decode<std::uint16_t>(text);
  Decode<std::int32_t>(text);
  Decode<std::uint32_t>(text);
  Decode<std::int64_t>(text);
  Decode<std::uint64_t>(text);
  Decode<float>(text);
  Decode<double>(text);
  Decode<std::string>(text);
  Decode<Bytes>(text);
  Decode<std::vector<RawJson>>(text);
  Decode<std::map<std::string, RawJson>>(text);
  Decode<std::optional<RawJson>>(text);
  CheckStringsAreUtf8(text);
  CheckNestedRawJsonIsTheText(text);
  Decode<std::optional<std::string>>(text);
  Decode<std::optional<std::int64_t>>(text);
  Decode<std::vector<std::int32_t>>(text);
  Decode<std::vector<std::string>>(text);
  Decode<std::vector<std::vector<double>>>(text);
  Decode<std::map<std::string, std::int32_t>>(text);
  Decode<std::map<std::string, std::vector<std::optional<bool>>>>(text);
  Decode<std::vector<std::map<std::string, RawJson>>>(text);
  Decode<Tree>(text);
  Decode<std::vector<Tree>>(text);
  return 0;
}
