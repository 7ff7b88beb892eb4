// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/json_string_scan.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define GONS_REEXEC_SCAN_AVX2 1
#endif

#include <atomic>
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
  // As signed bytes, those from 0x80 up are negative: one comparison finds
  // them and the control characters.
  const __m128i control_or_high = _mm_cmplt_epi8(block, _mm_set1_epi8(0x20));
  return _mm_or_si128(control_or_high,
                      _mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8('"')),
                                   _mm_cmpeq_epi8(block, _mm_set1_epi8('\\'))));
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

#ifdef GONS_REEXEC_SCAN_AVX2
// As Stops(), 32 bytes at a time.
__attribute__((target("avx2"))) inline __m256i Stops32(__m256i block) {
  const __m256i control_or_high =
      _mm256_cmpgt_epi8(_mm256_set1_epi8(0x20), block);
  return _mm256_or_si256(
      control_or_high,
      _mm256_or_si256(_mm256_cmpeq_epi8(block, _mm256_set1_epi8('"')),
                      _mm256_cmpeq_epi8(block, _mm256_set1_epi8('\\'))));
}

// Scan() with AVX2, on processors that have it: the scans are bound by
// instructions more than by memory, so twice the width is about twice
// the speed. The rest (under 64 bytes) goes to Scan().
template <bool kMove>
__attribute__((target("avx2"))) std::size_t ScanAvx2(absl::string_view text,
                                                     std::size_t at, char* to) {
  const char* const data = text.data();
  const std::size_t size = text.size();
  const std::size_t from = at;
  for (; at + 64 <= size; at += 64) {
    const __m256i a =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + at));
    const __m256i b =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + at + 32));
    if (_mm256_movemask_epi8(_mm256_or_si256(Stops32(a), Stops32(b))) != 0) {
      break;
    }
    if constexpr (kMove) {
      __m256i* const out = reinterpret_cast<__m256i*>(to + (at - from));
      _mm256_storeu_si256(out, a);
      _mm256_storeu_si256(out + 1, b);
    }
  }
  return Scan<kMove>(text, at, kMove ? to + (at - from) : nullptr);
}

bool HasAvx2() {
  static const bool has = [] {
    __builtin_cpu_init();  // Also when called before static constructors.
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return has;
}
#endif

std::atomic<bool> widest_scan{true};  // See UseWidestStringScan().

template <bool kMove>
std::size_t FastScan(absl::string_view text, std::size_t at, char* to) {
#ifdef GONS_REEXEC_SCAN_AVX2
  if (widest_scan.load(std::memory_order_relaxed) && HasAvx2()) {
    return ScanAvx2<kMove>(text, at, to);
  }
#endif
  return Scan<kMove>(text, at, to);
}

}  // namespace

std::size_t SkipPlainStringBytes(absl::string_view text, std::size_t at) {
  return FastScan<false>(text, at, nullptr);
}

std::size_t MovePlainStringBytes(absl::string_view text, std::size_t at,
                                 char* to) {
  return FastScan<true>(text, at, to);
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

void UseWidestStringScan(bool widest) {
  widest_scan.store(widest, std::memory_order_relaxed);
}

}  // namespace gons::reexec::internal
