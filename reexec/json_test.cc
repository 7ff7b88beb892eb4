// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/json.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
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
  EXPECT_EQ(RoundTrip(std::string("a \"quoted\"\n\0 string", 20)),
            std::string("a \"quoted\"\n\0 string", 20));
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
  EXPECT_EQ(raw.text, "{\"k\":[1,2]}");
  EXPECT_EQ(EncodeJson(std::vector<RawJson>{raw}), "[{\"k\":[1,2]}]");
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

}  // namespace
}  // namespace gons::reexec
