// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/wire_strings.h"

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "reexec/json_utf8.h"

namespace gons::nsinspect {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string EscapeForWire(absl::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string wire;
  wire.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length =
        reexec::internal::Utf8SequenceLength(text.substr(at));
    if (length > 0 && text[at] != '\\') {
      wire.append(text.data() + at, length);
      at += length;
      continue;
    }
    const auto byte = static_cast<unsigned char>(text[at]);
    const char escape[] = {'\\', 'x', kHex[byte >> 4], kHex[byte & 15]};
    wire.append(escape, sizeof(escape));
    ++at;
  }
  return wire;
}

absl::StatusOr<std::string> UnescapeFromWire(absl::string_view text) {
  std::string bytes;
  bytes.reserve(text.size());
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (text[at] != '\\') {
      bytes.push_back(text[at]);
      continue;
    }
    const int high = at + 3 < text.size() && text[at + 1] == 'x'
                         ? HexDigit(text[at + 2])
                         : -1;
    const int low = high >= 0 ? HexDigit(text[at + 3]) : -1;
    if (low < 0) {
      return absl::DataLossError(absl::StrCat(
          "the child sent a name with a stray backslash at offset ", at));
    }
    bytes.push_back(static_cast<char>(high * 16 + low));
    at += 3;
  }
  return bytes;
}

}  // namespace gons::nsinspect
