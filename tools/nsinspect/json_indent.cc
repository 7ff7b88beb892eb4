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
};

// Writes what precedes a value or key in the innermost level: nothing at
// the top, ": " between a key and its value, else a comma after an
// earlier element, a line break and the indentation.
void WritePrefix(std::vector<Level>& levels, int depth, std::string* out) {
  if (levels.empty()) return;
  Level& level = levels.back();
  if (level.object && level.count % 2 == 1) {
    out->append(": ");
  } else {
    out->append(level.count > 0 ? ",\n" : "\n");
    out->append(2 * (levels.size() + static_cast<std::size_t>(depth)), ' ');
  }
  ++level.count;
}

// The length of the string literal that starts at `at` (its quotes
// included), or 0 when it does not end.
std::size_t StringLength(absl::string_view text, std::size_t at) {
  for (std::size_t i = at + 1; i < text.size();) {
    const std::size_t stop = text.find_first_of("\"\\", i);
    if (stop == absl::string_view::npos) return 0;
    if (text[stop] == '"') return stop + 1 - at;
    i = stop + 2;  // A backslash and the character it escapes.
  }
  return 0;
}

// The length of the number or literal (true, false, null) at `at`, or 0
// when a byte that cannot be part of one comes before its end.
std::size_t ScalarLength(absl::string_view text, std::size_t at) {
  std::size_t end = text.find_first_of(",:]}", at);
  if (end == absl::string_view::npos) end = text.size();
  const std::size_t stray =
      text.substr(at, end - at).find_first_not_of("0123456789+-.Eeafilnrstu");
  return stray == absl::string_view::npos ? end - at : 0;
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
          (c == ':') !=
              (levels.back().object && levels.back().count % 2 == 1)) {
        return false;
      }
      after_value = false;
      ++at;
      continue;
    }
    if (c == '}' || c == ']') {
      if (levels.empty() || levels.back().object != (c == '}') ||
          (!after_value && levels.back().count > 0) ||
          (levels.back().object && levels.back().count % 2 == 1)) {
        return false;
      }
      const bool empty = levels.back().count == 0;
      levels.pop_back();
      if (!empty) {
        out->push_back('\n');
        out->append(2 * (levels.size() + static_cast<std::size_t>(depth)), ' ');
      }
      out->push_back(c);
      after_value = true;
      ++at;
      continue;
    }
    if (after_value) return false;  // Two values with nothing between.
    const bool key_expected =
        !levels.empty() && levels.back().object && levels.back().count % 2 == 0;
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
