// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/json_parser.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "reexec/json_number.h"
#include "reexec/json_string.h"
#include "reexec/json_utf8.h"

namespace gons::reexec {
namespace internal {
namespace {

bool IsJsonSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One open array or object.
struct Frame {
  bool object = false;
  rapidjson::SizeType count = 0;
};

// Reads one JSON value from `text` and tells `Sink` what it finds, in
// document order. `writable`, when not null, is `text`'s own buffer: a
// top-level string's escapes are then decoded in place.
template <typename Sink>
class Parser {
 public:
  Parser(absl::string_view text, char* writable, Sink& sink)
      : text_(text), writable_(writable), sink_(sink) {}

  absl::Status Parse() {
    for (;;) {
      SkipSpace();
      bool opened = false;
      if (!ParseValue(&opened)) return Error();
      if (opened) continue;  // The next value is inside.
      // Close what the value ends, up to the next value to read.
      for (;;) {
        SkipSpace();
        if (stack_.empty()) {
          if (at_ == text_.size()) return absl::OkStatus();
          SetProblem("text after the value");
          return Error();
        }
        Frame& frame = stack_.back();
        ++frame.count;
        const char close = frame.object ? '}' : ']';
        if (at_ < text_.size() && text_[at_] == ',') {
          ++at_;
          if (frame.object && !ParseMemberName()) return Error();
          break;
        }
        if (at_ < text_.size() && text_[at_] == close) {
          ++at_;
          if (!CloseFrame()) return Error();
          continue;
        }
        SetProblem(frame.object ? "expected ',' or '}'"
                                : "expected ',' or ']'");
        return Error();
      }
    }
  }

 private:
  // Reads the value at at_. For '[' or '{' that is only the opening (and
  // the first member name), and `*opened` tells so, unless it is empty.
  bool ParseValue(bool* opened) {
    if (at_ == text_.size()) return SetProblem("expected a value");
    sink_.ValueBegin(at_);
    const char c = text_[at_];
    switch (c) {
      case '{':
      case '[': {
        if (stack_.size() == static_cast<std::size_t>(kMaxJsonDepth)) {
          return SetProblem(absl::StrCat("nested deeper than ", kMaxJsonDepth,
                                         " arrays and objects"));
        }
        const bool object = c == '{';
        stack_.push_back(Frame{object, 0});
        ++at_;
        if (!(object ? sink_.StartObject() : sink_.StartArray())) {
          return SetProblem("refused");
        }
        SkipSpace();
        if (at_ < text_.size() && text_[at_] == (object ? '}' : ']')) {
          ++at_;
          return CloseFrame();
        }
        *opened = true;
        return !object || ParseMemberName();
      }
      case '"':
        return ParseString(/*key=*/false) && sink_.ValueEnd(at_);
      case 't':
        return Literal("true") && sink_.Bool(true) && sink_.ValueEnd(at_);
      case 'f':
        return Literal("false") && sink_.Bool(false) && sink_.ValueEnd(at_);
      case 'n':
        return Literal("null") && sink_.Null() && sink_.ValueEnd(at_);
      default:
        if (c == '-' || IsDigit(c)) return ParseNumber() && sink_.ValueEnd(at_);
        return SetProblem("expected a value");
    }
  }

  bool CloseFrame() {
    const Frame frame = stack_.back();
    stack_.pop_back();
    const bool done = frame.object ? sink_.EndObject(frame.count)
                                   : sink_.EndArray(frame.count);
    if (!done) return SetProblem("refused");
    return sink_.ValueEnd(at_);
  }

  // A key and its colon; the value follows.
  bool ParseMemberName() {
    SkipSpace();
    if (at_ == text_.size() || text_[at_] != '"') {
      return SetProblem("expected a string key");
    }
    if (!ParseString(/*key=*/true)) return false;
    SkipSpace();
    if (at_ == text_.size() || text_[at_] != ':') {
      return SetProblem("expected ':'");
    }
    ++at_;
    return true;
  }

  bool Literal(absl::string_view word) {
    if (text_.substr(at_, word.size()) != word) {
      return SetProblem("expected a value");
    }
    at_ += word.size();
    return true;
  }

  bool ParseNumber() {
    const std::size_t begin = at_;
    if (text_[at_] == '-') ++at_;
    if (at_ < text_.size() && text_[at_] == '0') {
      ++at_;
    } else if (at_ < text_.size() && IsDigit(text_[at_])) {
      SkipDigits();
    } else {
      return SetProblem("expected a digit", at_);
    }
    if (at_ < text_.size() && text_[at_] == '.') {
      ++at_;
      if (at_ == text_.size() || !IsDigit(text_[at_])) {
        return SetProblem("expected a digit after '.'", at_);
      }
      SkipDigits();
    }
    if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) {
      ++at_;
      if (at_ < text_.size() && (text_[at_] == '+' || text_[at_] == '-')) {
        ++at_;
      }
      if (at_ == text_.size() || !IsDigit(text_[at_])) {
        return SetProblem("expected a digit in the exponent", at_);
      }
      SkipDigits();
    }
    if (!sink_.Number(text_.substr(begin, at_ - begin))) {
      return SetProblem("number too big for a double", begin);
    }
    return true;
  }

  void SkipDigits() {
    while (at_ < text_.size() && IsDigit(text_[at_])) ++at_;
  }

  // Reads the string at at_ (its opening quote) and hands it on.
  bool ParseString(bool key) {
    const std::size_t begin = at_ + 1;
    std::size_t at = begin;
    // Where decoded bytes go once an escape has made them differ from the
    // text: in place for a top-level string, otherwise into scratch_.
    const bool in_place = writable_ != nullptr && stack_.empty() && !key;
    std::size_t written = begin;  // In place: the end of the decoded bytes.
    bool escaped = false;
    scratch_.clear();
    auto put = [&](const char* bytes, std::size_t size) {
      if (in_place) {
        std::memmove(writable_ + written, bytes, size);
        written += size;
      } else {
        scratch_.append(bytes, size);
      }
    };
    for (;;) {
      const std::size_t run = at;
      at = SkipPlainStringBytes(text_, at);
      while (at < text_.size() &&
             static_cast<unsigned char>(text_[at]) >= 0x80) {
        const std::size_t length = Utf8SequenceLength(text_.substr(at));
        if (length == 0) return SetProblem("invalid UTF-8 in a string", at);
        at = SkipPlainStringBytes(text_, at + length);
      }
      if (escaped) put(text_.data() + run, at - run);
      if (at == text_.size()) {
        return SetProblem("a string without its closing quote", begin - 1);
      }
      const char c = text_[at];
      if (c == '"') break;
      if (c != '\\') {
        return SetProblem("a control character unescaped in a string", at);
      }
      if (!escaped) {
        escaped = true;
        if (!in_place) scratch_.assign(text_.data() + begin, at - begin);
        written = at;
      }
      char decoded[4];
      std::size_t size = 0;
      if (!DecodeEscape(&at, decoded, &size)) return false;
      put(decoded, size);
    }
    at_ = at + 1;
    const char* data = text_.data() + begin;
    std::size_t size = at - begin;
    bool copy = true;
    if (escaped && in_place) {
      data = writable_ + begin;
      size = written - begin;
      copy = false;
    } else if (escaped) {
      data = scratch_.data();
      size = scratch_.size();
    } else if (in_place) {
      copy = false;  // A top-level string points into the text.
    }
    if (size > std::numeric_limits<rapidjson::SizeType>::max()) {
      return SetProblem("a string longer than 4 GiB", begin - 1);
    }
    const auto length = static_cast<rapidjson::SizeType>(size);
    const bool taken =
        key ? sink_.Key(data, length, copy) : sink_.String(data, length, copy);
    return taken || SetProblem("refused", begin - 1);
  }

  // Decodes the escape at `*at` (its backslash) into `decoded`.
  bool DecodeEscape(std::size_t* at, char* decoded, std::size_t* size) {
    const std::size_t begin = *at;
    if (begin + 1 == text_.size()) {
      return SetProblem("an escape cut off", begin);
    }
    const char kind = text_[begin + 1];
    static constexpr absl::string_view kSimple = "\"\\/bfnrt";
    static constexpr absl::string_view kMeaning = "\"\\/\b\f\n\r\t";
    if (const std::size_t which = kSimple.find(kind);
        which != absl::string_view::npos) {
      decoded[0] = kMeaning[which];
      *size = 1;
      *at = begin + 2;
      return true;
    }
    if (kind != 'u') return SetProblem("an invalid escape", begin);
    int unit = ReadHex(begin + 2);
    if (unit < 0) return SetProblem("an invalid \\u escape", begin);
    char32_t code_point = static_cast<char32_t>(unit);
    *at = begin + 6;
    if (unit >= 0xdc00 && unit <= 0xdfff) {
      return SetProblem(LoneSurrogate(begin), begin);
    }
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const int low = text_.substr(*at, 2) == "\\u" ? ReadHex(*at + 2) : -1;
      if (low < 0xdc00 || low > 0xdfff) {
        return SetProblem(LoneSurrogate(begin), begin);
      }
      code_point = 0x10000 + ((static_cast<char32_t>(unit) - 0xd800) << 10) +
                   (static_cast<char32_t>(low) - 0xdc00);
      *at += 6;
    }
    *size = WriteUtf8(code_point, decoded);
    return true;
  }

  std::string LoneSurrogate(std::size_t escape) const {
    return absl::StrCat(
        "lone surrogate ", text_.substr(escape, 6),
        " (not a Unicode scalar value: refused in every string, RFC 7493)");
  }

  // The value of the 4 hex digits at `at`, or -1.
  int ReadHex(std::size_t at) const {
    if (at + 4 > text_.size()) return -1;
    int value = 0;
    for (std::size_t i = at; i < at + 4; ++i) {
      const int digit = HexValue(text_[i]);
      if (digit < 0) return -1;
      value = value * 16 + digit;
    }
    return value;
  }

  void SkipSpace() {
    while (at_ < text_.size() && IsJsonSpace(text_[at_])) ++at_;
  }

  bool SetProblem(std::string problem) {
    return SetProblem(std::move(problem), at_);
  }
  bool SetProblem(std::string problem, std::size_t offset) {
    problem_ = std::move(problem);
    offset_ = offset;
    return false;
  }

  // The error of a failed parse. Only the text from the error on is
  // quoted: before it, a top-level string may have been decoded in place.
  absl::Status Error() const {
    return absl::InvalidArgumentError(absl::StrCat(
        "not valid JSON: ", problem_, " at offset ", offset_, " of ",
        text_.size(), " (from there: \"",
        absl::CHexEscape(text_.substr(std::min(offset_, text_.size()), 30)),
        "\")"));
  }

  absl::string_view text_;
  char* writable_;
  Sink& sink_;
  std::size_t at_ = 0;
  std::vector<Frame> stack_;
  std::string scratch_;
  std::string problem_;
  std::size_t offset_ = 0;
};

// Checks numbers, and records where each value starts and ends when
// `spans` is set: for ValidateJson() and FindJsonValueSpans().
struct ValidatingSink {
  bool Null() { return true; }
  bool Bool(bool) { return true; }
  bool Number(absl::string_view text) {
    JsonNumber number;
    return ConvertJsonNumber(text, &number);
  }
  bool String(const char*, rapidjson::SizeType, bool) { return true; }
  bool Key(const char*, rapidjson::SizeType, bool) { return true; }
  bool StartObject() { return true; }
  bool EndObject(rapidjson::SizeType) { return true; }
  bool StartArray() { return true; }
  bool EndArray(rapidjson::SizeType) { return true; }
  void ValueBegin(std::size_t at) {
    if (spans == nullptr) return;
    open.push_back(spans->size());
    spans->emplace_back(at, at);
  }
  bool ValueEnd(std::size_t at) {
    if (spans == nullptr) return true;
    (*spans)[open.back()].second = at;
    open.pop_back();
    return true;
  }
  std::vector<JsonSpan>* spans = nullptr;
  std::vector<std::size_t> open;
};

// Builds a rapidjson::Document through its SAX interface (Populate).
class DocumentSink {
 public:
  explicit DocumentSink(rapidjson::Document& document) : document_(document) {}
  bool Null() { return document_.Null(); }
  bool Bool(bool value) { return document_.Bool(value); }
  bool Number(absl::string_view text) {
    JsonNumber number;
    if (!ConvertJsonNumber(text, &number)) return false;
    switch (number.kind) {
      case JsonNumber::Kind::kUnsigned:
        return document_.Uint64(number.unsigned_value);
      case JsonNumber::Kind::kSigned:
        return document_.Int64(number.signed_value);
      case JsonNumber::Kind::kDouble:
        return document_.Double(number.double_value);
    }
    return false;
  }
  bool String(const char* text, rapidjson::SizeType length, bool copy) {
    return document_.String(text, length, copy);
  }
  bool Key(const char* text, rapidjson::SizeType length, bool copy) {
    return document_.Key(text, length, copy);
  }
  bool StartObject() { return document_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    return document_.EndObject(members);
  }
  bool StartArray() { return document_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    return document_.EndArray(elements);
  }
  void ValueBegin(std::size_t) {}
  bool ValueEnd(std::size_t) { return true; }

 private:
  rapidjson::Document& document_;
};

// JSON text never holds a NUL byte outside a string, nor inside one
// unescaped; naming it is clearer than "expected a value".
absl::Status RefuseNul(absl::string_view text) {
  // A search, not a copy: no terminator is involved.
  // NOLINTNEXTLINE(bugprone-not-null-terminated-result)
  const void* nul = std::memchr(text.data(), '\0', text.size());
  if (nul == nullptr) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "not valid JSON: a NUL byte at offset ",
      static_cast<const char*>(nul) - text.data(), " of ", text.size()));
}

}  // namespace

absl::Status ParseJsonInPlace(std::string* text,
                              rapidjson::Document* document) {
  if (absl::Status status = RefuseNul(*text); !status.ok()) return status;
  absl::Status status;
  auto generate = [&](rapidjson::Document& target) {
    DocumentSink sink(target);
    Parser<DocumentSink> parser(*text, text->data(), sink);
    status = parser.Parse();
    return status.ok();
  };
  document->Populate(generate);
  return status;
}

absl::Status FindJsonValueSpans(absl::string_view text,
                                std::vector<JsonSpan>* spans) {
  spans->clear();
  if (absl::Status status = RefuseNul(text); !status.ok()) return status;
  ValidatingSink sink;
  sink.spans = spans;
  return Parser<ValidatingSink>(text, nullptr, sink).Parse();
}

bool IsCompleteJson(absl::string_view text) {
  // A bare number may go on in the next write ("12" then "34"): only white
  // space after it, or the end of the stream, ends it (the runner parses
  // what it has once the child has exited).
  const absl::string_view value = absl::StripAsciiWhitespace(text);
  if (!value.empty() &&
      value.size() == absl::StripLeadingAsciiWhitespace(text).size() &&
      (value.front() == '-' ||
       absl::ascii_isdigit(static_cast<unsigned char>(value.front())))) {
    return false;
  }
  text = value;
  if (text.empty()) return false;
  // The last characters of a value: a string, object or array closing, a
  // digit, or true, false and null.
  const char last = text.back();
  if (last != '"' && last != '}' && last != ']' && last != 'e' && last != 'l' &&
      !absl::ascii_isdigit(static_cast<unsigned char>(last))) {
    return false;
  }
  return ValidateJson(text).ok();
}

}  // namespace internal

absl::Status ValidateJson(absl::string_view text) {
  if (absl::Status status = internal::RefuseNul(text); !status.ok()) {
    return status;
  }
  internal::ValidatingSink sink;
  return internal::Parser<internal::ValidatingSink>(text, nullptr, sink)
      .Parse();
}

}  // namespace gons::reexec
