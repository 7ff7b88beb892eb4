// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Every parsing case of the public JSONTestSuite through the decoders, the
// way a result arrives: as RawJson, as rapidjson::Document and typed. The
// cases live outside the project, in
// `../shared/conformance/JSONTestSuite/test_parsing/` relative to the
// project root; the test finds the root by resolving the symbolic link of
// its own source file in its runfiles, or takes the folder from
// GONS_JSON_TEST_SUITE (pass it with --test_env). Where the folder is absent
// the test is skipped with "did not run: folder absent"; GONS_MUST_WORK=1
// turns that into a failure.

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "reexec/json.h"

namespace gons::reexec {
namespace {

std::string SuiteFolder() {
  if (const char* folder = std::getenv("GONS_JSON_TEST_SUITE");
      folder != nullptr && folder[0] != '\0') {
    return folder;
  }
  const char* runfiles = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  if (runfiles == nullptr || workspace == nullptr) return "";
  const std::string source = std::string(runfiles) + "/" + workspace +
                             "/reexec/json_conformance_test.cc";
  char resolved[PATH_MAX];
  if (realpath(source.c_str(), resolved) == nullptr) return "";
  std::string root(resolved);
  // Up from <root>/reexec/json_conformance_test.cc.
  for (int level = 0; level < 2; ++level) {
    const std::size_t slash = root.rfind('/');
    if (slash == std::string::npos) return "";
    root.resize(slash);
  }
  return root + "/../shared/conformance/JSONTestSuite/test_parsing";
}

std::vector<std::string> CaseNames(const std::string& folder) {
  std::vector<std::string> names;
  DIR* directory = opendir(folder.c_str());
  if (directory == nullptr) return names;
  while (const dirent* entry = readdir(directory)) {
    const std::string name = entry->d_name;
    if (absl::EndsWith(name, ".json")) names.push_back(name);
  }
  closedir(directory);
  std::sort(names.begin(), names.end());
  return names;
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

// Decodes `text` into the C++ type that fits its top-level value (the way
// an action's typed Result would), and returns the status.
absl::Status DecodeTyped(const std::string& text,
                         const rapidjson::Document& shape) {
  if (shape.IsArray()) {
    std::vector<RawJson> value;
    return DecodeJson(text, &value);
  }
  if (shape.IsObject()) {
    std::map<std::string, RawJson> value;
    return DecodeJson(text, &value);
  }
  if (shape.IsString()) {
    std::string value;
    return DecodeJson(text, &value);
  }
  if (shape.IsBool()) {
    bool value = false;
    return DecodeJson(text, &value);
  }
  if (shape.IsNull()) {
    std::optional<int> value;
    return DecodeJson(text, &value);
  }
  double value = 0;
  return DecodeJson(text, &value);
}

// What happened to one case.
struct Outcome {
  absl::Status raw;
  absl::Status document;
  absl::Status typed;  // Only when the Document accepted it.
};

Outcome DecodeEveryWay(const std::string& text) {
  Outcome outcome;
  RawJson raw;
  outcome.raw = DecodeJson(text, &raw);
  rapidjson::Document document;
  outcome.document = DecodeJson(text, &document);
  if (outcome.document.ok()) {
    outcome.typed = DecodeTyped(text, document);
  } else {
    outcome.typed = outcome.document;
  }
  return outcome;
}

class JsonConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = SuiteFolder();
    names_ = CaseNames(folder_);
    if (names_.empty()) {
      const std::string reason =
          "did not run: folder absent (" + folder_ +
          "); set GONS_JSON_TEST_SUITE or place shared/ beside the clone";
      const char* must_work = std::getenv("GONS_MUST_WORK");
      if (must_work != nullptr && std::string(must_work) == "1") {
        FAIL() << reason;
      }
      GTEST_SKIP() << reason;
    }
  }

  // The cases whose name starts with `prefix`, with their text.
  std::vector<std::pair<std::string, std::string>> Cases(
      const std::string& prefix) const {
    std::vector<std::pair<std::string, std::string>> cases;
    for (const std::string& name : names_) {
      if (absl::StartsWith(name, prefix)) {
        cases.emplace_back(name, ReadFile(folder_ + "/" + name));
      }
    }
    return cases;
  }

  std::string folder_;
  std::vector<std::string> names_;
};

TEST_F(JsonConformanceTest, AcceptsEveryYesCase) {
  const auto cases = Cases("y_");
  ASSERT_EQ(cases.size(), 95u) << "the suite in " << folder_ << " changed";
  for (const auto& [name, text] : cases) {
    const Outcome outcome = DecodeEveryWay(text);
    EXPECT_TRUE(outcome.raw.ok()) << name << " as RawJson: " << outcome.raw;
    EXPECT_TRUE(outcome.document.ok())
        << name << " as Document: " << outcome.document;
    // Typed decoding refuses a duplicate key by policy (see json.h).
    if (absl::StrContains(name, "duplicated_key")) {
      EXPECT_FALSE(outcome.typed.ok()) << name << " typed";
    } else {
      EXPECT_TRUE(outcome.typed.ok()) << name << " typed: " << outcome.typed;
    }
  }
}

TEST_F(JsonConformanceTest, RefusesEveryNoCase) {
  const auto cases = Cases("n_");
  ASSERT_EQ(cases.size(), 188u) << "the suite in " << folder_ << " changed";
  for (const auto& [name, text] : cases) {
    const Outcome outcome = DecodeEveryWay(text);
    EXPECT_EQ(outcome.raw.code(), absl::StatusCode::kInvalidArgument)
        << name << " as RawJson: " << outcome.raw;
    EXPECT_EQ(outcome.document.code(), absl::StatusCode::kInvalidArgument)
        << name << " as Document: " << outcome.document;
    EXPECT_EQ(outcome.typed.code(), absl::StatusCode::kInvalidArgument)
        << name << " typed: " << outcome.typed;
  }
}

// What the policies of json.h decide for an implementation-defined case:
// strings are strict UTF-8 with no lone surrogate, escaped or not, and no
// byte order mark (RFC 7493); nesting stops at kMaxJsonDepth; numbers are
// refused only beyond a double's range (an underflow reads as 0).
bool PolicyAccepts(const std::string& name) {
  for (const char* refused :
       {"_string_", "_object_key_", "BOM", "nested", "overflow"}) {
    if (absl::StrContains(name, refused)) return false;
  }
  return !absl::StrContains(name, "huge_exp") ||
         absl::StrContains(name, "huge_neg_exp");
}

// Implementation-defined cases: either answer is allowed by the suite; the
// answer is the one the policies give, the three ways agree, and a refusal
// is a status, not a crash.
TEST_F(JsonConformanceTest, DecidesEveryImplementationDefinedCase) {
  const auto cases = Cases("i_");
  ASSERT_FALSE(cases.empty());
  for (const auto& [name, text] : cases) {
    const Outcome outcome = DecodeEveryWay(text);
    EXPECT_EQ(outcome.raw.ok(), outcome.document.ok())
        << name << ": RawJson " << outcome.raw << ", Document "
        << outcome.document;
    EXPECT_EQ(outcome.raw.ok(), PolicyAccepts(name))
        << name << ": RawJson " << outcome.raw;
    EXPECT_EQ(outcome.typed.ok(), PolicyAccepts(name))
        << name << ": typed " << outcome.typed;
    for (const absl::Status* status :
         {&outcome.raw, &outcome.document, &outcome.typed}) {
      EXPECT_TRUE(status->ok() ||
                  status->code() == absl::StatusCode::kInvalidArgument)
          << name << ": " << *status;
    }
    std::printf("%s: RawJson %s, Document %s, typed %s\n", name.c_str(),
                outcome.raw.ok() ? "accepted" : "refused",
                outcome.document.ok() ? "accepted" : "refused",
                outcome.typed.ok() ? "accepted" : "refused");
  }
}

}  // namespace
}  // namespace gons::reexec
