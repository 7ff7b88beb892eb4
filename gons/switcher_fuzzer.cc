// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Fuzz target for the switcher's handling of its environment: whatever the
// environment and whichever system calls fail, RunSwitcher() must close
// every descriptor it opened, remove exactly its own variables (keeping the
// other entries in order), leave a record whose states agree with the order
// (entered ones first, then at most one failure, then the rest untouched),
// and produce a status that is OK exactly when nothing failed. The system
// calls are those of the fake kernel, which serves a namespace of each type
// at /ns/TYPE and a plain file at /etc/passwd.
//
// Input: lines. A line starting with '#' configures the fake kernel:
//   #fault CALL PATH ERRNO   make CALL (open, check, setns, close) on PATH
//                            fail with ERRNO (1 to 4095)
//   #threads N               the thread count the switcher sees
//   #secure                  run as a set-user-ID program (AT_SECURE)
// Every other line is one environment entry, such as `gons_net=/ns/net`.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gons/environment.h"
#include "gons/fake_system_calls.h"
#include "gons/gons.h"
#include "gons/namespace_types.h"
#include "gons/record_status.h"
#include "gons/startup_record.h"
#include "gons/switcher.h"

namespace gons::internal {
namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

// True when `entry` sets one of the variables the switcher consumes.
bool IsSwitcherVariable(const std::string& entry) {
  std::vector<std::string> names = {kOrderVariable, kCredentialsVariable};
  for (const NamespaceType& type : kNamespaceTypes) {
    names.push_back(type.variable);
  }
  for (const std::string& name : names) {
    if (entry.compare(0, name.size() + 1, name + "=") == 0) return true;
  }
  return false;
}

void Configure(const std::string& line, FakeKernel* kernel) {
  std::istringstream words(line.substr(1));
  std::string command;
  words >> command;
  if (command == "fault") {
    std::string call, path;
    long error_number = 0;
    words >> call >> path >> error_number;
    if (error_number >= 1 && error_number <= 4095) {
      kernel->FailCall(call, path, static_cast<int>(error_number));
    }
  } else if (command == "threads") {
    long threads = 1;
    words >> threads;
    kernel->set_thread_count(threads);
  } else if (command == "secure") {
    kernel->set_secure_execution(true);
  }
}

// Checks that the requested namespaces, in switching order, are
// entered* [failed] pending*: the switcher stops at the first failure and
// touches nothing after it (a failed close() leaves its namespace entered).
// The one exception is opening the `!` paths, all done before the first
// switch: when one of those fails, nothing is entered and the failed one may
// come after others that are still pending.
//
// A tolerant order enters in passes (see order.h): there the entered ones
// are exactly those of the entered sequence, each once, the user namespace
// among them only after every first-pass entry.
void CheckTolerantProgress(const StartupRecord& record) {
  int entered = 0, failed = 0, requested = 0;
  for (const NamespaceRecord& entry : record.namespaces) {
    if (entry.state == NamespaceState::kNotRequested) continue;
    ++requested;
    if (entry.state == NamespaceState::kEntered) ++entered;
    if (entry.state == NamespaceState::kFailed) ++failed;
    Check(entry.deferred == false || entry.pass != SwitchPass::kBeforeUser);
  }
  Check(entered == record.entered_count);
  Check(failed <= 1);
  bool after_user = false;
  for (int index = 0; index < record.entered_count; ++index) {
    const NamespaceRecord& entry =
        record.namespaces[record.entered_sequence[index]];
    Check(entry.state == NamespaceState::kEntered);
    if (entry.pass == SwitchPass::kUser) after_user = true;
    Check(entry.pass !=
          (after_user ? SwitchPass::kBeforeUser : SwitchPass::kAfterUser));
  }
  if (record.failed_step == SwitchStep::kNone) Check(entered == requested);
  Check(ReportFromRecord(record).size() == static_cast<std::size_t>(requested));
}

void CheckProgress(const StartupRecord& record) {
  if (record.order.tolerant) {
    CheckTolerantProgress(record);
    return;
  }
  std::vector<const NamespaceRecord*> requested;
  for (int step = 0; step < record.order.count; ++step) {
    const NamespaceRecord& entry =
        record.namespaces[record.order.steps[step].type_index];
    if (entry.state != NamespaceState::kNotRequested) {
      requested.push_back(&entry);
    }
  }
  std::size_t entered = 0;
  while (entered < requested.size() &&
         requested[entered]->state == NamespaceState::kEntered) {
    ++entered;
  }
  int failed = 0;
  for (std::size_t i = entered; i < requested.size(); ++i) {
    const NamespaceRecord& entry = *requested[i];
    Check(entry.state != NamespaceState::kEntered);
    if (entry.state != NamespaceState::kFailed) continue;
    ++failed;
    const bool failed_early_open =
        entered == 0 && entry.open_early &&
        (record.failed_step == SwitchStep::kOpen ||
         record.failed_step == SwitchStep::kCheckType);
    Check(i == entered || failed_early_open);
  }
  Check(failed <= 1);
  if (record.failed_step == SwitchStep::kNone) {
    Check(entered == requested.size());
  }
  Check(ReportFromRecord(record).size() == requested.size());
}

}  // namespace
}  // namespace gons::internal

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using namespace gons::internal;  // NOLINT: a fuzz target's entry point.
  FakeKernel kernel;
  for (const gons::NamespaceType& type : gons::kNamespaceTypes) {
    kernel.AddNamespace(std::string("/ns/") + type.name, type.clone_flag);
  }
  kernel.AddPlainFile("/etc/passwd");

  std::vector<std::string> entries;
  std::istringstream lines(
      std::string(reinterpret_cast<const char*>(data), size));
  for (std::string line; std::getline(lines, line);) {
    // An environment entry is a C string: it ends at the first NUL.
    line = line.substr(0, line.find('\0'));
    if (!line.empty() && line[0] == '#') {
      Configure(line, &kernel);
    } else {
      entries.push_back(line);
    }
  }
  std::vector<std::string> expected_left;
  bool any_variable = false;
  for (const std::string& entry : entries) {
    if (IsSwitcherVariable(entry)) {
      any_variable = true;
    } else {
      expected_left.push_back(entry);
    }
  }

  TestEnvironment environment(entries);
  StartupRecord record = {};
  RunSwitcher(environment.envp(), kernel.calls(), &record);

  Check(kernel.open_descriptors() == 0);
  Check(environment.entries() == expected_left);
  Check(record.ran);
  Check(record.variables_present == any_variable);
  if (!any_variable) Check(kernel.log().empty());
  if (record.failed_step == SwitchStep::kSecurity ||
      record.failed_step == SwitchStep::kParseOrder ||
      record.failed_step == SwitchStep::kThreads) {
    Check(kernel.log().empty());
  }
  if (record.failed_step >= SwitchStep::kOpen &&
      record.failed_step != SwitchStep::kCredentials) {
    Check(record.failed_type >= 0 &&
          record.failed_type < gons::kNumNamespaceTypes);
    const NamespaceState failed = record.namespaces[record.failed_type].state;
    Check(failed == (record.failed_step == SwitchStep::kClose
                         ? NamespaceState::kEntered
                         : NamespaceState::kFailed));
  }
  CheckProgress(record);

  const absl::Status status = StatusFromRecord(record);
  Check(status.ok() == (record.failed_step == SwitchStep::kNone));
  Check(status.ok() || !status.message().empty());
  return 0;
}
