// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/json.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <charconv>
#include <clocale>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "rapidjson/reader.h"
#include "rapidjson/stringbuffer.h"
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

bool IsJsonSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// Recognizes a text that is one JSON string without escapes, white space
// around it allowed (the common large param or result), at memory speed;
// then points `document` at its characters in `text`. Anything else is
// left to RapidJSON, which reads byte by byte. (RapidJSON's own SSE2 code
// is not used: in 1.1.0 it lets bytes 0x1A-0x1F through unescaped.)
bool TakePlainString(const std::string& text, rapidjson::Document* document) {
  std::size_t begin = 0;
  while (begin < text.size() && IsJsonSpace(text[begin])) ++begin;
  if (begin == text.size() || text[begin] != '"') return false;
  const std::size_t end = FindSpecial(text.data(), text.size(), begin + 1);
  if (end == text.size() || text[end] != '"') return false;
  if (end - begin - 1 > std::numeric_limits<rapidjson::SizeType>::max()) {
    return false;
  }
  for (std::size_t rest = end + 1; rest < text.size(); ++rest) {
    if (!IsJsonSpace(text[rest])) return false;
  }
  document->SetString(
      rapidjson::StringRef(text.data() + begin + 1,
                           static_cast<rapidjson::SizeType>(end - begin - 1)));
  return true;
}

// Why the handler below stopped the parser.
enum class Refusal { kNone, kTooDeep, kNumberTooBig };

// Converts the text of a JSON number, which RapidJSON has checked against
// the grammar, into a value of `document`: integers with from_chars, others
// with the C library's strtod in the "C" locale, which rounds correctly.
// RapidJSON's own conversion is not used: by default it may be up to 3
// units in the last place off (a double would not survive a round trip),
// and its exact mode in Debian's 1.1.0 passes zero to __builtin_clzll
// (undefined behaviour) for input such as 0e38.
template <typename Document>
bool AddNumber(absl::string_view text, Document& document, Refusal* refusal) {
  const char* const end = text.data() + text.size();
  if (text.find_first_of(".eE") == absl::string_view::npos) {
    if (text[0] == '-') {
      std::int64_t value = 0;
      const auto [stop, error] = std::from_chars(text.data(), end, value);
      // -0 keeps its sign, as -0.0 does; integer targets read it as 0.
      if (error == std::errc() && stop == end && value == 0) {
        return document.Double(-0.0);
      }
      if (error == std::errc() && stop == end) return document.Int64(value);
    } else {
      std::uint64_t value = 0;
      const auto [stop, error] = std::from_chars(text.data(), end, value);
      if (error == std::errc() && stop == end) return document.Uint64(value);
    }
    // Beyond 64 bits: a double, as RapidJSON makes it.
  }
  static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", locale_t{});
  const std::string terminated(text);  // An in-place number is not.
  const double value = strtod_l(terminated.c_str(), nullptr, c_locale);
  if (std::isinf(value)) {  // Underflow gives 0 or a subnormal: fine.
    *refusal = Refusal::kNumberTooBig;
    return false;
  }
  return document.Double(value);
}

// Passes RapidJSON's parsing events on to a Document, refusing to nest
// deeper than kMaxJsonDepth and converting numbers itself (see AddNumber).
template <typename Document>
class CheckedHandler {
 public:
  explicit CheckedHandler(Document& document) : document_(document) {}
  Refusal refusal() const { return refusal_; }

  bool Null() { return document_.Null(); }
  bool Bool(bool value) { return document_.Bool(value); }
  // Only RawNumber is called, under kParseNumbersAsStringsFlag.
  bool Int(int) { return Unexpected(); }
  bool Uint(unsigned) { return Unexpected(); }
  bool Int64(std::int64_t) { return Unexpected(); }
  bool Uint64(std::uint64_t) { return Unexpected(); }
  bool Double(double) { return Unexpected(); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
    return AddNumber(absl::string_view(text, length), document_, &refusal_);
  }
  bool String(const char* text, rapidjson::SizeType length, bool copy) {
    return document_.String(text, length, copy);
  }
  bool Key(const char* text, rapidjson::SizeType length, bool copy) {
    return document_.Key(text, length, copy);
  }
  bool StartObject() { return Enter() && document_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return document_.EndObject(members);
  }
  bool StartArray() { return Enter() && document_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return document_.EndArray(elements);
  }

 private:
  bool Enter() {
    if (++depth_ <= kMaxJsonDepth) return true;
    refusal_ = Refusal::kTooDeep;
    return false;
  }
  static bool Unexpected() { return false; }

  Document& document_;
  int depth_ = 0;
  Refusal refusal_ = Refusal::kNone;
};

// Feeds a Document (through GenericDocument::Populate) from `*text`, in
// place. Iterative, with a depth limit: the text may come from a child in a
// hostile container, and nesting without bound would overflow the stack of
// a recursive parser, or of anything that walks the document recursively
// (decoders, RawJson, copies).
class CheckedParser {
 public:
  explicit CheckedParser(std::string* text) : text_(text) {}
  const rapidjson::ParseResult& result() const { return result_; }
  Refusal refusal() const { return refusal_; }

  template <typename Document>
  bool operator()(Document& document) {
    rapidjson::InsituStringStream input(text_->data());
    CheckedHandler<Document> handler(document);
    rapidjson::Reader reader;
    result_ =
        reader.Parse<rapidjson::kParseInsituFlag |
                     rapidjson::kParseIterativeFlag |
                     rapidjson::kParseNumbersAsStringsFlag>(input, handler);
    refusal_ = handler.refusal();
    return !result_.IsError();
  }

 private:
  std::string* text_;
  rapidjson::ParseResult result_;
  Refusal refusal_ = Refusal::kNone;
};

// The error of a failed parse of `text`. Only the text from the error on is
// quoted: before it, an in-place parse may have rewritten strings.
absl::Status ParseError(const CheckedParser& parser, absl::string_view text) {
  const std::size_t offset = parser.result().Offset();
  std::string problem;
  switch (parser.refusal()) {
    case Refusal::kTooDeep:
      problem = absl::StrCat("nested deeper than ", kMaxJsonDepth,
                             " arrays and objects");
      break;
    case Refusal::kNumberTooBig:
      problem = "number too big for a double";
      break;
    case Refusal::kNone:
      problem = rapidjson::GetParseError_En(parser.result().Code());
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "not valid JSON: ", problem, " at offset ", offset, " of ", text.size(),
      " (from there: \"",
      absl::CHexEscape(text.substr(std::min(offset, text.size()), 30)), "\")"));
}

}  // namespace

const char* DescribeJsonType(const rapidjson::Value& json) {
  if (json.IsNull()) return "null";
  if (json.IsBool()) return "a boolean";
  if (json.IsInt64() || json.IsUint64()) return "an integer";
  if (json.IsNumber()) return "a number";
  if (json.IsString()) return "a string";
  if (json.IsArray()) return "an array";
  return "an object";
}

absl::Status TypeMismatch(const rapidjson::Value& json, const char* expected) {
  return absl::InvalidArgumentError(absl::StrCat(
      ": expected ", expected, ", found ", DescribeJsonType(json)));
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

absl::Status DuplicateKey(const rapidjson::Value& name) {
  return absl::InvalidArgumentError(absl::StrCat(
      ": duplicate key \"",
      absl::CHexEscape(
          absl::string_view(name.GetString(), name.GetStringLength())),
      "\" (typed decoding takes no side; RawJson and Document keep both)"));
}

absl::Status RefuseSecondMember(const rapidjson::Value& json,
                                rapidjson::Value::ConstMemberIterator first,
                                const char* name) {
  const absl::string_view wanted(name);
  for (auto member = first + 1; member != json.MemberEnd(); ++member) {
    if (absl::string_view(member->name.GetString(),
                          member->name.GetStringLength()) == wanted) {
      return DuplicateKey(member->name);
    }
  }
  return absl::OkStatus();
}

absl::Status AtLocation(absl::Status status, absl::string_view location) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(location, status.message()));
}

absl::Status ParseJsonInPlace(std::string* text,
                              rapidjson::Document* document) {
  if (TakePlainString(*text, document)) return absl::OkStatus();
  // RapidJSON's in-place parser stops at a NUL byte, which JSON text never
  // holds: refuse it rather than take a prefix for the whole.
  // A search, not a copy: no terminator is involved.
  // NOLINTNEXTLINE(bugprone-not-null-terminated-result)
  if (const void* nul = std::memchr(text->data(), '\0', text->size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not valid JSON: a NUL byte at offset ",
        static_cast<const char*>(nul) - text->data(), " of ", text->size()));
  }
  CheckedParser parser(text);
  document->Populate(parser);
  if (!parser.result().IsError()) return absl::OkStatus();
  return ParseError(parser, *text);
}

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

std::string EncodeJsonString(absl::string_view text) {
  std::string json;
  ReserveLargeBuffer(&json, text.size() + 2);
  json.push_back('"');
  AppendJsonStringContent(text, &json);
  json.push_back('"');
  return json;
}

}  // namespace internal

absl::Status ValidateJson(absl::string_view text) {
  std::string copy(text);
  rapidjson::Document document;
  return internal::ParseJsonInPlace(&copy, &document);
}

namespace internal {

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

void JsonCodec<RawJson>::Encode(const RawJson& value, JsonWriter& writer) {
  if (absl::Status status = ValidateJson(value.text); !status.ok()) {
    writer.Fail(internal::AtLocation(status, "RawJson: "));
    writer.Null();
    return;
  }
  const absl::string_view text = absl::StripAsciiWhitespace(value.text);
  writer.RawValue(text.data(), text.size(), rapidjson::kObjectType);
}

void JsonCodec<rapidjson::Document>::Encode(const rapidjson::Document& value,
                                            JsonWriter& writer) {
  // Into a writer of its own: one stopped half-way would leave `writer`
  // with unclosed arrays or objects.
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> own(buffer);
  if (!value.Accept(own)) {
    writer.Fail(absl::InvalidArgumentError(
        "a rapidjson::Document holding NaN or infinity has no JSON "
        "representation"));
    writer.Null();
    return;
  }
  writer.RawValue(buffer.GetString(), buffer.GetSize(), rapidjson::kObjectType);
}

namespace {

// Hands RapidJSON's SAX events on to a document, asking it to copy every
// string (a value parsed in place only refers to its text).
class CopyingHandler {
 public:
  explicit CopyingHandler(rapidjson::Document& document)
      : document_(document) {}
  bool Null() { return document_.Null(); }
  bool Bool(bool b) { return document_.Bool(b); }
  bool Int(int i) { return document_.Int(i); }
  bool Uint(unsigned u) { return document_.Uint(u); }
  bool Int64(std::int64_t i) { return document_.Int64(i); }
  bool Uint64(std::uint64_t u) { return document_.Uint64(u); }
  bool Double(double d) { return document_.Double(d); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
    return document_.RawNumber(text, length, true);
  }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    return document_.String(text, length, true);
  }
  bool StartObject() { return document_.StartObject(); }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    return document_.Key(text, length, true);
  }
  bool EndObject(rapidjson::SizeType count) {
    return document_.EndObject(count);
  }
  bool StartArray() { return document_.StartArray(); }
  bool EndArray(rapidjson::SizeType count) { return document_.EndArray(count); }

 private:
  rapidjson::Document& document_;
};

}  // namespace

absl::Status JsonCodec<rapidjson::Document>::Decode(
    const rapidjson::Value& json, rapidjson::Document* value) {
  auto generate = [&json](rapidjson::Document& document) {
    CopyingHandler handler(document);
    return json.Accept(handler);
  };
  value->Populate(generate);
  return absl::OkStatus();
}

absl::Status JsonCodec<RawJson>::Decode(const rapidjson::Value& json,
                                        RawJson* value) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  json.Accept(writer);
  value->text.assign(buffer.GetString(), buffer.GetSize());
  return absl::OkStatus();
}

}  // namespace gons::reexec
