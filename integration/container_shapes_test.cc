// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// End to end: the two shapes of namespaces that real containers have and
// that a fixed "user first" order cannot join, entered by the probe (the
// default, tolerant order) and by a //reexec child, with util-linux nsenter
// run on the same namespaces as the oracle:
//
//   1. an unrelated user namespace and a net+uts pair owned by the initial
//      user namespace. Only root may enter the pair: rootless, the pair is
//      the host's own, which the probe starts in and cannot enter again:
//      nsenter, gons and a //reexec child must refuse, while nsinspect,
//      which does not enter a namespace it is already in, stays in it;
//   2. a user namespace created below the owner of net+uts (`unshare --net
//      --uts` or `bwrap --unshare-net --unshare-uts`, then `unshare --user`
//      inside), as Docker userns-remap and Kubernetes user namespaces make.
//      Rootless, the owner is a user namespace of the unprivileged user, and
//      neither nsenter nor gons can enter net from outside it: both must
//      refuse, and gons must say it tried both orders.
//
// Debian 12's bwrap, run as root with --unshare-user, makes its net
// namespace inside its new user namespace (the usual shape), so shape 2 is
// made with bwrap for net+uts and unshare for the user namespace.

#include <unistd.h>

#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "integration/harness_environment.h"
#include "integration/namespace_holder.h"
#include "integration/namespace_launcher.h"
#include "integration/probe_runner.h"
#include "integration/probe_scenario.h"
#include "integration/scenario.h"
#include "integration/subprocess.h"
#include "rapidjson/document.h"

namespace gons::integration {
namespace {

using ::testing::HasSubstr;

::testing::Environment* const kHarness =
    ::testing::AddGlobalTestEnvironment(new HarnessEnvironment);

class ContainerShapesTest : public ProbeScenarioTest {
 protected:
  // Runs `nsenter ARGS... true` as the scenario's user; returns its exit.
  int Nsenter(const std::vector<std::string>& arguments) {
    absl::StatusOr<std::string> nsenter = FindProgram("nsenter");
    EXPECT_TRUE(nsenter.ok()) << nsenter.status();
    if (!nsenter.ok()) return -1;
    SubprocessOptions options;
    options.argv = {*nsenter};
    options.argv.insert(options.argv.end(), arguments.begin(), arguments.end());
    options.argv.push_back("/bin/true");
    options.environment = CleanEnvironment();
    options.unprivileged = drop();
    absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->exit_code : -1;
  }

  // Runs reexec_probe with an action in `namespaces` ("!user=PATH", ...);
  // returns its JSON output.
  rapidjson::Document Reexec(const std::vector<std::string>& namespaces) {
    rapidjson::Document json;
    absl::StatusOr<ProbeCopy> program =
        ProbeCopy::Create("integration/reexec_probe");
    EXPECT_TRUE(program.ok()) << program.status();
    if (!program.ok()) return json;
    SubprocessOptions options;
    options.argv = {program->path(), "shape", "/nonexistent"};
    options.argv.insert(options.argv.end(), namespaces.begin(),
                        namespaces.end());
    options.environment = CleanEnvironment();
    options.unprivileged = drop();
    absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
    EXPECT_TRUE(result.ok()) << result.status();
    if (!result.ok()) return json;
    json.Parse(result->standard_output.c_str());
    EXPECT_TRUE(!json.HasParseError() && json.IsObject())
        << result->standard_output << result->standard_error;
    return json;
  }

  // Runs `nsinspect --json ARGS...` as the scenario's user; returns its
  // exit status and fills `ids` with the id of each namespace it entered.
  int Nsinspect(const std::vector<std::string>& arguments,
                std::map<std::string, unsigned long long>* ids) {
    absl::StatusOr<ProbeCopy> program =
        ProbeCopy::Create("tools/nsinspect/nsinspect");
    EXPECT_TRUE(program.ok()) << program.status();
    if (!program.ok()) return -1;
    SubprocessOptions options;
    options.argv = {program->path(), "--json"};
    options.argv.insert(options.argv.end(), arguments.begin(), arguments.end());
    options.environment = CleanEnvironment();
    options.unprivileged = drop();
    absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
    EXPECT_TRUE(result.ok()) << result.status();
    if (!result.ok()) return -1;
    rapidjson::Document json;
    json.Parse(result->standard_output.c_str());
    if (result->exit_code == 0 && !json.HasParseError() && json.IsObject() &&
        json.HasMember("targets") && json["targets"].Size() == 1) {
      for (const rapidjson::Value& entry :
           json["targets"][0]["namespaces"].GetArray()) {
        if (entry["entered"].GetBool()) {
          (*ids)[entry["type"].GetString()] = entry["id"].GetUint64();
        }
      }
    }
    return result->exit_code;
  }

  // Shape 2: net+uts made by the scenario's launcher, the holder in a user
  // namespace made inside them by `unshare --user`.
  std::unique_ptr<NamespaceHolder> HoldUserBelowOwner() {
    std::vector<std::string> outer = {"net", "uts"};
    // Rootless, whether the test drops root or runs as an ordinary user:
    // only a user namespace gives the right to make net and uts.
    if (privilege() != Privilege::kRoot) outer.insert(outer.begin(), "user");
    absl::StatusOr<std::vector<std::string>> command =
        LauncherCommand(launcher(), outer);
    EXPECT_TRUE(command.ok()) << command.status();
    if (!command.ok()) return nullptr;
    command->insert(command->end(), {"unshare", "--user"});
    absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder =
        NamespaceHolder::Start(*command, "", drop());
    EXPECT_TRUE(holder.ok()) << holder.status();
    return holder.ok() ? *std::move(holder) : nullptr;
  }
};

TEST_P(ContainerShapesTest, EntersAnUnrelatedUserNamespaceAndNetOnlyAsRoot) {
  if (privilege() != Privilege::kRoot) {
    // No one but root can make a net namespace owned by the initial user
    // namespace; the one the probe, nsenter and nsinspect start in is such a
    // namespace (each opens its own).
    auto user = Hold({"user"});
    ASSERT_NE(user, nullptr);
    const std::string user_path = user->NamespacePath("user");
    const std::string net_path = "/proc/self/ns/net";
    const std::string uts_path = "/proc/self/ns/uts";
    absl::StatusOr<uid_t> owner = NamespaceOwnerUid(net_path);
    ASSERT_TRUE(owner.ok()) << owner.status();
    ASSERT_EQ(*owner, uid_t{0}) << "this test's net namespace is not root's";
    EXPECT_NE(Nsenter({"--user=" + user_path, "--net=" + net_path,
                       "--uts=" + uts_path}),
              0);
    const ProbeOutput out =
        Probe({"gons_user=" + user_path, "gons_net=" + net_path,
               "gons_uts=" + uts_path});
    EXPECT_EQ(out.code, "PERMISSION_DENIED") << out.raw;
    EXPECT_THAT(out.message, HasSubstr("refused both before entering the "
                                       "user namespace"));
    // nsinspect leaves a namespace it is already in as it is: it enters the
    // user namespace only, and views the pair from there.
    std::map<std::string, unsigned long long> seen;
    EXPECT_EQ(
        Nsinspect({"--user", user_path, "--net", net_path, "--uts", uts_path},
                  &seen),
        0);
    EXPECT_EQ(seen["user"], Id(user_path));
    EXPECT_EQ(seen.count("net"), 0u);
    EXPECT_EQ(seen.count("uts"), 0u);
    const rapidjson::Document reexec =
        Reexec({"!user=" + user_path, "!net=" + net_path, "!uts=" + uts_path});
    ASSERT_TRUE(reexec.IsObject());
    EXPECT_STREQ(reexec["code"].GetString(), "PERMISSION_DENIED")
        << reexec["message"].GetString();
    return;
  }
  auto user = Hold({"user"});
  auto net = Hold({"net", "uts"}, "hostname gons-shape-one");
  ASSERT_NE(user, nullptr);
  ASSERT_NE(net, nullptr);
  const std::string user_path = user->NamespacePath("user");
  const std::string net_path = net->NamespacePath("net");
  const std::string uts_path = net->NamespacePath("uts");
  ASSERT_EQ(Nsenter({"--user=" + user_path, "--net=" + net_path,
                     "--uts=" + uts_path}),
            0);

  const ProbeOutput out =
      Probe({"gons_user=" + user_path, "gons_net=" + net_path,
             "gons_uts=" + uts_path});
  ASSERT_TRUE(out.ok) << out.raw;
  EXPECT_EQ(out.namespaces.at("user"), Id(user_path));
  EXPECT_EQ(out.namespaces.at("net"), Id(net_path));
  EXPECT_EQ(out.hostname, "gons-shape-one");
  EXPECT_EQ(Outcomes(out), "!net:entered !uts:entered !user:entered");

  // The old fixed order, now written explicitly, is strict and says which
  // order would have worked.
  const ProbeOutput strict =
      Probe({"gons_order=!user,!net,!uts", "gons_user=" + user_path,
             "gons_net=" + net_path, "gons_uts=" + uts_path});
  EXPECT_EQ(strict.code, "PERMISSION_DENIED") << strict.raw;
  EXPECT_THAT(strict.message, HasSubstr("enter net before user"));
  EXPECT_THAT(strict.message, ::testing::Not(HasSubstr("put user before")));

  std::map<std::string, unsigned long long> seen;
  EXPECT_EQ(
      Nsinspect({"--user", user_path, "--net", net_path, "--uts", uts_path},
                &seen),
      0);
  EXPECT_EQ(seen["user"], Id(user_path));
  EXPECT_EQ(seen["net"], Id(net_path));

  const rapidjson::Document reexec =
      Reexec({"!user=" + user_path, "!net=" + net_path, "!uts=" + uts_path});
  ASSERT_TRUE(reexec.IsObject());
  EXPECT_STREQ(reexec["code"].GetString(), "OK")
      << reexec["message"].GetString();
  if (reexec["result"].IsObject()) {
    EXPECT_STREQ(reexec["result"]["hostname"].GetString(), "gons-shape-one");
    EXPECT_EQ(reexec["result"]["namespaces"]["user"].GetUint64(),
              Id(user_path));
  }
}

TEST_P(ContainerShapesTest, EntersAUserNamespaceBelowTheOwnerOfNet) {
  auto holder = HoldUserBelowOwner();
  ASSERT_NE(holder, nullptr);
  const std::string user_path = holder->NamespacePath("user");
  const std::string net_path = holder->NamespacePath("net");
  const std::string uts_path = holder->NamespacePath("uts");
  ASSERT_NE(Id(user_path), Id("/proc/self/ns/user"));
  ASSERT_NE(Id(net_path), Id("/proc/self/ns/net"));
  const std::vector<std::string> variables = {
      "gons_user=" + user_path, "gons_net=" + net_path, "gons_uts=" + uts_path};
  // --preserve-credentials: gons keeps the process's ids, and uid 0 is not
  // mapped in this user namespace (nsenter's setgid(0) fails there).
  const int oracle = Nsenter(
      {"--all", "--preserve-credentials", "-t", absl::StrCat(holder->pid())});
  const ProbeOutput out = Probe(variables);
  const rapidjson::Document reexec =
      Reexec({"!user=" + user_path, "!net=" + net_path, "!uts=" + uts_path});
  ASSERT_TRUE(reexec.IsObject());
  std::map<std::string, unsigned long long> seen;
  const int inspected =
      Nsinspect({"--pid", absl::StrCat(holder->pid())}, &seen);

  if (privilege() == Privilege::kRoot) {
    EXPECT_EQ(oracle, 0);
    EXPECT_EQ(inspected, 0);
    EXPECT_EQ(seen["user"], Id(user_path));
    EXPECT_EQ(seen["net"], Id(net_path));
    ASSERT_TRUE(out.ok) << out.raw;
    EXPECT_EQ(out.namespaces.at("user"), Id(user_path));
    EXPECT_EQ(out.namespaces.at("net"), Id(net_path));
    EXPECT_EQ(out.namespaces.at("uts"), Id(uts_path));
    EXPECT_EQ(Outcomes(out), "!net:entered !uts:entered !user:entered");
    EXPECT_STREQ(reexec["code"].GetString(), "OK")
        << reexec["message"].GetString();
    if (reexec["result"].IsObject()) {
      EXPECT_EQ(reexec["result"]["namespaces"]["net"].GetUint64(),
                Id(net_path));
    }
    std::vector<std::string> strict = variables;
    strict.push_back("gons_order=!user,!net,!uts");
    const ProbeOutput old = Probe(strict);
    EXPECT_EQ(old.code, "PERMISSION_DENIED") << old.raw;
    EXPECT_THAT(old.message, HasSubstr("enter net before user"));
  } else {
    // The owner of net is the unprivileged user's own user namespace, which
    // the process is outside of: nsenter fails, and so must gons.
    EXPECT_NE(oracle, 0);
    EXPECT_EQ(out.code, "PERMISSION_DENIED") << out.raw;
    EXPECT_THAT(out.message, HasSubstr("refused both before entering the "
                                       "user namespace"));
    EXPECT_STRNE(reexec["code"].GetString(), "OK");
    EXPECT_EQ(inspected, 1);
  }
}

// The identity after the user switch. By default the process keeps its ids;
// gons_credentials=root becomes uid and gid 0 of the namespace, as nsenter
// does without --preserve-credentials, and fails where nsenter fails.
TEST_P(ContainerShapesTest, KeepsItsIdsUnlessAskedToBecomeRoot) {
  std::unique_ptr<NamespaceHolder> holder;
  if (privilege() == Privilege::kRoot && launcher() == Launcher::kUnshare) {
    // A namespace that maps only 0, to host uid and gid 100000: root's own
    // uid 0 is unmapped there, so by default the probe runs as the overflow
    // id. Written by this process, which is root outside.
    absl::StatusOr<std::unique_ptr<NamespaceHolder>> started =
        NamespaceHolder::Start({"unshare", "--user"}, "", false);
    ASSERT_TRUE(started.ok()) << started.status();
    holder = *std::move(started);
    for (const char* map : {"uid_map", "gid_map"}) {
      std::ofstream file(absl::StrCat("/proc/", holder->pid(), "/", map));
      file << "0 100000 1\n";
      file.close();
      ASSERT_TRUE(file) << map;
    }
    const std::string user = "gons_user=" + holder->NamespacePath("user");
    const ProbeOutput kept = Probe({user});
    ASSERT_TRUE(kept.ok) << kept.raw;
    EXPECT_EQ(kept.uid, 65534u);
    const ProbeOutput root = Probe({user, "gons_credentials=root"});
    ASSERT_TRUE(root.ok) << root.raw;
    EXPECT_EQ(root.uid, 0u);
    EXPECT_EQ(root.euid, 0u);
    EXPECT_EQ(Nsenter({"--user=" + holder->NamespacePath("user")}), 0);
    return;
  }
  // A namespace that maps the process's own ids to 1000 and nothing to 0.
  std::vector<std::string> command =
      launcher() == Launcher::kUnshare
          ? std::vector<std::string>{"unshare", "--user", "--map-user=1000",
                                     "--map-group=1000"}
          : std::vector<std::string>{
                "bwrap", "--unshare-user", "--uid", "1000", "--gid",
                "1000",  "--dev-bind",     "/",     "/"};
  absl::StatusOr<std::unique_ptr<NamespaceHolder>> started =
      NamespaceHolder::Start(command, "", drop());
  ASSERT_TRUE(started.ok()) << started.status();
  holder = *std::move(started);
  const std::string path = holder->NamespacePath("user");
  const ProbeOutput kept = Probe({"gons_user=" + path});
  ASSERT_TRUE(kept.ok) << kept.raw;
  EXPECT_EQ(kept.uid, 1000u);
  const ProbeOutput root =
      Probe({"gons_user=" + path, "gons_credentials=root"});
  EXPECT_EQ(root.code, "INVALID_ARGUMENT") << root.raw;
  EXPECT_THAT(root.message, HasSubstr("maps no uid or gid 0"));
  EXPECT_NE(Nsenter({"--user=" + path}), 0);
  EXPECT_EQ(Nsenter({"--user=" + path, "--preserve-credentials"}), 0);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ContainerShapesTest,
                         ::testing::ValuesIn(AllScenarios()), ScenarioName);

}  // namespace
}  // namespace gons::integration
