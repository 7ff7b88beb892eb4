// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/json_raw.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "reexec/json_codec.h"
#include "reexec/json_parser.h"
#include "reexec/json_utf8.h"

namespace gons::reexec {
namespace internal {
namespace {

thread_local ParsedTextScope* current_scope = nullptr;

// Lists `root` and every value under it in the parser's order: a value
// before what it holds, members and elements in order. Iterative: nesting
// is bounded by kMaxJsonDepth, but the walk need not rely on that.
std::vector<const rapidjson::Value*> ValuesInOrder(
    const rapidjson::Value& root) {
  std::vector<const rapidjson::Value*> order;
  std::vector<const rapidjson::Value*> pending = {&root};
  while (!pending.empty()) {
    const rapidjson::Value* value = pending.back();
    pending.pop_back();
    order.push_back(value);
    if (value->IsArray()) {
      for (auto element = value->End(); element != value->Begin();) {
        pending.push_back(&*--element);
      }
    } else if (value->IsObject()) {
      for (auto member = value->MemberEnd(); member != value->MemberBegin();) {
        pending.push_back(&(--member)->value);
      }
    }
  }
  return order;
}

}  // namespace

ParsedTextScope::ParsedTextScope(const rapidjson::Value& root,
                                 absl::string_view text)
    : root_(root), text_(text), outer_(current_scope) {
  current_scope = this;
}

ParsedTextScope::~ParsedTextScope() { current_scope = outer_; }

ParsedTextScope* ParsedTextScope::Current() { return current_scope; }

bool ParsedTextScope::Find(const rapidjson::Value& value,
                           absl::string_view* bytes) {
  // A top-level string's escapes were decoded in place: its bytes are no
  // longer the text.
  if (root_.IsString()) return false;
  if (spans_ == nullptr) {
    spans_ = std::make_unique<
        std::unordered_map<const rapidjson::Value*, JsonSpan>>();
    std::vector<JsonSpan> spans;
    const std::vector<const rapidjson::Value*> values = ValuesInOrder(root_);
    // The same parser made the document from the same text, so the two
    // lists match; if not (the text changed), nothing is found.
    if (FindJsonValueSpans(text_, &spans).ok() &&
        spans.size() == values.size()) {
      spans_->reserve(values.size());
      for (std::size_t i = 0; i < values.size(); ++i) {
        spans_->emplace(values[i], spans[i]);
      }
    }
  }
  const auto found = spans_->find(&value);
  if (found == spans_->end()) return false;
  *bytes = text_.substr(found->second.first,
                        found->second.second - found->second.first);
  return true;
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

absl::Status JsonCodec<RawJson>::Decode(const rapidjson::Value& json,
                                        RawJson* value) {
  absl::string_view bytes;
  if (internal::ParsedTextScope* scope = internal::ParsedTextScope::Current();
      scope != nullptr && scope->Find(json, &bytes)) {
    value->text.assign(bytes.data(), bytes.size());
    return absl::OkStatus();
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  json.Accept(writer);
  value->text.assign(buffer.GetString(), buffer.GetSize());
  return absl::OkStatus();
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
  // The writer escapes only ASCII: every byte from 0x80 up is a string's
  // or key's own.
  const absl::string_view text(buffer.GetString(), buffer.GetSize());
  if (absl::Status status =
          internal::CheckUtf8(text, "a rapidjson::Document's text");
      !status.ok()) {
    writer.Fail(std::move(status));
    writer.Null();
    return;
  }
  writer.RawValue(text.data(), text.size(), rapidjson::kObjectType);
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

}  // namespace gons::reexec
