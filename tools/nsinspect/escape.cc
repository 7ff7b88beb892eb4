// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/escape.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace gons::nsinspect {
namespace {

// Returns the length of the valid UTF-8 sequence at `at` (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), or 0, and its code
// point in `code_point`.
std::size_t Utf8SequenceAt(absl::string_view text, std::size_t at,
                           std::uint32_t* code_point) {
  const auto byte = [&](std::size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  const unsigned char lead = byte(at);
  std::size_t length;
  std::uint32_t value;
  std::uint32_t minimum;
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  } else if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2, value = lead & 0x1f, minimum = 0x80;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3, value = lead & 0x0f, minimum = 0x800;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xc0) != 0x80) return 0;
    value = (value << 6) | (byte(at + i) & 0x3f);
  }
  if (value < minimum || value > 0x10ffff ||
      (value >= 0xd800 && value <= 0xdfff)) {
    return 0;
  }
  *code_point = value;
  return length;
}

bool IsControl(std::uint32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7f && code_point <= 0x9f);
}

}  // namespace

std::string EscapeForTable(absl::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    std::uint32_t code_point = 0;
    std::size_t length = Utf8SequenceAt(text, at, &code_point);
    const bool keep =
        length > 0 && !IsControl(code_point) && code_point != '\\';
    if (length == 0) length = 1;
    if (keep) {
      escaped.append(text.data() + at, length);
    } else {
      for (std::size_t i = 0; i < length; ++i) {
        absl::StrAppendFormat(&escaped, "\\x%02x",
                              static_cast<unsigned char>(text[at + i]));
      }
    }
    at += length;
  }
  return escaped;
}

std::string ToValidUtf8(absl::string_view text) {
  std::string valid;
  valid.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    std::uint32_t code_point = 0;
    const std::size_t length = Utf8SequenceAt(text, at, &code_point);
    if (length == 0) {
      valid.append("\xef\xbf\xbd");  // U+FFFD REPLACEMENT CHARACTER.
      ++at;
    } else {
      valid.append(text.data() + at, length);
      at += length;
    }
  }
  return valid;
}

}  // namespace gons::nsinspect
