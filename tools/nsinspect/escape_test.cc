// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/escape.h"

#include <string>

#include "gtest/gtest.h"

namespace gons::nsinspect {
namespace {

TEST(EscapeTest, EscapesControlCharactersAsFindmntDoes) {
  EXPECT_EQ(EscapeForTable("eth0"), "eth0");
  EXPECT_EQ(EscapeForTable("a\nb"), "a\\x0ab");
  EXPECT_EQ(EscapeForTable("\x1b[2J"), "\\x1b[2J");
  EXPECT_EQ(EscapeForTable("tab\there"), "tab\\x09here");
  EXPECT_EQ(EscapeForTable("del\x7f"), "del\\x7f");
  EXPECT_EQ(EscapeForTable("back\\slash"), "back\\x5cslash");
  // U+009B CSI, a C1 control some terminals obey.
  EXPECT_EQ(EscapeForTable("c1\xc2\x9b"), "c1\\xc2\\x9b");
}

TEST(EscapeTest, KeepsPrintableUtf8AndEscapesInvalidBytes) {
  EXPECT_EQ(EscapeForTable("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(EscapeForTable("caf\xe9"), "caf\\xe9");
  EXPECT_EQ(EscapeForTable("\xc0\xaf"), "\\xc0\\xaf");           // Overlong.
  EXPECT_EQ(EscapeForTable("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // Surrogate.
  EXPECT_EQ(EscapeForTable("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");
}

TEST(EscapeTest, ReplacesInvalidBytesForJson) {
  EXPECT_EQ(ToValidUtf8("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(ToValidUtf8("caf\xe9"), "caf\xef\xbf\xbd");
  EXPECT_EQ(ToValidUtf8("\xff\xfe"), "\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(ToValidUtf8("\xe2\x82"), "\xef\xbf\xbd\xef\xbf\xbd");  // Cut.
  EXPECT_EQ(ToValidUtf8("a\nb"), "a\nb");  // The JSON writer escapes it.
}

}  // namespace
}  // namespace gons::nsinspect
