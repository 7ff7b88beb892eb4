// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/json_string.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "reexec/json_codec.h"
#include "reexec/json_string_scan.h"
#include "reexec/json_utf8.h"
#include "reexec/large_buffer.h"

namespace gons::reexec {
namespace internal {
namespace {

constexpr std::uint64_t kEveryByte = 0x0101010101010101u;
constexpr std::uint64_t kHighBits = 0x8080808080808080u;

// Tells whether some byte of `word` is below 0x20, a quote or a backslash
// (exact as a yes or no; which byte it is is left to a byte-wise look).
bool MayNeedEscape(std::uint64_t word) {
  auto has_zero_byte = [](std::uint64_t v) {
    return (v - kEveryByte) & ~v & kHighBits;
  };
  const std::uint64_t below_space =
      (word - 0x20 * kEveryByte) & ~word & kHighBits;
  return (below_space | has_zero_byte(word ^ ('"' * kEveryByte)) |
          has_zero_byte(word ^ ('\\' * kEveryByte))) != 0;
}

#ifdef __SSE2__
// The bytes of `block` that a JSON string must escape, as a 0xff mask.
inline __m128i SpecialBytes(__m128i block) {
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i below_space = _mm_set1_epi8(0x1f);
  // max(byte, 0x1f) == 0x1f exactly when byte <= 0x1f (unsigned).
  return _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(block, quote),
                   _mm_cmpeq_epi8(block, backslash)),
      _mm_cmpeq_epi8(_mm_max_epu8(block, below_space), below_space));
}

// Returns the start of the first 16-byte block from `at` on that holds a
// byte to escape (or the last whole block's end): 64 bytes at a time with
// one test, then the block among them.
std::size_t SkipPlainBlocks(const char* data, std::size_t size,
                            std::size_t at) {
  auto load = [data](std::size_t offset) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + offset));
  };
  for (; at + 64 <= size; at += 64) {
    const __m128i any = _mm_or_si128(
        _mm_or_si128(SpecialBytes(load(at)), SpecialBytes(load(at + 16))),
        _mm_or_si128(SpecialBytes(load(at + 32)), SpecialBytes(load(at + 48))));
    if (_mm_movemask_epi8(any) != 0) break;
  }
  for (; at + 16 <= size; at += 16) {
    if (_mm_movemask_epi8(SpecialBytes(load(at))) != 0) break;
  }
  return at;
}
#endif

// Appends the escape of a byte below 0x20, a quote or a backslash, as
// RapidJSON's writer spells it.
void AppendEscaped(unsigned char byte, std::string* json) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  switch (byte) {
    case '"':
      json->append("\\\"");
      return;
    case '\\':
      json->append("\\\\");
      return;
    case '\b':
      json->append("\\b");
      return;
    case '\f':
      json->append("\\f");
      return;
    case '\n':
      json->append("\\n");
      return;
    case '\r':
      json->append("\\r");
      return;
    case '\t':
      json->append("\\t");
      return;
    default: {
      const char escape[] = {'\\',           'u', '0', '0', kHex[byte >> 4],
                             kHex[byte & 15]};
      json->append(escape, sizeof(escape));
    }
  }
}

// Returns the offset of the first byte at or after `at` that a JSON string
// must escape (below 0x20, a quote or a backslash), or `size`.
std::size_t FindSpecial(const char* data, std::size_t size, std::size_t at) {
  for (;;) {
#ifdef __SSE2__
    at = SkipPlainBlocks(data, size, at);
#endif
    while (at + sizeof(std::uint64_t) <= size) {
      std::uint64_t word;
      std::memcpy(&word, data + at, sizeof(word));
      if (MayNeedEscape(word)) break;
      at += sizeof(word);
    }
    const std::size_t block_end = std::min(size, at + sizeof(std::uint64_t));
    for (; at < block_end; ++at) {
      const unsigned char byte = static_cast<unsigned char>(data[at]);
      if (byte < 0x20 || byte == '"' || byte == '\\') return at;
    }
    if (at == size) return size;
  }
}

}  // namespace

void AppendJsonStringContent(absl::string_view text, std::string* json) {
  // Scanned and copied a window at a time, so that the copy reads what
  // the scan just brought into the cache: one pass over a large text in
  // memory, not two.
  constexpr std::size_t kWindow = 64 * 1024;
  std::size_t clean_from = 0;  // Start of the bytes not yet appended.
  for (;;) {
    const std::size_t window_end = std::min(text.size(), clean_from + kWindow);
    const std::size_t at = FindSpecial(text.data(), window_end, clean_from);
    json->append(text.data() + clean_from, at - clean_from);
    if (at == text.size()) return;
    if (at == window_end) {
      clean_from = at;  // The window ended, not the clean run.
      continue;
    }
    AppendEscaped(static_cast<unsigned char>(text[at]), json);
    clean_from = at + 1;
  }
}

bool IsPlainJsonStringContent(absl::string_view text) {
  return FindSpecial(text.data(), text.size(), 0) == text.size();
}

std::size_t EncodeJsonString(absl::string_view text, std::string* json) {
  json->clear();
  // The quotes, and one byte more: the newline that ends a result
  // (kResultEnd in options.h), so that a param's buffer, which the parent
  // recycles for the result (child_process.cc), holds an echo without
  // growing.
  ReserveLargeBuffer(json, text.size() + 3);
  json->push_back('"');
  // As AppendJsonStringContent(), and the UTF-8 check in the same scan
  // (which stops at every byte from 0x80 up as well): a window at a time,
  // scanned, then copied from the cache.
  constexpr std::size_t kWindow = 64 * 1024;
  std::size_t clean_from = 0;  // Start of the bytes not yet appended.
  for (;;) {
    const std::size_t window_end = std::min(text.size(), clean_from + kWindow);
    const absl::string_view window = text.substr(0, window_end);
    std::size_t at = SkipPlainStringBytes(window, clean_from);
    while (at < window_end && static_cast<unsigned char>(text[at]) >= 0x80) {
      // A sequence may end past the window: the scan goes on after it.
      const std::size_t length = Utf8SequenceLength(text.substr(at));
      if (length == 0) return at;
      at = SkipPlainStringBytes(window, at + length);
    }
    json->append(text.data() + clean_from, at - clean_from);
    if (at == text.size()) break;
    if (at >= window_end) {
      clean_from = at;  // The window ended, not the clean run.
      continue;
    }
    AppendEscaped(static_cast<unsigned char>(text[at]), json);
    clean_from = at + 1;
  }
  json->push_back('"');
  return absl::string_view::npos;
}

}  // namespace internal

void JsonCodec<Bytes>::Encode(const Bytes& value, JsonWriter& writer) {
  const std::string base64 = absl::Base64Escape(value.data);
  writer.String(base64.data(), static_cast<rapidjson::SizeType>(base64.size()));
}

absl::Status JsonCodec<Bytes>::Decode(const rapidjson::Value& json,
                                      Bytes* value) {
  if (!json.IsString()) {
    return internal::TypeMismatch(json, "a base64 string (Bytes)");
  }
  const absl::string_view text(json.GetString(), json.GetStringLength());
  std::string data;
  // absl's decoder is lenient (padding optional, white space skipped):
  // the canonical form is what encodes back to the same text.
  if (!absl::Base64Unescape(text, &data) || absl::Base64Escape(data) != text) {
    return absl::InvalidArgumentError(
        ": expected base64 (RFC 4648 section 4, with padding) for Bytes");
  }
  value->data = std::move(data);
  return absl::OkStatus();
}

}  // namespace gons::reexec
