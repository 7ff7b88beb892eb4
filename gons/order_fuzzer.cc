// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target for ParseOrder(), the parser of `gons_order`, which reads text
// that whoever starts the program controls. Beyond not crashing, it checks
// the parser against a straightforward reference written with std::string:
// both accept the same texts, reject the others with the same error at the
// same element, and an accepted order prints back as exactly its text (the
// grammar has one spelling per order).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "gons/namespace_types.h"
#include "gons/order.h"

namespace {

struct Expected {
  gons::OrderErrorKind kind = gons::OrderErrorKind::kNone;
  int element_number = 0;
};

// The grammar of order.h, spelled out the simple way.
Expected ReferenceParse(std::string text) {
  if (text.rfind(gons::kTolerantPrefix, 0) == 0) {
    text.erase(0, std::string(gons::kTolerantPrefix).size());
  }
  if (text.empty()) return {};
  std::vector<std::string> elements;
  std::string::size_type start = 0;
  for (;;) {
    const std::string::size_type comma = text.find(',', start);
    elements.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    std::string name = elements[i];
    if (!name.empty() && name[0] == '!') name.erase(0, 1);
    const int number = static_cast<int>(i) + 1;
    if (name.empty()) return {gons::OrderErrorKind::kEmptyElement, number};
    if (gons::FindNamespaceTypeIndex(name.data(), name.size()) < 0) {
      return {gons::OrderErrorKind::kUnknownType, number};
    }
    if (!seen.insert(name).second) {
      return {gons::OrderErrorKind::kDuplicateType, number};
    }
  }
  return {};
}

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  // The switcher sees a C string: everything up to the first NUL.
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string c_text = text.substr(0, text.find('\0'));

  gons::ParsedOrder order;
  gons::OrderParseError error;
  const bool ok = gons::ParseOrder(c_text.c_str(), &order, &error);
  const Expected expected = ReferenceParse(c_text);

  Check(ok == (expected.kind == gons::OrderErrorKind::kNone));
  Check(error.kind == expected.kind);
  Check(gons::DescribeOrderError(error.kind) != nullptr);
  if (!ok) {
    Check(error.element_number == expected.element_number);
    // The element points into the text and ends within it.
    Check(error.element >= c_text.c_str());
    Check(error.element + error.element_length <=
          c_text.c_str() + c_text.size());
    return 0;
  }
  Check(order.count >= 0 && order.count <= gons::kNumNamespaceTypes);
  std::string printed = order.tolerant ? gons::kTolerantPrefix : "";
  for (int step = 0; step < order.count; ++step) {
    const int type = order.steps[step].type_index;
    Check(type >= 0 && type < gons::kNumNamespaceTypes);
    if (step > 0) printed += ',';
    if (order.steps[step].open_early) printed += '!';
    printed += gons::kNamespaceTypes[type].name;
  }
  Check(printed == c_text);
  return 0;
}
