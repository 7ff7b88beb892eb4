// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A program with a RapidJSON of its own that hands rapidjson::Document and
// rapidjson::Value across gons's API: gons parses into the program's
// Document, the program reads it, and gons describes a Value the program
// built. Prints one line per check and exits 0 when all hold, 1 otherwise.
// Compiled against another layout of rapidjson::Value than gons, these
// checks read garbage or crash.

#include <cstring>
#include <iostream>
#include <string>

#include "rapidjson/document.h"
#include "reexec/json.h"

static_assert(RAPIDJSON_48BITPOINTER_OPTIMIZATION == 0,
              "this program must use its own RapidJSON");

namespace {

// A type of this program decoded by gons from a rapidjson::Value gons parsed.
struct Item {
  std::string name;
  int count = 0;
};

bool Check(bool condition, const char* what) {
  std::cout << (condition ? "ok: " : "FAILED: ") << what << "\n";
  return condition;
}

}  // namespace

template <>
struct gons::reexec::JsonCodec<Item> {
  static void Encode(const Item& item, JsonWriter& writer) {
    writer.StartObject();
    writer.Key("name");
    JsonCodec<std::string>::Encode(item.name, writer);
    writer.Key("count");
    JsonCodec<int>::Encode(item.count, writer);
    writer.EndObject();
  }
  static absl::Status Decode(const rapidjson::Value& json, Item* item) {
    if (!json.IsObject() || !json.HasMember("name") ||
        !json["name"].IsString() || !json.HasMember("count") ||
        !json["count"].IsInt()) {
      return absl::InvalidArgumentError("not an item");
    }
    item->name = json["name"].GetString();
    item->count = json["count"].GetInt();
    return absl::OkStatus();
  }
};

int main() {
  constexpr char kLongName[] =
      "a name longer than RapidJSON's short-string buffer";
  const std::string text = std::string(R"({"name": ")") + kLongName +
                           R"(", "count": 3, "list": [1, 2, 3]})";
  bool ok = true;

  rapidjson::Document document;
  const absl::Status decoded = gons::reexec::DecodeJson(text, &document);
  ok &= Check(decoded.ok(), "gons decodes into this program's Document");
  ok &= Check(document.IsObject() && document.MemberCount() == 3,
              "the Document is an object of three members");
  ok &= Check(document.HasMember("name") && document["name"].IsString() &&
                  std::strcmp(document["name"].GetString(), kLongName) == 0,
              "its long string reads back");
  ok &= Check(document.HasMember("list") && document["list"].IsArray() &&
                  document["list"].Size() == 3 &&
                  document["list"][2].GetInt() == 3,
              "its array reads back");

  Item item;
  const absl::Status item_decoded = gons::reexec::DecodeJson(text, &item);
  ok &= Check(item_decoded.ok() && item.name == kLongName && item.count == 3,
              "gons hands this program's codec a Value it can read");
  ok &= Check(gons::reexec::EncodeJson(item) ==
                  std::string(R"({"name":")") + kLongName + R"(","count":3})",
              "this program's codec writes through gons's writer");
  return ok ? 0 : 1;
}
