// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// FormatJson formats each target on its own and joins the pieces; these
// tests hold the result to what RapidJSON's own PrettyWriter makes of the
// whole document at once, whatever the number of threads.

#include "tools/nsinspect/format.h"

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"
#include "tools/nsinspect/inspect.h"
#include "tools/nsinspect/view.h"

namespace gons::nsinspect {
namespace {

// A report with something in every kind of JSON value: nested arrays and
// objects, numbers, booleans, and strings that need escaping or are not
// UTF-8.
TargetReport InspectedReport(int number) {
  TargetReport report;
  report.label = absl::StrCat("--netns blue", number);
  TargetNamespace entry;
  entry.type = "net";
  entry.path = absl::StrCat("/run/netns/blue", number);
  entry.id = 4026532000u + static_cast<unsigned>(number);
  report.namespaces.push_back(entry);
  report.view.namespace_ids["net"] = entry.id;
  report.view.uts.host_name = "caf\xe9\n\"quoted\"\t\\";  // Not UTF-8.
  report.view.uts.domain_name = "d\xc3\xa9j\xc3\xa0";     // UTF-8.
  for (int i = 0; i < 3; ++i) {
    Mount mount;
    mount.id = 20 + i;
    mount.parent_id = 1;
    mount.root = "/";
    mount.mount_point = absl::StrCat("/mnt/with space/", i);
    mount.type = "tmpfs";
    mount.options = "rw,nosuid";
    mount.propagation = "private";
    report.view.mounts.push_back(mount);
  }
  report.view.errors["posix_queues"] = "mqueue: Operation not permitted";
  return report;
}

TargetReport FailedReport() {
  TargetReport report;
  report.label = "--netns missing";
  report.status = absl::NotFoundError("/run/netns/missing: No such file");
  return report;
}

// What PrettyWriter, indenting by two, makes of `json` parsed whole.
std::string IndentedAtOnce(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  EXPECT_FALSE(document.HasParseError()) << json.substr(0, 200);
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  document.Accept(writer);
  return absl::StrCat(buffer.GetString(), "\n");
}

TEST(FormatJsonTest, IsTheWholeDocumentIndentedAtOnce) {
  const std::vector<TargetReport> reports = {InspectedReport(1), FailedReport(),
                                             InspectedReport(2)};
  const std::string json = FormatJson(reports);
  EXPECT_EQ(json, IndentedAtOnce(json));
  EXPECT_NE(
      json.find("\"host_name\": \"caf\xef\xbf\xbd\\n\\\"quoted\\\"\\t\\\\\""),
      std::string::npos)
      << json;
  EXPECT_NE(json.find("\"domain_name\": \"d\xc3\xa9j\xc3\xa0\""),
            std::string::npos);
  EXPECT_NE(json.find("\"code\": \"NOT_FOUND\""), std::string::npos);
}

TEST(FormatJsonTest, GivesTheSameDocumentOnAnyNumberOfThreads) {
  std::vector<TargetReport> reports;
  for (int i = 0; i < 37; ++i) {
    reports.push_back(i % 5 == 3 ? FailedReport() : InspectedReport(i));
  }
  const std::string alone = FormatJson(reports, 1);
  EXPECT_EQ(alone, IndentedAtOnce(alone));
  for (const int parallel : {2, 4, 16, 64}) {
    EXPECT_EQ(FormatJson(reports, parallel), alone) << parallel;
  }
  // In the order given.
  std::size_t at = 0;
  for (int i = 0; i < 37; ++i) {
    if (i % 5 == 3) continue;
    at = alone.find(absl::StrCat("\"--netns blue", i, "\""), at);
    ASSERT_NE(at, std::string::npos) << i;
  }
}

TEST(FormatJsonTest, WritesAnEmptyListOfTargets) {
  EXPECT_EQ(FormatJson({}, 4), "{\n  \"targets\": []\n}\n");
  EXPECT_EQ(FormatJson({}), IndentedAtOnce("{\"targets\": []}"));
}

}  // namespace
}  // namespace gons::nsinspect
