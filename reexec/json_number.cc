// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/json_number.h"

#include <charconv>
#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace gons::reexec::internal {

bool ConvertJsonNumber(absl::string_view text, JsonNumber* number) {
  const char* const end = text.data() + text.size();
  if (text.find_first_of(".eE") == absl::string_view::npos) {
    if (text[0] == '-') {
      std::int64_t value = 0;
      const auto [stop, error] = std::from_chars(text.data(), end, value);
      if (error == std::errc() && stop == end && value == 0) {
        number->kind = JsonNumber::Kind::kDouble;  // -0 keeps its sign.
        number->double_value = -0.0;
        return true;
      }
      if (error == std::errc() && stop == end) {
        number->kind = JsonNumber::Kind::kSigned;
        number->signed_value = value;
        return true;
      }
    } else {
      std::uint64_t value = 0;
      const auto [stop, error] = std::from_chars(text.data(), end, value);
      if (error == std::errc() && stop == end) {
        number->kind = JsonNumber::Kind::kUnsigned;
        number->unsigned_value = value;
        return true;
      }
    }
    // Beyond 64 bits: the nearest double.
  }
  // strtod in the "C" locale rounds correctly from any number of digits
  // and any exponent; RapidJSON's reader refuses exponents beyond 308 even
  // where the value is 0 or in range, and its conversion may be off.
  static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", locale_t{});
  const std::string terminated(text);  // The text is not NUL-terminated.
  const double value = strtod_l(terminated.c_str(), nullptr, c_locale);
  if (std::isinf(value)) return false;  // Underflow gives 0: fine.
  number->kind = JsonNumber::Kind::kDouble;
  number->double_value = value;
  return true;
}

absl::Status DecodeFloat(double number, float* value) {
  constexpr float kMax = std::numeric_limits<float>::max();
  // Halfway between the largest float and the next power of two: from
  // there on, rounding to nearest (ties to even) gives infinity.
  const double halfway =
      static_cast<double>(kMax) +
      std::ldexp(1.0, std::numeric_limits<float>::max_exponent -
                          std::numeric_limits<float>::digits - 1);
  if (std::fabs(number) >= halfway) {
    char shown[32];
    char limit[32];
    const auto shown_end = std::to_chars(shown, shown + sizeof(shown), number);
    const auto limit_end = std::to_chars(limit, limit + sizeof(limit), kMax);
    const absl::string_view limit_text(limit, limit_end.ptr - limit);
    return absl::InvalidArgumentError(absl::StrCat(
        ": ", absl::string_view(shown, shown_end.ptr - shown),
        " is out of range for a float [-", limit_text, ", ", limit_text, "]"));
  }
  // Between the largest float and halfway: the conversion would round to
  // the largest float, but is undefined there in C++; say so directly.
  if (std::fabs(number) > static_cast<double>(kMax)) {
    *value = std::signbit(number) ? -kMax : kMax;
  } else {
    *value = static_cast<float>(number);
  }
  return absl::OkStatus();
}

absl::Status IntegerOutOfRange(const rapidjson::Value& json,
                               absl::string_view min, absl::string_view max) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  json.Accept(writer);
  return absl::InvalidArgumentError(absl::StrCat(
      ": ", buffer.GetString(), " is out of range [", min, ", ", max, "]"));
}

}  // namespace gons::reexec::internal
