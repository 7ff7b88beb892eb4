// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/json_utf8.h"

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gons::reexec::internal {
namespace {

using ::testing::HasSubstr;

TEST(JsonUtf8Test, AcceptsEveryScalarValueAndNothingElse) {
  // Every code point: scalar values encode to sequences the validator
  // takes whole; surrogates, spelled as UTF-8 would spell them, are refused.
  for (char32_t code_point = 0; code_point <= 0x10ffff; ++code_point) {
    char bytes[4];
    std::size_t size = 0;
    if (code_point >= 0xd800 && code_point <= 0xdfff) {
      bytes[0] = static_cast<char>(0xe0 | (code_point >> 12));
      bytes[1] = static_cast<char>(0x80 | ((code_point >> 6) & 0x3f));
      bytes[2] = static_cast<char>(0x80 | (code_point & 0x3f));
      ASSERT_EQ(Utf8SequenceLength(absl::string_view(bytes, 3)), 0u)
          << code_point;
      continue;
    }
    size = WriteUtf8(code_point, bytes);
    ASSERT_EQ(Utf8SequenceLength(absl::string_view(bytes, size)), size)
        << code_point;
    // Cut short, no sequence is valid.
    for (std::size_t cut = 1; cut < size; ++cut) {
      ASSERT_EQ(Utf8SequenceLength(absl::string_view(bytes, cut)), 0u)
          << code_point;
    }
  }
}

TEST(JsonUtf8Test, RefusesWhatRfc3629Excludes) {
  for (const char* bad : {
           "\x80",              // A continuation byte alone.
           "\xc0\xaf",          // Overlong "/".
           "\xc1\xbf",          // Overlong.
           "\xe0\x80\xaf",      // Overlong, 3 bytes.
           "\xf0\x80\x80\xaf",  // Overlong, 4 bytes.
           "\xed\xa0\x80",      // U+D800.
           "\xed\xbf\xbf",      // U+DFFF.
           "\xf4\x90\x80\x80",  // U+110000.
           "\xf5\x80\x80\x80",  // Beyond.
           "\xff", "\xfe",
           "\xe2\x82",      // Cut.
           "\xe2\x28\xa1",  // Second byte not a continuation.
       }) {
    EXPECT_EQ(FindInvalidUtf8(bad), 0u) << absl::string_view(bad);
  }
  EXPECT_EQ(FindInvalidUtf8("\xf4\x8f\xbf\xbf"), absl::string_view::npos);
}

TEST(JsonUtf8Test, FindsTheFirstInvalidByteAtEveryOffset) {
  // Across the 16-byte blocks of the ASCII fast path, and after valid
  // multi-byte sequences.
  for (std::size_t at = 0; at < 40; ++at) {
    std::string text(40, 'a');
    text[at] = '\xff';
    EXPECT_EQ(FindInvalidUtf8(text), at);
    std::string wide = "\xc3\xa9" + text;
    EXPECT_EQ(FindInvalidUtf8(wide), at + 2);
  }
  EXPECT_EQ(FindInvalidUtf8(std::string(40, 'a')), absl::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8(""), absl::string_view::npos);
}

TEST(JsonUtf8Test, FindsTheFirstInvalidByteOfShortTexts) {
  // Shorter than a block: ASCII byte by byte, then a sequence; one cut off
  // at the end is invalid where it starts.
  for (std::size_t size = 1; size < 16; ++size) {
    for (std::size_t at = 0; at < size; ++at) {
      std::string text(size, 'k');
      text[at] = '\x80';
      EXPECT_EQ(FindInvalidUtf8(text), at) << size;
    }
    const std::string ascii(size, 'k');
    EXPECT_EQ(FindInvalidUtf8(ascii + "\xe2\x82\xac"), absl::string_view::npos);
    EXPECT_EQ(FindInvalidUtf8(ascii + "\xe2\x82"), size);
  }
}

TEST(JsonUtf8Test, CheckNamesWhatWhereAndTheWayOut) {
  EXPECT_TRUE(CheckUtf8("caf\xc3\xa9", "a string").ok());
  const absl::Status status = CheckUtf8("caf\xe9", "a string");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("a string is not valid UTF-8: byte 3 (0xe9)"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("gons::reexec::Bytes"));
}

}  // namespace
}  // namespace gons::reexec::internal
