// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The UTF-8 policy of json.h, both ways, and Bytes for what is not UTF-8.

#include "reexec/json_string.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "reexec/json.h"

namespace gons::reexec {
namespace {

using ::testing::HasSubstr;

std::string EveryByte() {
  std::string bytes;
  for (int byte = 0; byte < 256; ++byte) {
    bytes.push_back(static_cast<char>(byte));
  }
  return bytes;
}

TEST(JsonStringTest, RefusesToEncodeInvalidUtf8WhereverItIs) {
  const std::string invalid = "caf\xe9";
  std::vector<absl::Status> statuses = {
      TryEncodeJson(invalid).status(),
      TryEncodeJson(std::vector<std::string>{"ok", invalid}).status(),
      TryEncodeJson(std::map<std::string, int>{{invalid, 1}}).status(),
      TryEncodeJson(RawJson{"\"caf\xe9\""}).status(),
  };
  rapidjson::Document document;
  document.SetString(invalid.data(), static_cast<rapidjson::SizeType>(4),
                     document.GetAllocator());
  statuses.push_back(TryEncodeJson(document).status());
  for (const absl::Status& status : statuses) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_THAT(std::string(status.message()), HasSubstr("UTF-8"));
  }
  EXPECT_THAT(std::string(statuses[0].message()), HasSubstr("byte 3 (0xe9)"));
  EXPECT_EQ(EncodeJson(invalid), "");  // Never sent.
}

// The encoder checks UTF-8 in its own scan, a 64 KiB window at a time:
// what it says and accepts is what a check of its own would.
TEST(JsonStringTest, EncodingChecksUtf8AsASeparateCheckWould) {
  constexpr std::size_t kWindow = 64 * 1024;
  for (const std::size_t at :
       {std::size_t{0}, std::size_t{63}, kWindow - 3, kWindow - 2, kWindow - 1,
        kWindow, 2 * kWindow - 1}) {
    // Valid sequences across the window's end (and the scan's blocks).
    for (const absl::string_view good :
         {absl::string_view("\xc3\xa9"), absl::string_view("\xe2\x82\xac"),
          absl::string_view("\xf0\x9f\x98\x80")}) {
      std::string text(2 * kWindow + 10, 'g');
      text.replace(at, good.size(), good.data(), good.size());
      text[at + 5] = '"';  // An escape right after it.
      const absl::StatusOr<std::string> json = TryEncodeJson(text);
      ASSERT_TRUE(json.ok()) << at << " " << json.status();
      std::string decoded;
      ASSERT_TRUE(DecodeJson(*json, &decoded).ok());
      EXPECT_TRUE(decoded == text) << at;
    }
    // Cut or invalid sequences there, after an escape and before one.
    for (const absl::string_view bad :
         {absl::string_view("\xc3"), absl::string_view("\xe2\x82"),
          absl::string_view("\xf0\x9f\x98"), absl::string_view("\xed\xa0\x80"),
          absl::string_view("\xbf")}) {
      std::string text(2 * kWindow + 10, 'b');
      text.replace(at, bad.size(), bad.data(), bad.size());
      if (at > 0) text[at - 1] = '\n';
      text[at + 4] = '\\';
      const absl::Status status = TryEncodeJson(text).status();
      EXPECT_EQ(status,
                internal::AtLocation(internal::CheckUtf8(text, "a string"),
                                     "cannot encode as JSON: "))
          << at;
      EXPECT_THAT(std::string(status.message()),
                  HasSubstr(absl::StrCat("byte ", at, " (")));
    }
  }
  EXPECT_EQ(EncodeJson(std::string()), "\"\"");
}

TEST(JsonStringTest, RefusesToDecodeInvalidUtf8NamingTheOffset) {
  const std::string text = "[\"ok\", \"caf\xe9\"]";
  std::vector<std::string> strings;
  const absl::Status typed = DecodeJson(text, &strings);
  EXPECT_EQ(typed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(typed.message()),
              HasSubstr("invalid UTF-8 in a string at offset 11"));
  RawJson raw;
  EXPECT_FALSE(DecodeJson(text, &raw).ok());
  rapidjson::Document document;
  EXPECT_FALSE(DecodeJson(text, &document).ok());
  // In a key, and in a long string past the fast path's blocks.
  std::map<std::string, int> map;
  EXPECT_FALSE(DecodeJson("{\"\xc0\xaf\": 1}", &map).ok());
  std::string value;
  EXPECT_THAT(
      std::string(
          DecodeJson("\"" + std::string(100, 'a') + "\xed\xa0\x80\"", &value)
              .message()),
      HasSubstr("at offset 101"));
  // Valid UTF-8 of every length passes, raw or escaped.
  ASSERT_TRUE(
      DecodeJson("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", &value).ok());
  EXPECT_EQ(value, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
  ASSERT_TRUE(DecodeJson("\"\\u00e9\\u20ac\\ud83d\\ude00\"", &value).ok());
  EXPECT_EQ(value, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
}

TEST(JsonStringTest, RefusesLoneSurrogatesHighAndLowEverywhere) {
  for (const char* text :
       {"\"\\ud800\"", "\"\\udc00\"", "\"\\udbff\\u0041\"", "\"a\\udfff\"",
        "\"\\ud800\\ud800\"", "\"\\udc00\\ud800\"", "\"\\ud800"}) {
    std::string value;
    const absl::Status typed = DecodeJson(text, &value);
    EXPECT_EQ(typed.code(), absl::StatusCode::kInvalidArgument) << text;
    RawJson raw;
    EXPECT_FALSE(DecodeJson(text, &raw).ok()) << text;
    rapidjson::Document document;
    EXPECT_FALSE(DecodeJson(text, &document).ok()) << text;
    EXPECT_FALSE(TryEncodeJson(RawJson{text}).ok()) << text;
  }
  std::vector<std::string> values;
  EXPECT_THAT(std::string(DecodeJson("[\"\\udc00\"]", &values).message()),
              HasSubstr("lone surrogate \\udc00 (not a Unicode scalar value"));
  EXPECT_THAT(std::string(DecodeJson("[\"x\\uD800\"]", &values).message()),
              HasSubstr("lone surrogate \\uD800"));
}

TEST(JsonStringTest, BytesRoundTripEveryByteValue) {
  const Bytes every{EveryByte()};
  const std::string json = EncodeJson(every);
  // Standard base64, as Python's base64.b64encode() or Go's
  // base64.StdEncoding print it.
  EXPECT_EQ(json.substr(0, 12), "\"AAECAwQFBgc");
  EXPECT_EQ(json.substr(json.size() - 6), "+/w==\"");
  EXPECT_TRUE(ValidateJson(json).ok());
  Bytes decoded;
  ASSERT_TRUE(DecodeJson(json, &decoded).ok());
  EXPECT_EQ(decoded, every);
  // Each byte alone, and at each length modulo 3.
  for (int byte = 0; byte < 256; ++byte) {
    for (std::size_t length = 1; length <= 3; ++length) {
      const Bytes one{std::string(length, static_cast<char>(byte))};
      Bytes back;
      ASSERT_TRUE(DecodeJson(EncodeJson(one), &back).ok()) << byte;
      EXPECT_EQ(back, one) << byte;
    }
  }
  EXPECT_EQ(EncodeJson(Bytes{std::string("\xff\x00", 2)}), "\"/wA=\"");
  EXPECT_EQ(EncodeJson(Bytes{}), "\"\"");
}

TEST(JsonStringTest, BytesAcceptOnlyCanonicalBase64) {
  for (const char* text : {"\"/wA\"", "\"/w A=\"", "\"_wA=\"", "\"/wA=\\n\"",
                           "\"/w==A\"", "1", "\"*\""}) {
    Bytes bytes;
    const absl::Status status = DecodeJson(text, &bytes);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << text;
  }
  std::vector<Bytes> nested;
  EXPECT_THAT(std::string(DecodeJson("[\"AA==\", \"A\"]", &nested).message()),
              HasSubstr("$[1]: expected base64"));
}

}  // namespace
}  // namespace gons::reexec
