// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/json_string_scan.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <cstddef>

#include "absl/strings/string_view.h"
#include "reexec/json_utf8.h"

namespace gons::reexec::internal {
namespace {

bool IsStop(unsigned char byte) {
  return byte < 0x20 || byte >= 0x80 || byte == '"' || byte == '\\';
}

#ifdef __SSE2__
// A block whose bytes have their high bit set where `block` holds a stop
// (see IsStop()).
inline __m128i Stops(__m128i block) {
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i below_space = _mm_set1_epi8(0x1f);
  // max(byte, 0x1f) == 0x1f exactly when byte <= 0x1f (unsigned); the
  // block itself carries the high bit of the bytes from 0x80 up.
  return _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(block, quote),
                   _mm_cmpeq_epi8(block, backslash)),
      _mm_or_si128(
          _mm_cmpeq_epi8(_mm_max_epu8(block, below_space), below_space),
          block));
}
#endif

// The scan of SkipPlainStringBytes(), copying to `to` when kMove. Each
// block is stored only after it was loaded and found plain, so a move
// towards the front never overwrites a byte before it is read.
template <bool kMove>
std::size_t Scan(absl::string_view text, std::size_t at, char* to) {
  const char* const data = text.data();
  const std::size_t size = text.size();
  const std::size_t from = at;
#ifdef __SSE2__
  auto load = [data](std::size_t offset) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + offset));
  };
  for (; at + 64 <= size; at += 64) {
    const __m128i a = load(at);
    const __m128i b = load(at + 16);
    const __m128i c = load(at + 32);
    const __m128i d = load(at + 48);
    const __m128i any = _mm_or_si128(_mm_or_si128(Stops(a), Stops(b)),
                                     _mm_or_si128(Stops(c), Stops(d)));
    if (_mm_movemask_epi8(any) != 0) break;
    if constexpr (kMove) {
      __m128i* const out = reinterpret_cast<__m128i*>(to + (at - from));
      _mm_storeu_si128(out, a);
      _mm_storeu_si128(out + 1, b);
      _mm_storeu_si128(out + 2, c);
      _mm_storeu_si128(out + 3, d);
    }
  }
  for (; at + 16 <= size; at += 16) {
    const __m128i a = load(at);
    if (_mm_movemask_epi8(Stops(a)) != 0) break;
    if constexpr (kMove) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(to + (at - from)), a);
    }
  }
#endif
  for (; at < size; ++at) {
    if (IsStop(static_cast<unsigned char>(data[at]))) break;
    if constexpr (kMove) to[at - from] = data[at];
  }
  return at;
}

}  // namespace

std::size_t SkipPlainStringBytes(absl::string_view text, std::size_t at) {
  return Scan<false>(text, at, nullptr);
}

std::size_t MovePlainStringBytes(absl::string_view text, std::size_t at,
                                 char* to) {
  return Scan<true>(text, at, to);
}

StringContentScan ScanStringContent(absl::string_view text) {
  StringContentScan scan;
  std::size_t at = 0;
  // Up to the first byte to escape: UTF-8 and escapes in the same scan.
  for (;;) {
    at = SkipPlainStringBytes(text, at);
    if (at == text.size()) return scan;
    if (static_cast<unsigned char>(text[at]) < 0x80) break;
    const std::size_t length = Utf8SequenceLength(text.substr(at));
    if (length == 0) {
      scan.invalid_utf8 = at;
      return scan;
    }
    at += length;
  }
  scan.first_escape = at;
  // After it, only UTF-8 remains to be checked (the writer escapes what
  // follows slice by slice).
  if (const std::size_t invalid = FindInvalidUtf8(text.substr(at));
      invalid != absl::string_view::npos) {
    scan.invalid_utf8 = at + invalid;
  }
  return scan;
}

}  // namespace gons::reexec::internal
