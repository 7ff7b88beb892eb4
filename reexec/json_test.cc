// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/json.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gons::reexec {

// A user type, through the one extension point.
struct Point {
  int x = 0;
  int y = 0;
  bool operator==(const Point& other) const {
    return x == other.x && y == other.y;
  }
};

template <>
struct JsonCodec<Point> {
  static void Encode(const Point& point, JsonWriter& writer) {
    writer.StartObject();
    writer.Key("x");
    JsonCodec<int>::Encode(point.x, writer);
    writer.Key("y");
    JsonCodec<int>::Encode(point.y, writer);
    writer.EndObject();
  }
  static absl::Status Decode(const rapidjson::Value& json, Point* point) {
    if (absl::Status status = DecodeMember(json, "x", &point->x);
        !status.ok()) {
      return status;
    }
    return DecodeMember(json, "y", &point->y);
  }
};

namespace {

using ::testing::HasSubstr;

template <typename T>
T RoundTrip(const T& value) {
  T decoded{};
  const absl::Status status = DecodeJson(EncodeJson(value), &decoded);
  EXPECT_TRUE(status.ok()) << status;
  return decoded;
}

template <typename T>
absl::Status DecodeError(const char* json) {
  T value{};
  return DecodeJson(json, &value);
}

TEST(JsonTest, RoundTripsScalars) {
  EXPECT_EQ(RoundTrip(true), true);
  EXPECT_EQ(RoundTrip(-42), -42);
  EXPECT_EQ(RoundTrip(std::uint64_t{18446744073709551615u}),
            18446744073709551615u);
  EXPECT_EQ(RoundTrip(std::int64_t{-9223372036854775807 - 1}),
            -9223372036854775807 - 1);
  EXPECT_DOUBLE_EQ(RoundTrip(2.5), 2.5);
  // Written as 18446744073737550000.0, which a fast parser reads 2 units in
  // the last place off.
  EXPECT_EQ(RoundTrip(1.8446744073737552e19), 1.8446744073737552e19);
  const std::string with_nul("a \"quoted\"\n\0 string\0", 20);
  EXPECT_EQ(RoundTrip(with_nul), with_nul);
}

TEST(JsonTest, RoundTripsContainers) {
  const std::vector<std::map<std::string, std::optional<int>>> value = {
      {{"a", 1}, {"b", std::nullopt}}, {}};
  EXPECT_EQ(RoundTrip(value), value);
  EXPECT_EQ(EncodeJson(std::optional<int>()), "null");
  EXPECT_EQ(RoundTrip(std::vector<Point>{{1, 2}, {3, 4}}),
            (std::vector<Point>{{1, 2}, {3, 4}}));
}

TEST(JsonTest, PassesRawJsonAndDocumentsThrough) {
  RawJson raw;
  ASSERT_TRUE(DecodeJson(" {\"k\": [1, 2]} ", &raw).ok());
  EXPECT_EQ(raw.text, "{\"k\": [1, 2]}");
  EXPECT_EQ(EncodeJson(std::vector<RawJson>{raw}), "[{\"k\": [1, 2]}]");
  rapidjson::Document document;
  ASSERT_TRUE(DecodeJson("[true]", &document).ok());
  EXPECT_EQ(EncodeJson(document), "[true]");
}

TEST(JsonTest, RejectsWrongTypesWithTheirLocation) {
  EXPECT_EQ(DecodeError<int>("\"3\"").message(),
            "$: expected an integer, found a string");
  EXPECT_EQ(DecodeError<std::vector<int>>("[1, 2.5]").message(),
            "$[1]: expected an integer, found a number");
  EXPECT_EQ((DecodeError<std::map<std::string, std::vector<bool>>>(
                 "{\"flags\": [true, null]}"))
                .message(),
            "$.flags[1]: expected a boolean, found null");
  EXPECT_EQ(DecodeError<std::vector<Point>>("[{\"x\": 1}]").message(),
            "$[0]: missing member \"y\"");
  EXPECT_EQ(DecodeError<Point>("{\"x\": 1, \"y\": \"2\"}").message(),
            "$.y: expected an integer, found a string");
  EXPECT_EQ(DecodeError<std::string>("{}").code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(JsonTest, RejectsIntegersOutOfRange) {
  EXPECT_THAT(std::string(DecodeError<std::int8_t>("128").message()),
              HasSubstr("128 is out of range [-128, 127]"));
  EXPECT_THAT(std::string(DecodeError<unsigned>("-1").message()),
              HasSubstr("out of range"));
  EXPECT_THAT(std::string(DecodeError<int>("1e3").message()),
              HasSubstr("expected an integer"));
  std::int8_t small = 0;
  EXPECT_TRUE(DecodeJson("-128", &small).ok());
  EXPECT_EQ(small, -128);
}

TEST(JsonTest, RejectsInvalidJsonAndTrailingText) {
  for (const char* text : {"", "   ", "{", "[1,]", "1 2", "nul", "\"open"}) {
    const absl::Status status = ValidateJson(text);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(status.message()), HasSubstr("not valid JSON"));
  }
  EXPECT_TRUE(ValidateJson(" [1] \n").ok());
}

// What RapidJSON's own writer makes of `text`: the reference for the
// direct string encoder.
std::string RapidJsonString(const std::string& text) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

TEST(JsonTest, EncodesStringsExactlyAsRapidJsonDoes) {
  std::string every_ascii_byte;
  for (int byte = 0; byte < 128; ++byte) {
    every_ascii_byte.push_back(static_cast<char>(byte));
  }
  EXPECT_EQ(EncodeJson(every_ascii_byte), RapidJsonString(every_ascii_byte));
  // A character to escape at every offset of the 64-, 16- and 8-byte
  // blocks the encoder scans, and at both ends.
  for (const char special : {'"', '\\', '\n', '\x01', '\x1f'}) {
    for (std::size_t at = 0; at < 150; ++at) {
      std::string text(150, 'a');
      text[at] = special;
      EXPECT_EQ(EncodeJson(text), RapidJsonString(text)) << at;
      EXPECT_FALSE(internal::IsPlainJsonStringContent(text)) << at;
      EXPECT_TRUE(internal::IsPlainJsonStringContent(
          absl::string_view(text).substr(0, at)))
          << at;
    }
  }
  // Around the 64 KiB windows the encoder scans and copies at a time.
  for (const std::size_t size : {65535, 65536, 65537, 3 * 65536 + 1}) {
    for (const std::size_t at :
         {std::size_t{0}, std::size_t{65535}, std::size_t{65536}, size - 1}) {
      if (at >= size) continue;
      std::string text(size, 'w');
      text[at] = '"';
      EXPECT_EQ(EncodeJson(text), RapidJsonString(text)) << size << " " << at;
    }
    const std::string plain(size, 'w');
    EXPECT_EQ(EncodeJson(plain), RapidJsonString(plain)) << size;
  }
  EXPECT_TRUE(internal::IsPlainJsonStringContent(""));
  EXPECT_TRUE(internal::IsPlainJsonStringContent(std::string(1000, '\x7f')));
  EXPECT_EQ(EncodeJson(std::string()), "\"\"");
  EXPECT_EQ(EncodeJson(std::string("\x7f\xc3\xa9/")), "\"\x7f\xc3\xa9/\"");
}

TEST(JsonTest, DecodesAStringInPlace) {
  std::string text = " \"a\\nb\\u00e9\\\"\" \n";
  std::string value;
  ASSERT_TRUE(internal::DecodeJsonInPlace(&text, &value).ok());
  EXPECT_EQ(value, "a\nb\xc3\xa9\"");
  // Large strings, without escapes and with some, come back whole.
  std::string plain(3 << 20, 'p');
  std::string plain_json = EncodeJson(plain);
  ASSERT_TRUE(internal::DecodeJsonInPlace(&plain_json, &value).ok());
  EXPECT_TRUE(value == plain);
  std::string large(3 << 20, 'x');
  for (std::size_t i = 0; i < large.size(); i += 4099) large[i] = '"';
  std::string json = EncodeJson(large);
  ASSERT_TRUE(internal::DecodeJsonInPlace(&json, &value).ok());
  EXPECT_TRUE(value == large);
}

TEST(JsonTest, RejectsUnescapedControlCharactersAnywhereInAString) {
  for (const char control : {'\x01', '\x19', '\x1a', '\x1f'}) {
    for (std::size_t at = 1; at < 150; ++at) {
      std::string text = "\"" + std::string(150, 'a') + "\"";
      text[at] = control;
      std::string value;
      EXPECT_FALSE(DecodeJson(text, &value).ok()) << int{control} << " " << at;
      std::vector<std::string> in_array;
      EXPECT_FALSE(DecodeJson("[" + text + "]", &in_array).ok()) << at;
    }
  }
}

TEST(JsonTest, DecodedDocumentOutlivesItsText) {
  rapidjson::Document document;
  {
    std::string text = "{\"name\": [\"a long string, not a short one\"]}";
    ASSERT_TRUE(internal::DecodeJsonInPlace(&text, &document).ok());
    text.assign(text.size(), '#');
  }
  EXPECT_STREQ(document["name"][0].GetString(),
               "a long string, not a short one");
}

TEST(JsonTest, RejectsNulBytes) {
  std::string value;
  const absl::Status status =
      DecodeJson(absl::string_view("\"a\"\0 \"b\"", 8), &value);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("NUL byte at offset 3"));
  EXPECT_FALSE(ValidateJson(absl::string_view("1\0", 2)).ok());
}

TEST(JsonTest, ParseErrorsQuoteTheTextFromTheError) {
  const absl::Status status = ValidateJson("[1, 2 3]");
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("at offset 6 of 8 (from there: \"3]\")"));
}

TEST(JsonTest, TellsCompleteJsonFromPartial) {
  for (const char* complete : {"\"a\" \n", "[1]", "{}", "true", "null"}) {
    EXPECT_TRUE(internal::IsCompleteJson(complete)) << complete;
  }
  for (const char* partial : {"", " ", "\"abc", "[1,", "{\"a\":", "[1] 2"}) {
    EXPECT_FALSE(internal::IsCompleteJson(partial)) << partial;
  }
}

// "12" may be the first write of "1234": only white space after it or the
// end of the stream (the child's exit) tells, so the runner waits for it.
TEST(JsonTest, JudgesABareNumberCompleteOnlyAtEndOfStream) {
  for (const char* bare : {"1", "12", " -0.5e3", "0", "1e9"}) {
    EXPECT_FALSE(internal::IsCompleteJson(bare)) << bare;
    double number = 0;
    EXPECT_TRUE(DecodeJson(bare, &number).ok()) << bare;  // At exit.
  }
  for (const char* closed :
       {"[12]", "{\"n\":12}", "\"12\"", "12\n", " -0.5e3 "}) {
    EXPECT_TRUE(internal::IsCompleteJson(closed)) << closed;
  }
}

TEST(JsonTest, RejectsFloatsOutOfRange) {
  EXPECT_THAT(std::string(DecodeError<float>("1e39").message()),
              HasSubstr("out of range"));
  EXPECT_THAT(
      std::string(DecodeError<std::vector<float>>("[0, -1e39]").message()),
      HasSubstr("$[1]: -1e+39 is out of range"));
  double large = 0;
  EXPECT_TRUE(DecodeJson("1e39", &large).ok());
  EXPECT_EQ(large, 1e39);
}

TEST(JsonTest, ReadsTheLargestFloatAsOtherLanguagesPrintIt) {
  float largest = 0;
  ASSERT_TRUE(DecodeJson("3.4028235e38", &largest).ok());
  EXPECT_EQ(largest, std::numeric_limits<float>::max());
  ASSERT_TRUE(DecodeJson("-3.4028235e38", &largest).ok());
  EXPECT_EQ(largest, -std::numeric_limits<float>::max());
  // Value and limit printed the same way, each exactly.
  EXPECT_THAT(std::string(DecodeError<float>("3.4028236e38").message()),
              HasSubstr("3.4028236e+38 is out of range for a float "
                        "[-3.4028235e+38, 3.4028235e+38]"));
}

TEST(JsonTest, KeepsTheSignOfNegativeZero) {
  for (const char* text : {"-0", "-0.0", "-0e5"}) {
    double zero = 1;
    ASSERT_TRUE(DecodeJson(text, &zero).ok()) << text;
    EXPECT_EQ(zero, 0.0) << text;
    EXPECT_TRUE(std::signbit(zero)) << text;
  }
  int integer = 1;
  ASSERT_TRUE(DecodeJson("-0", &integer).ok());
  EXPECT_EQ(integer, 0);
  unsigned natural = 1;
  ASSERT_TRUE(DecodeJson("-0", &natural).ok());
  EXPECT_EQ(natural, 0u);
}

TEST(JsonTest, ConvertsNumbersExactly) {
  double number = -1;
  ASSERT_TRUE(DecodeJson("0e38", &number).ok());
  EXPECT_EQ(number, 0.0);
  ASSERT_TRUE(DecodeJson("1e-400", &number).ok());  // Underflow.
  EXPECT_EQ(number, 0.0);
  ASSERT_TRUE(DecodeJson("4.9406564584124654e-324", &number).ok());
  EXPECT_EQ(number, std::numeric_limits<double>::denorm_min());
  ASSERT_TRUE(DecodeJson("18446744073709551616", &number).ok());  // 2^64
  EXPECT_EQ(number, 18446744073709551616.0);
  EXPECT_THAT(std::string(ValidateJson("[1, 2e308]").message()),
              HasSubstr("number too big for a double at offset"));
  std::int64_t integer = 0;
  ASSERT_TRUE(DecodeJson("-9223372036854775808", &integer).ok());
  EXPECT_EQ(integer, std::numeric_limits<std::int64_t>::min());
  EXPECT_THAT(
      std::string(DecodeError<std::int64_t>("-9223372036854775809").message()),
      HasSubstr("expected an integer, found a number"));
}

TEST(JsonTest, RefusesToEncodeNonFiniteNumbers) {
  for (const absl::Status& status :
       {TryEncodeJson(std::vector<double>{1, std::nan(""), 2}).status(),
        TryEncodeJson(HUGE_VALF).status(),
        TryEncodeJson(std::optional<double>(-HUGE_VAL)).status()}) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(status.message()),
                HasSubstr("has no JSON representation"));
  }
  EXPECT_EQ(EncodeJson(std::nan("")), "");  // Not JSON, never cut off.
  // A null is not read back as a number either.
  std::vector<double> numbers;
  EXPECT_THAT(std::string(DecodeJson("[1,null]", &numbers).message()),
              HasSubstr("$[1]: expected a number, found null"));
}

TEST(JsonTest, RefusesToEncodeADocumentHoldingNonFiniteNumbers) {
  rapidjson::Document document;
  document.SetArray();
  document.PushBack(1, document.GetAllocator());
  document.PushBack(std::nan(""), document.GetAllocator());
  const absl::StatusOr<std::string> json = TryEncodeJson(document);
  EXPECT_EQ(json.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(json.status().message()), HasSubstr("NaN"));
  // Nested in a container, the writer's nesting stays consistent.
  std::vector<rapidjson::Document> documents(2);
  documents[0].SetInt(1);
  documents[1].SetDouble(HUGE_VAL);
  EXPECT_FALSE(TryEncodeJson(documents).ok());
  documents[1].SetDouble(0.5);
  EXPECT_EQ(EncodeJson(documents), "[1,0.5]");
}

TEST(JsonTest, RefusesToEncodeARawJsonThatIsNotOneValueWhereverItIs) {
  const std::map<std::string, RawJson> injected_member = {
      {"a", RawJson{"1,\"admin\":true"}}};
  const absl::StatusOr<std::string> json = TryEncodeJson(injected_member);
  EXPECT_EQ(json.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(json.status().message()),
              HasSubstr("RawJson: not valid JSON"));
  EXPECT_FALSE(TryEncodeJson(std::vector<RawJson>{RawJson{"1,2"}}).ok());
  EXPECT_FALSE(TryEncodeJson(std::optional<RawJson>(RawJson{""})).ok());
  EXPECT_FALSE(TryEncodeJson(RawJson{"[1"}).ok());
  EXPECT_EQ(EncodeJson(std::vector<RawJson>{RawJson{" [1, 2] "}, RawJson{"3"}}),
            "[[1, 2],3]");
}

TEST(JsonTest, WholeRawJsonIsTheTextAsWritten) {
  const std::string text = "[18446744073709551616, -0, 1.50, \"\\u0041\"]";
  RawJson raw;
  ASSERT_TRUE(DecodeJson(" \n" + text + "\t", &raw).ok());
  EXPECT_EQ(raw.text, text);
  EXPECT_EQ(DecodeJson("[1] [2]", &raw).code(),
            absl::StatusCode::kInvalidArgument);
  std::string in_place = "1e400";
  EXPECT_EQ(internal::DecodeJsonInPlace(&in_place, &raw).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(JsonTest, TypedDecodingRefusesDuplicateKeysNamingThem) {
  std::map<std::string, int> map;
  const absl::Status status = DecodeJson(R"({"a":1,"b":0,"a":2})", &map);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("$: duplicate key \"a\""));
  Point point;
  EXPECT_THAT(
      std::string(DecodeJson(R"({"x":1,"y":2,"x":3})", &point).message()),
      HasSubstr("duplicate key \"x\""));
  std::vector<std::map<std::string, bool>> nested;
  EXPECT_THAT(
      std::string(
          DecodeJson(R"([{},{"k\n":true,"k\n":false}])", &nested).message()),
      HasSubstr("$[1]: duplicate key \"k\\n\""));
  // RawJson and Document keep the text as it is.
  rapidjson::Document document;
  ASSERT_TRUE(DecodeJson(R"({"a":1,"a":2})", &document).ok());
  EXPECT_EQ(document.MemberCount(), 2u);
  RawJson raw;
  ASSERT_TRUE(DecodeJson(R"({"a":1,"a":2})", &raw).ok());
  EXPECT_EQ(raw.text, R"({"a":1,"a":2})");
}

TEST(JsonTest, RejectsDeepNestingWithoutExhaustingTheStack) {
  const std::string at_limit =
      std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(ValidateJson(at_limit).ok());
  EXPECT_THAT(std::string(ValidateJson("[" + at_limit + "]").message()),
              HasSubstr("nested deeper than 256 arrays and objects at offset "
                        "256"));
  // Deep enough to overflow an 8 MiB stack in a recursive parser.
  const std::string deep(1000000, '[');
  RawJson raw;
  EXPECT_THAT(std::string(DecodeJson(deep, &raw).message()),
              HasSubstr("nested deeper than"));
}

}  // namespace
}  // namespace gons::reexec
