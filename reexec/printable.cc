// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/printable.h"

#include <cstddef>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace gons::reexec::internal {
namespace {

void AppendEscaped(unsigned char byte, std::string* out) {
  absl::StrAppendFormat(out, "\\x%02x", byte);
}

// The length of the valid UTF-8 sequence at the start of `text` that
// encodes no C1 control, or 0.
std::size_t PrintableSequence(absl::string_view text) {
  const unsigned char lead = static_cast<unsigned char>(text[0]);
  std::size_t length = 0;
  unsigned code_point = 0;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
    code_point = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    code_point = lead & 0x0f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char next = static_cast<unsigned char>(text[i]);
    if ((next & 0xc0) != 0x80) return 0;
    code_point = (code_point << 6) | (next & 0x3f);
  }
  // Overlong forms, surrogates, beyond Unicode, and C1 controls.
  const unsigned smallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < smallest[length] || code_point > 0x10ffff ||
      (code_point >= 0xd800 && code_point <= 0xdfff) || code_point <= 0x9f) {
    return 0;
  }
  return length;
}

}  // namespace

std::string PrintableText(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const unsigned char byte = static_cast<unsigned char>(text[0]);
    std::size_t used = 1;
    if (byte == '\\') {
      out += "\\\\";
    } else if (byte == '\n' || byte == '\t' || (byte >= 0x20 && byte < 0x7f)) {
      out.push_back(static_cast<char>(byte));
    } else if (byte >= 0x80 && (used = PrintableSequence(text)) > 0) {
      out.append(text.data(), used);
    } else {
      used = 1;
      AppendEscaped(byte, &out);
    }
    text.remove_prefix(used);
  }
  return out;
}

}  // namespace gons::reexec::internal
