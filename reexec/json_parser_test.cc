// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// What parsing in place does to its text: a top-level string moved to the
// front as it is scanned (and back when it fails), and a NUL byte named
// only where it was in the text.

#include "reexec/json_parser.h"

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "reexec/json.h"

namespace gons::reexec {
namespace {

using ::testing::HasSubstr;

// Parses `text` in place and returns the top-level string's value, or the
// error; `*at` is its offset in the text.
absl::Status ParseString(std::string* text, std::string* value,
                         std::size_t* at) {
  rapidjson::Document document;
  absl::Status status = internal::ParseJsonInPlace(text, &document);
  if (!status.ok()) return status;
  if (!document.IsString()) return absl::InternalError("not a string");
  value->assign(document.GetString(), document.GetStringLength());
  *at = static_cast<std::size_t>(document.GetString() - text->data());
  return absl::OkStatus();
}

TEST(JsonParserTest, MovesATopLevelStringToWhereItsJsonBegan) {
  std::string value;
  std::size_t at = 99;
  std::string text = "\"plain\"";
  ASSERT_TRUE(ParseString(&text, &value, &at).ok());
  EXPECT_EQ(value, "plain");
  EXPECT_EQ(at, 0u);
  text = "  \"a\\nb\\u00e9\\ud83d\\ude00\\\"\" \n";
  ASSERT_TRUE(ParseString(&text, &value, &at).ok());
  EXPECT_EQ(value, "a\nb\xc3\xa9\xf0\x9f\x98\x80\"");
  EXPECT_EQ(at, 2u);  // White space before it stays.
  text = "\"\"";
  ASSERT_TRUE(ParseString(&text, &value, &at).ok());
  EXPECT_EQ(value, "");
  // Escapes and multi-byte characters at every offset of the blocks the
  // scan moves (64 bytes, 32 and 16, then byte by byte).
  for (const absl::string_view spelled :
       {absl::string_view("\\t"), absl::string_view("\xe2\x82\xac")}) {
    const std::string decoded = spelled == "\\t" ? "\t" : std::string(spelled);
    for (std::size_t offset = 0; offset < 200; ++offset) {
      std::string expected(300, 'v');
      for (std::size_t i = 0; i < expected.size(); ++i) {
        expected[i] = static_cast<char>('a' + i % 26);
      }
      std::string json = expected;
      expected.replace(offset, 1, decoded);
      json.replace(offset, 1, spelled.data(), spelled.size());
      text = "\"" + json + "\"";
      ASSERT_TRUE(ParseString(&text, &value, &at).ok()) << offset;
      EXPECT_EQ(value, expected) << offset;
      EXPECT_EQ(at, 0u);
    }
  }
}

TEST(JsonParserTest, LeavesEverythingButATopLevelStringAsItWas) {
  const std::string original = "[\"a\\nb\", {\"k\\t\": \"v\"}, \"x\"]";
  std::string text = original;
  rapidjson::Document document;
  ASSERT_TRUE(internal::ParseJsonInPlace(&text, &document).ok());
  EXPECT_EQ(text, original);
  EXPECT_STREQ(document[0].GetString(), "a\nb");
}

TEST(JsonParserTest, MovesAFailedTopLevelStringBack) {
  std::string value;
  std::size_t at = 0;
  // Without escapes, the text is as written.
  const std::vector<std::string> failing = {
      "\"abcdef",  "\"abc\xff\"",   "\"abc\x01\"",
      "\"ab\\x\"", "\"ab\\ud800\"", "\"" + std::string(100, 'p') + "\" x"};
  for (const std::string& original : failing) {
    std::string text = original;
    const absl::Status status = ParseString(&text, &value, &at);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << original;
    EXPECT_EQ(text, original);
  }
  std::string text = "\"abcdef";
  EXPECT_THAT(
      std::string(ParseString(&text, &value, &at).message()),
      HasSubstr("a string without its closing quote at offset 0 of 7 (from "
                "there: \"\\\"abcdef\")"));
  // With an escape, as decoding in place leaves it: as written up to the
  // escape, decoded from there.
  text = "\"ab\\ncd";
  EXPECT_FALSE(ParseString(&text, &value, &at).ok());
  EXPECT_EQ(text, "\"ab\ncdd");
}

TEST(JsonParserTest, NamesANulByteOnlyWhereTheTextHadOne) {
  std::string value;
  std::size_t at = 0;
  // A NUL decoded from \u0000 is the value's, not the text's.
  std::string text = "\"\\u0000\"";
  ASSERT_TRUE(ParseString(&text, &value, &at).ok());
  EXPECT_EQ(value, std::string(1, '\0'));
  text = std::string("\"\\u0000\" \0", 10);
  EXPECT_THAT(std::string(ParseString(&text, &value, &at).message()),
              HasSubstr("a NUL byte at offset 9 of 10"));
  text = "\"\\u0000";
  EXPECT_THAT(std::string(ParseString(&text, &value, &at).message()),
              HasSubstr("a string without its closing quote"));
  // Before, inside and after a string, in place or not.
  for (const absl::string_view nul :
       {absl::string_view("\0\"ab\"", 5), absl::string_view("\"a\0b\"", 5),
        absl::string_view("\"ab\\n\0", 6), absl::string_view("[1, \0]", 6)}) {
    const std::size_t offset = nul.find('\0');
    const std::string expected = "a NUL byte at offset " +
                                 std::to_string(offset) + " of " +
                                 std::to_string(nul.size());
    text = std::string(nul);
    EXPECT_THAT(std::string(ParseString(&text, &value, &at).message()),
                HasSubstr(expected));
    EXPECT_THAT(std::string(ValidateJson(nul).message()), HasSubstr(expected));
    std::vector<internal::JsonSpan> spans = {{1, 2}};
    EXPECT_FALSE(internal::FindJsonValueSpans(nul, &spans).ok());
    EXPECT_TRUE(spans.empty());
  }
  EXPECT_TRUE(ValidateJson("[\"\\u0000\"]").ok());
}

}  // namespace
}  // namespace gons::reexec
