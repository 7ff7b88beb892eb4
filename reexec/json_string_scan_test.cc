// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/json_string_scan.h"

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "reexec/json_utf8.h"

namespace gons::reexec::internal {
namespace {

constexpr std::size_t kNowhere = absl::string_view::npos;

// Runs `check` with the widest scans the processor has, then with SSE2
// ones only.
template <typename Check>
void ForEveryWidth(Check check) {
  for (const bool widest : {true, false}) {
    SCOPED_TRACE(widest ? "widest" : "SSE2");
    UseWidestStringScan(widest);
    check();
  }
  UseWidestStringScan(true);
}

// Lengths and offsets that put a byte at every place of the 64-byte,
// 32-byte and 16-byte blocks the scans read, and in the bytes after them.
constexpr std::size_t kLength = 200;

TEST(JsonStringScanTest, SkipStopsAtEveryKindOfStopWhereverItIs) {
  ForEveryWidth([] {
    for (const char stop :
         {'"', '\\', '\0', '\n', '\x1f', '\x80', '\xc3', '\xff'}) {
      for (std::size_t at = 0; at < kLength; ++at) {
        std::string text(kLength, 'a');
        text[at] = stop;
        EXPECT_EQ(SkipPlainStringBytes(text, 0), at) << int{stop} << " " << at;
        // From any start before it, and from it.
        EXPECT_EQ(SkipPlainStringBytes(text, at / 2), at) << at;
        EXPECT_EQ(SkipPlainStringBytes(text, at), at) << at;
      }
    }
  });
}

TEST(JsonStringScanTest, SkipPassesEveryPlainByte) {
  ForEveryWidth([] {
    std::string plain;
    for (int byte = 0x20; byte < 0x80; ++byte) {
      if (byte != '"' && byte != '\\') plain.push_back(static_cast<char>(byte));
    }
    const std::string text = plain + plain + plain;  // Over 64 bytes.
    EXPECT_EQ(SkipPlainStringBytes(text, 0), text.size());
    EXPECT_EQ(SkipPlainStringBytes("", 0), 0u);
    EXPECT_EQ(SkipPlainStringBytes("ab", 2), 2u);
    EXPECT_EQ(SkipPlainStringBytes("ab", 5), 5u);  // Past the end: itself.
  });
}

TEST(JsonStringScanTest, MoveCopiesWhatItSkipsTowardsTheFront) {
  ForEveryWidth([] {
    for (const std::size_t shift : {std::size_t{1}, std::size_t{7}}) {
      for (std::size_t stop = shift; stop <= kLength; ++stop) {
        std::string original(kLength, ' ');
        for (std::size_t i = 0; i < kLength; ++i) {
          original[i] = static_cast<char>('a' + i % 26);
        }
        if (stop < kLength) original[stop] = '"';
        std::string text = original;
        const std::size_t end = MovePlainStringBytes(text, shift, text.data());
        ASSERT_EQ(end, stop) << shift << " " << stop;
        // The run moved to the front; the stop and what follows untouched.
        EXPECT_EQ(text.substr(0, stop - shift),
                  original.substr(shift, stop - shift))
            << shift << " " << stop;
        EXPECT_EQ(text.substr(stop), original.substr(stop)) << stop;
      }
    }
  });
}

TEST(JsonStringScanTest, MoveCopiesIntoAnotherBuffer) {
  ForEveryWidth([] {
    const std::string text = std::string(100, 'x') + "\\" + "tail";
    std::string to(200, '#');
    EXPECT_EQ(MovePlainStringBytes(text, 3, to.data()), 100u);
    EXPECT_EQ(to, std::string(97, 'x') + std::string(103, '#'));
  });
}

TEST(JsonStringScanTest, ScanFindsTheFirstEscapeAndChecksUtf8) {
  ForEveryWidth([] {
    EXPECT_EQ(ScanStringContent("").first_escape, kNowhere);
    EXPECT_EQ(ScanStringContent("").invalid_utf8, kNowhere);
    for (std::size_t at = 0; at < kLength; ++at) {
      std::string text(kLength, 'a');
      text[at] = '\n';
      text[kLength - 1] = '"';  // A later escape changes nothing.
      const StringContentScan scan = ScanStringContent(text);
      EXPECT_EQ(scan.first_escape, at) << at;
      EXPECT_EQ(scan.invalid_utf8, kNowhere) << at;
    }
    // Valid sequences of every length before the first escape, and after.
    const std::string text =
        "caf\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80\t\xc3\xa9";
    EXPECT_EQ(ScanStringContent(text).first_escape, 13u);
    EXPECT_EQ(ScanStringContent(text).invalid_utf8, kNowhere);
    EXPECT_EQ(ScanStringContent(std::string(300, '\x7f')).first_escape,
              kNowhere);
  });
}

TEST(JsonStringScanTest, ScanFindsInvalidUtf8BeforeAndAfterTheFirstEscape) {
  ForEveryWidth([] {
    // Sequences cut, overlong, surrogates, beyond U+10FFFF, stray
    // continuation bytes: at every offset, so across every block border,
    // before an escape and after one.
    for (const absl::string_view bad :
         {absl::string_view("\xc3"), absl::string_view("\xc0\xaf"),
          absl::string_view("\xed\xa0\x80"),
          absl::string_view("\xf4\x90\x80\x80"), absl::string_view("\x80"),
          absl::string_view("\xe2\x82")}) {
      for (std::size_t at = 0; at + bad.size() <= kLength; ++at) {
        std::string text(kLength, 'a');
        text.replace(at, bad.size(), bad.data(), bad.size());
        EXPECT_EQ(ScanStringContent(text).invalid_utf8, FindInvalidUtf8(text))
            << at;
        EXPECT_EQ(ScanStringContent(text).invalid_utf8, at) << at;
        std::string escaped_first = text;
        escaped_first.insert(0, "\\");
        const StringContentScan scan = ScanStringContent(escaped_first);
        EXPECT_EQ(scan.first_escape, 0u);
        EXPECT_EQ(scan.invalid_utf8, at + 1) << at;
      }
    }
    // A valid sequence that straddles a 64-byte block.
    for (std::size_t at = 60; at < 66; ++at) {
      std::string text(kLength, 'a');
      text.replace(at, 4, "\xf0\x9f\x98\x80");
      EXPECT_EQ(ScanStringContent(text).invalid_utf8, kNowhere) << at;
    }
  });
}

}  // namespace
}  // namespace gons::reexec::internal
