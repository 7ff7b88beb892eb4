// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: wire_strings.h
// -----------------------------------------------------------------------------
//
// Carries the names of a view from the child that collects them to
// nsinspect byte for byte. A namespace's host name, interface names, labels
// and mount paths need not be UTF-8, while reexec's JSON carries only UTF-8
// strings (reexec/json.h refuses the rest). So the child escapes every
// string of the view before writing it, and nsinspect undoes that as soon
// as the view arrives: the tables and the JSON output (escape.h) then see
// the bytes as the namespace named them.
//
// The wire form: every byte that is not part of a valid UTF-8 sequence,
// and the backslash, becomes `\xHH` (lower-case hex); all else is kept.
//
// Example:
//
//   EscapeForWire("eth\xff\\")           // "eth\xff\x5c" (as literal text)
//   UnescapeFromWire("eth\\xff\\x5c")    // "eth\xff\\"
//   EscapeEveryString(&view);             // In the child, before sending.
//   UnescapeEveryString(&view);           // In nsinspect, on arrival.

#ifndef GONS_TOOLS_NSINSPECT_WIRE_STRINGS_H_
#define GONS_TOOLS_NSINSPECT_WIRE_STRINGS_H_

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gons::nsinspect {

// Returns `text` in the wire form above: always valid UTF-8. Thread-safe.
std::string EscapeForWire(absl::string_view text);

// Returns the bytes whose wire form is `text`, or kDataLoss when `text` is
// not one (a backslash not starting `\xHH`): the child is not trusted.
// Thread-safe.
absl::StatusOr<std::string> UnescapeFromWire(absl::string_view text);

// Calls `visit(std::string&)` on every string of `value`, map keys
// included: strings, numbers and bools, std::vector, std::map,
// std::optional and structs with a JsonFields() overload (record_codec.h).
// Thread-safe for distinct values.
template <typename T, typename Visit>
void ForEachString(T* value, const Visit& visit);

namespace internal {

template <typename T, typename = void>
struct HasJsonFields : std::false_type {};
template <typename T>
struct HasJsonFields<
    T, std::void_t<decltype(JsonFields(static_cast<const T*>(nullptr)))>>
    : std::true_type {};

template <typename T>
struct IsVector : std::false_type {};
template <typename T>
struct IsVector<std::vector<T>> : std::true_type {};

template <typename T>
struct IsMap : std::false_type {};
template <typename T>
struct IsMap<std::map<std::string, T>> : std::true_type {};

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

}  // namespace internal

template <typename T, typename Visit>
void ForEachString(T* value, const Visit& visit) {
  if constexpr (std::is_same_v<T, std::string>) {
    visit(*value);
  } else if constexpr (std::is_arithmetic_v<T>) {
    // Nothing to visit.
  } else if constexpr (internal::IsVector<T>::value) {
    for (auto& element : *value) ForEachString(&element, visit);
  } else if constexpr (internal::IsOptional<T>::value) {
    if (value->has_value()) ForEachString(&**value, visit);
  } else if constexpr (internal::IsMap<T>::value) {
    T visited;
    for (auto& [key, element] : *value) {
      std::string new_key = key;
      visit(new_key);
      ForEachString(&element, visit);
      visited.emplace(std::move(new_key), std::move(element));
    }
    *value = std::move(visited);
  } else {
    static_assert(internal::HasJsonFields<T>::value,
                  "ForEachString: a type without JsonFields()");
    std::apply(
        [&](const auto&... fields) {
          (ForEachString(&(value->*fields.member), visit), ...);
        },
        JsonFields(static_cast<const T*>(nullptr)));
  }
}

// Puts every string of `value` (see ForEachString) in the wire form.
// Thread-safe for distinct values.
template <typename T>
void EscapeEveryString(T* value) {
  ForEachString(value, [](std::string& text) { text = EscapeForWire(text); });
}

// Undoes EscapeEveryString(): returns OK, or kDataLoss for the first string
// that is not in the wire form (the rest are then unspecified).
// Thread-safe for distinct values.
template <typename T>
absl::Status UnescapeEveryString(T* value) {
  absl::Status status;
  ForEachString(value, [&status](std::string& text) {
    if (!status.ok()) return;
    absl::StatusOr<std::string> bytes = UnescapeFromWire(text);
    if (bytes.ok()) {
      text = *std::move(bytes);
    } else {
      status = bytes.status();
    }
  });
  return status;
}

}  // namespace gons::nsinspect

#endif  // GONS_TOOLS_NSINSPECT_WIRE_STRINGS_H_
