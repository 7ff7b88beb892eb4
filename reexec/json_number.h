// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: json_number.h
// -----------------------------------------------------------------------------
//
// Numbers in the JSON layer: the codecs of integers and floating point, and
// the conversion of a number's text that the parser (json_parser.h) uses.
// The rules are in json.h, under "Numbers". Include reexec/json.h.
//
// Example:
//
//   float f = 0;
//   DecodeJson("3.4028235e38", &f);  // OK: the largest float
//   DecodeJson("1e39", &f);
//       // InvalidArgument: "$: 1e+39 is out of range for a float
//       //  [-3.4028235e+38, 3.4028235e+38]"

#ifndef GONS_REEXEC_JSON_NUMBER_H_
#define GONS_REEXEC_JSON_NUMBER_H_

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "reexec/json_codec.h"

namespace gons::reexec {
namespace internal {

template <typename T>
inline constexpr bool kIsInteger =
    std::is_integral_v<T> && !std::is_same_v<T, bool>;

// A JSON number's value: an integer when the text is one that fits 64
// bits, otherwise the double nearest to it.
struct JsonNumber {
  enum class Kind { kUnsigned, kSigned, kDouble };
  Kind kind = Kind::kDouble;
  std::uint64_t unsigned_value = 0;
  std::int64_t signed_value = 0;
  double double_value = 0;
};

// Converts `text`, which the parser has checked against JSON's number
// grammar, into `*number`: integers exactly with from_chars (-0 as the
// double -0.0, to keep its sign), others rounded correctly with strtod in
// the "C" locale, whatever the exponent or the number of digits (0e309 is
// 0, 1 followed by 309 zeros and e-10 is 1e299). Returns false when the
// magnitude is beyond a double's range (2e308). Thread-safe.
bool ConvertJsonNumber(absl::string_view text, JsonNumber* number);

// Rounds `number` to the nearest float like a C++ conversion would, or
// refuses it when that is infinity (1e39), printing value and limit in
// their shortest exact forms. 3.4028235e38, how most languages print the
// largest float, rounds to it. Thread-safe.
absl::Status DecodeFloat(double number, float* value);

// The error for an integer `json` outside [min, max] of the target type.
absl::Status IntegerOutOfRange(const rapidjson::Value& json,
                               absl::string_view min, absl::string_view max);

}  // namespace internal

template <typename T>
struct JsonCodec<T, std::enable_if_t<internal::kIsInteger<T>>> {
  static void Encode(T value, JsonWriter& writer) {
    if constexpr (std::is_signed_v<T>) {
      writer.Int64(static_cast<std::int64_t>(value));
    } else {
      writer.Uint64(static_cast<std::uint64_t>(value));
    }
  }
  static absl::Status Decode(const rapidjson::Value& json, T* value) {
    using Limits = std::numeric_limits<T>;
    if (json.IsUint64()) {
      const std::uint64_t number = json.GetUint64();
      if (number > static_cast<std::uint64_t>(Limits::max())) {
        return OutOfRange(json);
      }
      *value = static_cast<T>(number);
      return absl::OkStatus();
    }
    if (json.IsDouble() && json.GetDouble() == 0 &&
        std::signbit(json.GetDouble())) {
      *value = 0;  // The text -0, kept as a double for its sign.
      return absl::OkStatus();
    }
    if (json.IsInt64()) {  // Negative: IsUint64() was false.
      const std::int64_t number = json.GetInt64();
      if (!std::is_signed_v<T> ||
          number < static_cast<std::int64_t>(Limits::min())) {
        return OutOfRange(json);
      }
      *value = static_cast<T>(number);
      return absl::OkStatus();
    }
    return internal::TypeMismatch(json, "an integer");
  }

 private:
  static absl::Status OutOfRange(const rapidjson::Value& json) {
    return internal::IntegerOutOfRange(
        json, absl::StrCat(std::numeric_limits<T>::min()),
        absl::StrCat(std::numeric_limits<T>::max()));
  }
};

template <typename T>
struct JsonCodec<T, std::enable_if_t<std::is_floating_point_v<T>>> {
  static void Encode(T value, JsonWriter& writer) {
    // JSON has no NaN or infinity; writing null instead would not read
    // back as the same number.
    if (!std::isfinite(value)) {
      writer.Fail(absl::InvalidArgumentError(
          absl::StrCat(value, " has no JSON representation")));
      writer.Null();
    } else {
      writer.Double(static_cast<double>(value));
    }
  }
  static absl::Status Decode(const rapidjson::Value& json, T* value) {
    if (!json.IsNumber()) return internal::TypeMismatch(json, "a number");
    const double number = json.GetDouble();
    if constexpr (std::is_same_v<T, float>) {
      return internal::DecodeFloat(number, value);
    } else {
      *value = static_cast<T>(number);
      return absl::OkStatus();
    }
  }
};

}  // namespace gons::reexec

#endif  // GONS_REEXEC_JSON_NUMBER_H_
