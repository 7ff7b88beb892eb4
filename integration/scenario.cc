// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "integration/scenario.h"

#include <unistd.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "integration/harness_environment.h"
#include "integration/host_support.h"
#include "integration/namespace_holder.h"
#include "integration/namespace_launcher.h"

namespace gons::integration {

void PrintTo(const Scenario& scenario, std::ostream* out) {
  *out << LauncherName(scenario.launcher) << ", "
       << PrivilegeName(scenario.privilege);
}

std::vector<Scenario> AllScenarios() {
  std::vector<Scenario> scenarios = ScenariosOf(Launcher::kUnshare);
  for (const Scenario& scenario : ScenariosOf(Launcher::kBwrap)) {
    scenarios.push_back(scenario);
  }
  return scenarios;
}

std::vector<Scenario> ScenariosOf(Launcher launcher) {
  std::vector<Scenario> scenarios;
  for (const Privilege privilege : AvailablePrivileges()) {
    scenarios.push_back({launcher, privilege});
  }
  return scenarios;
}

std::string ScenarioName(const ::testing::TestParamInfo<Scenario>& info) {
  return absl::StrCat(LauncherName(info.param.launcher), "_",
                      PrivilegeName(info.param.privilege));
}

void ScenarioTest::SetUp() {
  if (privilege() == Privilege::kRoot && geteuid() != 0) {
    // Not a missing host feature: the test was simply not started as root.
    GTEST_SKIP() << PrivilegeUnavailable(privilege());
  }
  if (std::string why = PrivilegeUnavailable(privilege()); !why.empty()) {
    GONS_SKIP_OR_FAIL(why);
  }
  if (!needs_namespaces_) return;
  if (std::string why = LauncherUnavailable(launcher(), privilege());
      !why.empty()) {
    GONS_SKIP_OR_FAIL(why);
  }
}

void ScenarioTest::TearDown() { CountScenario(privilege(), IsSkipped()); }

std::unique_ptr<NamespaceHolder> ScenarioTest::Hold(
    const std::vector<std::string>& types, absl::string_view setup) {
  absl::StatusOr<std::unique_ptr<NamespaceHolder>> holder =
      StartHolder(launcher(), types, setup, drop());
  EXPECT_TRUE(holder.ok()) << holder.status();
  return holder.ok() ? *std::move(holder) : nullptr;
}

unsigned long long ScenarioTest::Id(const std::string& path) {
  absl::StatusOr<unsigned long long> id = NamespaceId(path);
  EXPECT_TRUE(id.ok()) << id.status();
  return id.ok() ? *id : 0;
}

}  // namespace gons::integration
