// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// AppendIndentedJson against RapidJSON's PrettyWriter on the same values:
// hand-picked ones and a few thousand generated at random (fixed seed).

#include "tools/nsinspect/json_indent.h"

#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace gons::nsinspect {
namespace {

std::string Compact(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string Pretty(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string Indented(const std::string& compact, int depth = 0) {
  std::string out;
  EXPECT_TRUE(AppendIndentedJson(compact, depth, &out)) << compact;
  return out;
}

// A random value at most `levels` deep: every JSON type, empty and full
// containers, strings with every kind of escape.
void RandomValue(std::mt19937& random, int levels, rapidjson::Value* value,
                 rapidjson::Document::AllocatorType& allocator) {
  const auto pick = [&random](int n) {
    return static_cast<int>(random() % static_cast<unsigned>(n));
  };
  const auto random_string = [&] {
    static const char* const kPieces[] = {"a",
                                          "name",
                                          " ",
                                          "\"",
                                          "\\",
                                          "/",
                                          "\n",
                                          "\t",
                                          "\x01",
                                          "\x1f",
                                          "\x7f",
                                          "\xc3\xa9",
                                          "\xe2\x82\xac",
                                          "\xf0\x9f\x98\x80",
                                          ":",
                                          ",",
                                          "{",
                                          "}",
                                          "[",
                                          "]"};
    std::string text;
    for (int n = pick(6); n > 0; --n) text += kPieces[pick(20)];
    return text;
  };
  switch (levels > 0 ? pick(8) : pick(6)) {
    case 0:
      value->SetNull();
      break;
    case 1:
      value->SetBool(pick(2) == 1);
      break;
    case 2:
      value->SetInt64(static_cast<std::int64_t>(random()) - (1ll << 31));
      break;
    case 3:
      value->SetDouble(static_cast<double>(random()) / 7.0 - 1e6);
      break;
    case 4:
    case 5: {
      const std::string text = random_string();
      value->SetString(text.data(),
                       static_cast<rapidjson::SizeType>(text.size()),
                       allocator);
      break;
    }
    case 6: {
      value->SetArray();
      for (int n = pick(4); n > 0; --n) {
        rapidjson::Value element;
        RandomValue(random, levels - 1, &element, allocator);
        value->PushBack(element, allocator);
      }
      break;
    }
    default: {
      value->SetObject();
      for (int n = pick(4); n > 0; --n) {
        const std::string key = random_string();
        rapidjson::Value name(key.data(),
                              static_cast<rapidjson::SizeType>(key.size()),
                              allocator);
        rapidjson::Value member;
        RandomValue(random, levels - 1, &member, allocator);
        value->AddMember(name, member, allocator);
      }
      break;
    }
  }
}

TEST(JsonIndentTest, IndentsAsTheHeaderShows) {
  EXPECT_EQ(Indented(R"({"a":[1,2],"b":{}})"),
            "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}");
  EXPECT_EQ(Indented("[]"), "[]");
  EXPECT_EQ(Indented("-1.5e3"), "-1.5e3");
  EXPECT_EQ(Indented(R"("a\"b\\")"), R"("a\"b\\")");
}

TEST(JsonIndentTest, WritesWhatPrettyWriterWritesForRandomValues) {
  std::mt19937 random(20261208);
  for (int i = 0; i < 3000; ++i) {
    rapidjson::Document document;
    RandomValue(random, 5, &document, document.GetAllocator());
    const std::string compact = Compact(document);
    const std::string pretty = Pretty(document);
    ASSERT_EQ(Indented(compact), pretty) << compact;
    // Two levels deeper: every line after the first, four spaces more.
    ASSERT_EQ(Indented(compact, 2),
              absl::StrReplaceAll(pretty, {{"\n", "\n    "}}))
        << compact;
  }
}

TEST(JsonIndentTest, ReplacesBytesThatAreNotUtf8) {
  // Raw bytes as a writer that does not validate leaves them; next to an
  // escape, a lone lead byte stays invalid.
  EXPECT_EQ(
      Indented("{\"caf\xe9\":\"\xc3\\n\xa9ok\xc3\xa9\"}"),
      "{\n  \"caf\xef\xbf\xbd\": \"\xef\xbf\xbd\\n\xef\xbf\xbdok\xc3\xa9\"\n}");
}

TEST(JsonIndentTest, RefusesWhatIsNotCompactJson) {
  for (const char* text : {"",           "{",      "[1,]",       "{\"a\"}",
                           "{\"a\":1,}", "\"abc",  "[1 2]",      " 1",
                           "[1]]",       "{1:2}",  "[1:2]",      "{\"a\",1}",
                           "1x",         "[1,,2]", "{\"a\"::1}", "[\"a\"\"b\"]",
                           "{}{}",       "[}",     "{]",         "[\n]",
                           ",",          "\"a\\"}) {
    std::string out;
    EXPECT_FALSE(AppendIndentedJson(text, 0, &out)) << text;
  }
}

}  // namespace
}  // namespace gons::nsinspect
