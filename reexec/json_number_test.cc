// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Numbers that RapidJSON's own reader refuses although they are in range,
// and the conversion behind them.

#include "reexec/json_number.h"

#include <cmath>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "reexec/json.h"

namespace gons::reexec {
namespace {

using ::testing::HasSubstr;

TEST(JsonNumberTest, ReadsInRangeNumbersWhateverTheirExponent) {
  const std::string long_one = "1" + std::string(309, '0') + "e-10";
  struct Case {
    std::string text;
    double value;
  };
  for (const Case& c : std::vector<Case>{
           {"0e309", 0.0},
           {"0.0e999", 0.0},
           {"0E+99999999999999999999", 0.0},
           {long_one, 1e299},
           {"1" + std::string(400, '0') + "e-400", 1.0},
           {"0." + std::string(400, '0') + "1e401", 1.0},
           {"123e-10000000", 0.0},  // Underflow: JSONTestSuite i_ case.
       }) {
    double number = -1;
    const absl::Status status = DecodeJson(c.text, &number);
    ASSERT_TRUE(status.ok()) << c.text << ": " << status;
    EXPECT_EQ(number, c.value) << c.text;
    rapidjson::Document document;
    ASSERT_TRUE(DecodeJson("[" + c.text + "]", &document).ok()) << c.text;
    EXPECT_EQ(document[0].GetDouble(), c.value) << c.text;
    RawJson raw;
    ASSERT_TRUE(DecodeJson(c.text, &raw).ok()) << c.text;
    EXPECT_EQ(raw.text, c.text);
    EXPECT_TRUE(TryEncodeJson(raw).ok()) << c.text;
  }
  // What is beyond a double's range stays a clear refusal.
  for (const char* big : {"1e309", "-2e308",
                          "1"
                          "0e99999999999999999999"}) {
    double number = 0;
    const absl::Status status = DecodeJson(big, &number);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << big;
    EXPECT_THAT(std::string(status.message()),
                HasSubstr("number too big for a double at offset 0"));
  }
}

TEST(JsonNumberTest, ConvertsIntegersExactlyAndTheRestToTheNearestDouble) {
  internal::JsonNumber number;
  ASSERT_TRUE(internal::ConvertJsonNumber("18446744073709551615", &number));
  EXPECT_EQ(number.kind, internal::JsonNumber::Kind::kUnsigned);
  EXPECT_EQ(number.unsigned_value, 18446744073709551615u);
  ASSERT_TRUE(internal::ConvertJsonNumber("-9223372036854775808", &number));
  EXPECT_EQ(number.kind, internal::JsonNumber::Kind::kSigned);
  ASSERT_TRUE(internal::ConvertJsonNumber("-0", &number));
  EXPECT_EQ(number.kind, internal::JsonNumber::Kind::kDouble);
  EXPECT_TRUE(std::signbit(number.double_value));
  ASSERT_TRUE(internal::ConvertJsonNumber("0.1", &number));
  EXPECT_EQ(number.double_value, 0.1);
  // Halfway cases between two doubles, which a sloppy conversion misses.
  ASSERT_TRUE(internal::ConvertJsonNumber("9007199254740993", &number));
  EXPECT_EQ(number.kind, internal::JsonNumber::Kind::kUnsigned);
  ASSERT_TRUE(internal::ConvertJsonNumber("9007199254740993.0", &number));
  EXPECT_EQ(number.double_value, 9007199254740992.0);
  EXPECT_FALSE(internal::ConvertJsonNumber("1e400", &number));
}

TEST(JsonNumberTest, NonFiniteValuesAreNeverSentSoNullNeverStandsForOne) {
  // NaN is not encoded as null (which would come back as no number, or
  // as an empty optional): it is refused before anything is sent.
  for (const absl::Status& status :
       {TryEncodeJson(std::vector<double>{NAN}).status(),
        TryEncodeJson(std::optional<double>(NAN)).status(),
        TryEncodeJson(std::optional<float>(-INFINITY)).status()}) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(status.message()),
                HasSubstr("has no JSON representation"));
  }
  std::optional<double> maybe = 1.0;
  ASSERT_TRUE(DecodeJson("null", &maybe).ok());
  EXPECT_FALSE(maybe.has_value());
  std::vector<double> numbers;
  EXPECT_FALSE(DecodeJson("[null]", &numbers).ok());
}

TEST(JsonNumberTest, FloatLimitMessagePrintsValueAndLimitAlike) {
  float value = 0;
  const absl::Status status = DecodeJson("[-3.4028236e38]", &value);
  EXPECT_FALSE(status.ok());
  std::vector<float> values;
  EXPECT_THAT(std::string(DecodeJson("[-3.4028236e38]", &values).message()),
              HasSubstr("$[0]: -3.4028236e+38 is out of range for a float "
                        "[-3.4028235e+38, 3.4028235e+38]"));
}

}  // namespace
}  // namespace gons::reexec
