// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/json_raw.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "reexec/json.h"

namespace gons::reexec {

// A user type holding a RawJson, through DecodeMember.
struct Envelope {
  std::string kind;
  RawJson body;
};

template <>
struct JsonCodec<Envelope> {
  static void Encode(const Envelope& value, JsonWriter& writer) {
    writer.StartObject();
    writer.Key("kind");
    JsonCodec<std::string>::Encode(value.kind, writer);
    writer.Key("body");
    JsonCodec<RawJson>::Encode(value.body, writer);
    writer.EndObject();
  }
  static absl::Status Decode(const rapidjson::Value& json, Envelope* value) {
    if (absl::Status status = DecodeMember(json, "kind", &value->kind);
        !status.ok()) {
      return status;
    }
    return DecodeMember(json, "body", &value->body);
  }
};

namespace {

std::vector<std::string> Texts(const std::vector<RawJson>& values) {
  std::vector<std::string> texts;
  for (const RawJson& value : values) texts.push_back(value.text);
  return texts;
}

TEST(JsonRawTest, NestedRawJsonIsTheBytesAsWritten) {
  std::vector<RawJson> elements;
  ASSERT_TRUE(DecodeJson("[18446744073709551616, -0, 1.50, "
                         "123456789012345678901234567890, \"\\u0041\\/\", "
                         "{ \"a\" : [ 1e2 ] }, 0e309 ]",
                         &elements)
                  .ok());
  EXPECT_EQ(Texts(elements),
            (std::vector<std::string>{"18446744073709551616", "-0", "1.50",
                                      "123456789012345678901234567890",
                                      "\"\\u0041\\/\"", "{ \"a\" : [ 1e2 ] }",
                                      "0e309"}));

  std::map<std::string, RawJson> members;
  ASSERT_TRUE(
      DecodeJson("{\"x\": -0.0E+1, \"y\": [true,  null]}", &members).ok());
  EXPECT_EQ(members["x"].text, "-0.0E+1");
  EXPECT_EQ(members["y"].text, "[true,  null]");

  Envelope envelope;
  ASSERT_TRUE(
      DecodeJson("{\"kind\": \"k\", \"body\": {\"n\": 1.0}}", &envelope).ok());
  EXPECT_EQ(envelope.body.text, "{\"n\": 1.0}");

  std::optional<RawJson> maybe;
  ASSERT_TRUE(DecodeJson(" [1.0] ", &maybe).ok());
  EXPECT_EQ(maybe->text, "[1.0]");
}

TEST(JsonRawTest, NestedRawJsonDecodedFromTheRunnersBufferToo) {
  // The runner's path: parse in place, then decode from the same buffer.
  std::string text = "[{\"a\": 1.000}, [\"\\n\"]]";
  rapidjson::Document document;
  ASSERT_TRUE(internal::ParseJsonInPlace(&text, &document).ok());
  std::vector<RawJson> elements;
  ASSERT_TRUE(internal::DecodeParsedInPlace(document, &text, &elements).ok());
  EXPECT_EQ(Texts(elements),
            (std::vector<std::string>{"{\"a\": 1.000}", "[\"\\n\"]"}));
}

TEST(JsonRawTest, RawJsonOfAValueNotFromTheTextIsItsCompactSpelling) {
  rapidjson::Document own;
  own.Parse("[1, 2]");
  RawJson raw;
  ASSERT_TRUE(JsonCodec<RawJson>::Decode(own, &raw).ok());
  EXPECT_EQ(raw.text, "[1,2]");
}

TEST(JsonRawTest, EncodedRawJsonIsSentAsGivenWhenItIsOneValue) {
  EXPECT_EQ(EncodeJson(std::vector<RawJson>{RawJson{" 1.50 "},
                                            RawJson{"{ \"a\" : -0 }"}}),
            "[1.50,{ \"a\" : -0 }]");
  EXPECT_FALSE(TryEncodeJson(std::vector<RawJson>{RawJson{"1,2"}}).ok());
}

}  // namespace
}  // namespace gons::reexec
