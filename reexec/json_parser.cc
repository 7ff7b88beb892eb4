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
#include "reexec/json_string_scan.h"
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

  // Parses the text. Text with a NUL byte fails: see FirstNul().
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

  // Returns the offset of the first NUL byte the text held before it was
  // parsed, or npos. Only a failed parse can have met one (JSON text holds
  // none outside a string, nor inside one unescaped), so the scan for it
  // is paid on failure only; a moved string held none, and may hold one
  // since (a decoded \u0000), so it is skipped.
  std::size_t FirstNul() const {
    auto find = [this](std::size_t from, std::size_t to) {
      const absl::string_view part = text_.substr(from, to - from);
      const std::size_t at = part.find('\0');
      return at == absl::string_view::npos ? at : from + at;
    };
    const std::size_t before = find(0, moved_.first);
    if (before != absl::string_view::npos) return before;
    return find(moved_.second, text_.size());
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
    if (writable_ != nullptr && stack_.empty() && !key) {
      return ParseStringInPlace();
    }
    const std::size_t begin = at_ + 1;
    std::size_t at = begin;
    // Once an escape has made the decoded bytes differ from the text,
    // they go into scratch_.
    bool escaped = false;
    for (;;) {
      const std::size_t run = at;
      at = SkipPlainStringBytes(text_, at);
      while (at < text_.size() &&
             static_cast<unsigned char>(text_[at]) >= 0x80) {
        const std::size_t length = Utf8SequenceLength(text_.substr(at));
        if (length == 0) return SetProblem("invalid UTF-8 in a string", at);
        at = SkipPlainStringBytes(text_, at + length);
      }
      if (escaped) scratch_.append(text_.data() + run, at - run);
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
        scratch_.assign(text_.data() + begin, at - begin);
      }
      char decoded[4];
      std::size_t size = 0;
      if (!DecodeEscape(&at, decoded, &size)) return false;
      scratch_.append(decoded, size);
    }
    at_ = at + 1;
    const absl::string_view value =
        escaped ? absl::string_view(scratch_)
                : absl::string_view(text_.data() + begin, at - begin);
    return HandString(key, value, /*copy=*/true, begin - 1);
  }

  // A top-level string of a writable text: moved one byte to the front as
  // it is scanned, over its opening quote, its escapes decoded on the way,
  // so that its value starts where its JSON did (with no white space
  // before it, at the front of the buffer, which can become the value as
  // it is) and no second pass moves it there.
  bool ParseStringInPlace() {
    const std::size_t begin = at_ + 1;
    std::size_t at = begin;
    std::size_t written = begin - 1;  // The end of the moved bytes.
    // Each step writes before `at`, over bytes already read: a decoded
    // escape is never longer than its spelling.
    auto fail = [&](std::string problem, std::size_t offset) {
      Unmove(begin, written);
      moved_ = {begin - 1, at};
      return SetProblem(std::move(problem), offset);
    };
    for (;;) {
      std::size_t run = at;
      at = MovePlainStringBytes(text_, at, writable_ + written);
      written += at - run;
      while (at < text_.size() &&
             static_cast<unsigned char>(text_[at]) >= 0x80) {
        const std::size_t length = Utf8SequenceLength(text_.substr(at));
        if (length == 0) return fail("invalid UTF-8 in a string", at);
        std::memmove(writable_ + written, text_.data() + at, length);
        written += length;
        at += length;
        run = at;
        at = MovePlainStringBytes(text_, at, writable_ + written);
        written += at - run;
      }
      if (at == text_.size()) {
        return fail("a string without its closing quote", begin - 1);
      }
      const char c = text_[at];
      if (c == '"') break;
      if (c != '\\') {
        return fail("a control character unescaped in a string", at);
      }
      char decoded[4];
      std::size_t size = 0;
      if (!DecodeEscape(&at, decoded, &size)) {
        // DecodeEscape() named the problem; only the move is undone.
        Unmove(begin, written);
        moved_ = {begin - 1, at};
        return false;
      }
      std::memcpy(writable_ + written, decoded, size);
      written += size;
    }
    moved_ = {begin - 1, at};
    at_ = at + 1;
    const absl::string_view value(writable_ + begin - 1, written - (begin - 1));
    if (!HandString(/*key=*/false, value, /*copy=*/false, begin - 1)) {
      Unmove(begin, written);
      return false;
    }
    // Until the parse as a whole has succeeded (text may follow).
    moved_string_ = {begin, written};
    return true;
  }

 public:
  // Moves a top-level string that was moved back (see Unmove()), after a
  // parse that failed past its end.
  void UndoMove() {
    if (moved_string_.first == 0) return;
    Unmove(moved_string_.first, moved_string_.second);
    moved_string_ = {0, 0};
  }

 private:
  // Moves the `written` bytes of a top-level string back behind its
  // opening quote, when it fails: the text is then as decoding its escapes
  // in place would leave it, and an error that quotes it from the quote
  // on shows the text as written up to the first escape.
  void Unmove(std::size_t begin, std::size_t written) {
    std::memmove(writable_ + begin, writable_ + begin - 1,
                 written - (begin - 1));
    writable_[begin - 1] = '"';
  }

  // Hands a string or key of a string starting at `quote` to the sink.
  bool HandString(bool key, absl::string_view value, bool copy,
                  std::size_t quote) {
    if (value.size() > std::numeric_limits<rapidjson::SizeType>::max()) {
      return SetProblem("a string longer than 4 GiB", quote);
    }
    const auto length = static_cast<rapidjson::SizeType>(value.size());
    const bool taken = key ? sink_.Key(value.data(), length, copy)
                           : sink_.String(value.data(), length, copy);
    return taken || SetProblem("refused", quote);
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
  // The bytes a top-level string was moved over (its JSON, from the
  // opening quote to the last byte read), when it was: they held no NUL.
  JsonSpan moved_ = {0, 0};
  // The start of a moved top-level string and the end of its moved bytes
  // (as Unmove() takes them), while it stays moved; the start is never 0.
  JsonSpan moved_string_ = {0, 0};
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

// Parses with `parser`; a text with a NUL byte fails naming the first
// one, which is clearer than "expected a value" or "a control character".
template <typename Sink>
absl::Status ParseRefusingNul(Parser<Sink>& parser, absl::string_view text) {
  absl::Status status = parser.Parse();
  if (status.ok()) return status;
  parser.UndoMove();
  if (const std::size_t nul = parser.FirstNul();
      nul != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not valid JSON: a NUL byte at offset ", nul, " of ", text.size()));
  }
  return status;
}

}  // namespace

absl::Status ParseJsonInPlace(std::string* text,
                              rapidjson::Document* document) {
  absl::Status status;
  auto generate = [&](rapidjson::Document& target) {
    DocumentSink sink(target);
    Parser<DocumentSink> parser(*text, text->data(), sink);
    status = ParseRefusingNul(parser, *text);
    return status.ok();
  };
  document->Populate(generate);
  return status;
}

absl::Status FindJsonValueSpans(absl::string_view text,
                                std::vector<JsonSpan>* spans) {
  spans->clear();
  ValidatingSink sink;
  sink.spans = spans;
  Parser<ValidatingSink> parser(text, nullptr, sink);
  absl::Status status = ParseRefusingNul(parser, text);
  if (!status.ok()) spans->clear();
  return status;
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
  internal::ValidatingSink sink;
  internal::Parser<internal::ValidatingSink> parser(text, nullptr, sink);
  return internal::ParseRefusingNul(parser, text);
}

}  // namespace gons::reexec
