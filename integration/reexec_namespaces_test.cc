// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: reexec_probe, a program linked with //reexec, runs an action
// in a re-executed child inside throwaway namespaces made by `bwrap` and by
// `unshare`, as root and as an unprivileged user, with a typed param and
// result crossing the pipes.

#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/harness_environment.h"
#include "integration/probe_runner.h"
#include "integration/scenario.h"
#include "integration/subprocess.h"
#include "rapidjson/document.h"

namespace gons::integration {
namespace {

using ::testing::HasSubstr;

::testing::Environment* const kHarness =
    ::testing::AddGlobalTestEnvironment(new HarnessEnvironment);

// What reexec_probe printed (see its protocol in reexec_probe.cc).
class ReexecOutcome {
 public:
  int exit_code = -1;
  std::string code;
  std::string message;
  rapidjson::Document result;  // Null when the call failed.
  std::string raw;             // stdout and stderr, for failure messages.

  // Returns the result's member `key` as a string, or "<missing>".
  std::string String(const char* key) const {
    const rapidjson::Value* value = Member(result, key);
    return value != nullptr && value->IsString() ? value->GetString()
                                                 : "<missing>";
  }
  // Returns the result's member `key` as a number, or 0.
  unsigned long long Number(const char* key) const {
    return AsNumber(Member(result, key));
  }
  // Returns the inode of the child's namespace of `type`, or 0.
  unsigned long long Namespace(const char* type) const {
    const rapidjson::Value* namespaces = Member(result, "namespaces");
    return AsNumber(namespaces != nullptr ? Member(*namespaces, type)
                                          : nullptr);
  }

 private:
  static const rapidjson::Value* Member(const rapidjson::Value& object,
                                        const char* key) {
    if (!object.IsObject()) return nullptr;
    const auto member = object.FindMember(key);
    return member != object.MemberEnd() ? &member->value : nullptr;
  }
  static unsigned long long AsNumber(const rapidjson::Value* value) {
    return value != nullptr && value->IsUint64() ? value->GetUint64() : 0;
  }
};

class ReexecNamespacesTest : public ScenarioTest {
 protected:
  void SetUp() override {
    ScenarioTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    absl::StatusOr<ProbeCopy> program =
        ProbeCopy::Create("integration/reexec_probe");
    ASSERT_TRUE(program.ok()) << program.status();
    program_ = std::make_unique<ProbeCopy>(*std::move(program));
  }

  // Runs reexec_probe ECHO FILE NAMESPACES... as the scenario's user.
  ReexecOutcome Run(const std::string& echo, const std::string& file,
                    const std::vector<std::string>& namespaces) {
    SubprocessOptions options;
    options.argv = {program_->path(), echo, file};
    options.argv.insert(options.argv.end(), namespaces.begin(),
                        namespaces.end());
    options.environment = CleanEnvironment();
    options.unprivileged = drop();
    ReexecOutcome outcome;
    absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
    EXPECT_TRUE(result.ok()) << result.status();
    if (!result.ok()) return outcome;
    outcome.exit_code = result->exit_code;
    outcome.raw = absl::StrCat(result->standard_output,
                               "\nstderr: ", result->standard_error);
    rapidjson::Document json;
    json.Parse(result->standard_output.c_str());
    EXPECT_TRUE(!json.HasParseError() && json.IsObject()) << outcome.raw;
    if (json.HasParseError() || !json.IsObject()) return outcome;
    outcome.code = json["code"].GetString();
    outcome.message = json["message"].GetString();
    outcome.result.CopyFrom(json["result"], outcome.result.GetAllocator());
    EXPECT_EQ(outcome.exit_code, outcome.code == "OK" ? 0 : 2) << outcome.raw;
    return outcome;
  }

  std::unique_ptr<ProbeCopy> program_;
};

TEST_P(ReexecNamespacesTest, ActionRunsInsideTheHoldersNamespaces) {
  auto holder = Hold({"user", "mnt", "net", "uts"}, R"(
hostname gons-reexec
mount -t tmpfs gons-private /tmp
echo "seen only in the holder" >/tmp/gons-marker
)");
  ASSERT_NE(holder, nullptr);
  ASSERT_NE(access("/tmp/gons-marker", F_OK), 0) << "must exist only in holder";
  const std::string echo =
      absl::StrCat("param of ", ScenarioName({GetParam(), 0}));
  const ReexecOutcome out = Run(echo, "/tmp/gons-marker",
                                {"!user=" + holder->NamespacePath("user"),
                                 "!mnt=" + holder->NamespacePath("mnt"),
                                 "net=" + holder->NamespacePath("net"),
                                 "uts=" + holder->NamespacePath("uts")});
  ASSERT_EQ(out.code, "OK") << out.message << out.raw;
  EXPECT_EQ(out.String("echo"), echo);
  EXPECT_EQ(out.String("file"), "seen only in the holder\n");
  EXPECT_EQ(out.String("hostname"), "gons-reexec");
  EXPECT_EQ(out.Number("uid"), 0u);  // Root in the holder's userns.
  for (const char* type : {"user", "mnt", "net", "uts"}) {
    EXPECT_EQ(out.Namespace(type), Id(holder->NamespacePath(type))) << type;
  }
}

// Namespaces(...) keeps gons_order's meaning: a plain type after mnt opens
// its path in the holder's mount namespace, `!` in the caller's.
TEST_P(ReexecNamespacesTest, PlainTypeAfterMntResolvesInTheHoldersMounts) {
  auto holder = Hold({"user", "mnt", "net"}, kPrivateNetReferenceSetup);
  ASSERT_NE(holder, nullptr);
  const std::string user = "user=" + holder->NamespacePath("user");
  const std::string mnt = "mnt=" + holder->NamespacePath("mnt");

  const ReexecOutcome late =
      Run("late", "/nonexistent", {user, mnt, "net=/tmp/gons-net"});
  ASSERT_EQ(late.code, "OK") << late.message << late.raw;
  EXPECT_EQ(late.Namespace("net"), Id(holder->NamespacePath("net")));

  const ReexecOutcome early =
      Run("early", "/nonexistent", {user, mnt, "!net=/tmp/gons-net"});
  EXPECT_EQ(early.code, "NOT_FOUND") << early.raw;
  EXPECT_THAT(early.message, HasSubstr("could not enter"));
  EXPECT_THAT(early.message, HasSubstr("gons_net=\"/tmp/gons-net\""));
  EXPECT_TRUE(early.result.IsNull());
}

TEST_P(ReexecNamespacesTest, ChildThatCannotEnterFailsTheCall) {
  auto holder = Hold({"user", "mnt", "net", "uts"});
  ASSERT_NE(holder, nullptr);
  const ReexecOutcome out = Run("wrong type", "/nonexistent",
                                {"user=" + holder->NamespacePath("user"),
                                 "net=" + holder->NamespacePath("uts")});
  EXPECT_EQ(out.code, "INVALID_ARGUMENT") << out.raw;
  EXPECT_THAT(out.message, HasSubstr("could not enter"));
  EXPECT_THAT(out.message,
              HasSubstr("is a uts namespace, not a net namespace"));
  EXPECT_TRUE(out.result.IsNull());
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ReexecNamespacesTest,
                         ::testing::ValuesIn(AllScenarios()), ScenarioName);

}  // namespace
}  // namespace gons::integration
