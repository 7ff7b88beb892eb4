// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/nsinspect/json_indent.h"

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "reexec/json_utf8.h"
#include "tools/nsinspect/escape.h"

namespace gons::nsinspect {
namespace {

// One open object or array, and how many keys and values it holds so far
// (an object counts its keys and its values, as PrettyWriter does).
struct Level {
  bool object;
  std::size_t count;

  // Whether a key was read and its value not yet.
  bool AwaitsValue() const { return object && count % 2 == 1; }
};

// Writes the indentation of a line inside `levels` open levels.
void Indent(const std::vector<Level>& levels, int depth, std::string* out) {
  out->append(2 * (levels.size() + static_cast<std::size_t>(depth)), ' ');
}

// Writes what precedes a value or key in the innermost level: nothing at
// the top, ": " between a key and its value, else a comma after an
// earlier element, a line break and the indentation.
void WritePrefix(std::vector<Level>& levels, int depth, std::string* out) {
  if (levels.empty()) return;
  Level& level = levels.back();
  if (level.AwaitsValue()) {
    out->append(": ");
  } else {
    out->append(level.count > 0 ? ",\n" : "\n");
    Indent(levels, depth, out);
  }
  ++level.count;
}

// The length of the string literal that starts at `at` (its quotes
// included), or 0 when it does not end. A plain loop: literals are short,
// and absl::string_view::find_first_of builds a table at every call.
std::size_t StringLength(absl::string_view text, std::size_t at) {
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == '"') return i + 1 - at;
    if (text[i] == '\\') ++i;  // The character it escapes.
  }
  return 0;
}

// The length of the number or literal (true, false, null) at `at`, or 0
// when a byte that cannot be part of one comes before its end.
std::size_t ScalarLength(absl::string_view text, std::size_t at) {
  std::size_t end = at;
  for (; end < text.size(); ++end) {
    const char c = text[end];
    if (c == ',' || c == ':' || c == ']' || c == '}') break;
    const bool allowed = (c >= '0' && c <= '9') || c == '+' || c == '-' ||
                         c == '.' || c == 'E' || c == 'e' || c == 'a' ||
                         c == 'f' || c == 'i' || c == 'l' || c == 'n' ||
                         c == 'r' || c == 's' || c == 't' || c == 'u';
    if (!allowed) return 0;
  }
  return end - at;
}

bool IsScalarStart(char c) {
  return c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n';
}

}  // namespace

bool AppendIndentedJson(absl::string_view compact, int depth,
                        std::string* out) {
  std::vector<Level> levels;
  // Whether a value has ended where a comma or a closing bracket must come.
  bool after_value = false;
  for (std::size_t at = 0; at < compact.size();) {
    const char c = compact[at];
    if (c == ',' || c == ':') {
      // Only between elements; the prefix of the next one writes it.
      if (!after_value || levels.empty() ||
          (c == ':') != levels.back().AwaitsValue()) {
        return false;
      }
      after_value = false;
      ++at;
      continue;
    }
    if (c == '}' || c == ']') {
      if (levels.empty() || levels.back().object != (c == '}') ||
          (!after_value && levels.back().count > 0) ||
          levels.back().AwaitsValue()) {
        return false;
      }
      const bool empty = levels.back().count == 0;
      levels.pop_back();
      if (!empty) {
        out->push_back('\n');
        Indent(levels, depth, out);
      }
      out->push_back(c);
      after_value = true;
      ++at;
      continue;
    }
    if (after_value) return false;  // Two values with nothing between.
    const bool key_expected =
        !levels.empty() && levels.back().object && !levels.back().AwaitsValue();
    if (key_expected && c != '"') return false;
    WritePrefix(levels, depth, out);
    if (c == '{' || c == '[') {
      out->push_back(c);
      levels.push_back(Level{c == '{', 0});
      ++at;
      continue;
    }
    std::size_t length;
    if (c == '"') {
      length = StringLength(compact, at);
      if (length == 0) return false;
      const absl::string_view literal = compact.substr(at, length);
      // Escapes are ASCII, so each byte of the literal is part of valid
      // UTF-8 exactly when it is in the string the literal stands for.
      if (reexec::internal::FindInvalidUtf8(literal) ==
          absl::string_view::npos) {
        out->append(literal.data(), literal.size());
      } else {
        out->append(ToValidUtf8(literal));
      }
      // A key is not a value: a colon must follow it, not a comma.
      after_value = true;
      at += length;
      continue;
    }
    if (!IsScalarStart(c)) return false;
    length = ScalarLength(compact, at);
    if (length == 0) return false;
    out->append(compact.data() + at, length);
    after_value = true;
    at += length;
  }
  return levels.empty() && after_value;
}

}  // namespace gons::nsinspect
