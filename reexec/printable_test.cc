// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/printable.h"

#include <string>

#include "gtest/gtest.h"

namespace gons::reexec::internal {
namespace {

TEST(PrintableTextTest, EscapesTerminalSequences) {
  EXPECT_EQ(PrintableText("ok\x1b[2J\rgone\a"), "ok\\x1b[2J\\x0dgone\\x07");
}

TEST(PrintableTextTest, KeepsNewlinesTabsAndUtf8) {
  EXPECT_EQ(PrintableText("line 1\n\tcaf\xc3\xa9 \xe2\x82\xac"),
            "line 1\n\tcaf\xc3\xa9 \xe2\x82\xac");
}

// U+009B is CSI for terminals that read C1 controls.
TEST(PrintableTextTest, EscapesC1ControlsAndInvalidUtf8) {
  EXPECT_EQ(PrintableText("a\xc2\x9b"
                          "b\x9b"
                          "c\xc0\xaf\x7f"),
            "a\\xc2\\x9bb\\x9bc\\xc0\\xaf\\x7f");
}

TEST(PrintableTextTest, DoublesBackslashesSoNoEscapeCanBeFaked) {
  EXPECT_EQ(PrintableText("\\x1b"), "\\\\x1b");
  EXPECT_EQ(PrintableText(std::string("\0", 1)), "\\x00");
}

}  // namespace
}  // namespace gons::reexec::internal
