// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/json_utf8.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <cstddef>
#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gons::reexec::internal {

std::size_t Utf8SequenceLength(absl::string_view text) {
  if (text.empty()) return 0;
  const auto byte = [&text](std::size_t at) {
    return static_cast<unsigned char>(text[at]);
  };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  // The ranges of RFC 3629, section 4: the second byte's range depends on
  // the first, which is what excludes overlong forms, surrogates and
  // code points beyond U+10FFFF.
  std::size_t length = 0;
  unsigned char second_low = 0x80;
  unsigned char second_high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) second_low = 0xa0;
    if (lead == 0xed) second_high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) second_low = 0x90;
    if (lead == 0xf4) second_high = 0x8f;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  if (byte(1) < second_low || byte(1) > second_high) return 0;
  for (std::size_t at = 2; at < length; ++at) {
    if (byte(at) < 0x80 || byte(at) > 0xbf) return 0;
  }
  return length;
}

std::size_t FindInvalidUtf8(absl::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
#ifdef __SSE2__
    auto load = [&text](std::size_t offset) {
      return _mm_loadu_si128(
          reinterpret_cast<const __m128i*>(text.data() + offset));
    };
    // ASCII 64 bytes at a time with one test, then 16.
    while (at + 64 <= text.size() &&
           _mm_movemask_epi8(
               _mm_or_si128(_mm_or_si128(load(at), load(at + 16)),
                            _mm_or_si128(load(at + 32), load(at + 48)))) == 0) {
      at += 64;
    }
    while (at + 16 <= text.size() && _mm_movemask_epi8(load(at)) == 0) {
      at += 16;
    }
    if (at == text.size()) break;
#endif
    // The rest of a block, and short texts (most keys and names), one
    // ASCII byte at a time without a call each.
    while (at < text.size() && static_cast<unsigned char>(text[at]) < 0x80) {
      ++at;
    }
    if (at == text.size()) break;
    const std::size_t length = Utf8SequenceLength(text.substr(at));
    if (length == 0) return at;
    at += length;
  }
  return absl::string_view::npos;
}

absl::Status CheckUtf8(absl::string_view text, absl::string_view what) {
  const std::size_t at = FindInvalidUtf8(text);
  if (at == absl::string_view::npos) return absl::OkStatus();
  return InvalidUtf8Error(text, at, what);
}

absl::Status InvalidUtf8Error(absl::string_view text, std::size_t at,
                              absl::string_view what) {
  char shown[8];
  std::snprintf(shown, sizeof(shown), "0x%02x",
                static_cast<unsigned>(static_cast<unsigned char>(text[at])));
  return absl::InvalidArgumentError(
      absl::StrCat(what, " is not valid UTF-8: byte ", at, " (", shown,
                   ") starts no valid sequence; use gons::reexec::Bytes for "
                   "binary data"));
}

std::size_t WriteUtf8(char32_t code_point, char* out) {
  const auto put = [&out](std::size_t at, char32_t bits) {
    out[at] = static_cast<char>(static_cast<unsigned char>(bits));
  };
  if (code_point < 0x80) {
    put(0, code_point);
    return 1;
  }
  if (code_point < 0x800) {
    put(0, 0xc0 | (code_point >> 6));
    put(1, 0x80 | (code_point & 0x3f));
    return 2;
  }
  if (code_point < 0x10000) {
    put(0, 0xe0 | (code_point >> 12));
    put(1, 0x80 | ((code_point >> 6) & 0x3f));
    put(2, 0x80 | (code_point & 0x3f));
    return 3;
  }
  put(0, 0xf0 | (code_point >> 18));
  put(1, 0x80 | ((code_point >> 12) & 0x3f));
  put(2, 0x80 | ((code_point >> 6) & 0x3f));
  put(3, 0x80 | (code_point & 0x3f));
  return 4;
}

void AppendUtf8(char32_t code_point, std::string* text) {
  char bytes[4];
  text->append(bytes, WriteUtf8(code_point, bytes));
}

}  // namespace gons::reexec::internal
