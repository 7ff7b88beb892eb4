// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/registry.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/base/const_init.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "tools/build_config/mutex_lock.h"

namespace gons::reexec::internal {
namespace {

using ::gons::internal::LockMutex;

// Constant-initialized, so that registrations from any static initializer,
// in any order, find the lock ready.
ABSL_CONST_INIT absl::Mutex registry_mutex(absl::kConstInit);
ABSL_CONST_INIT absl::Mutex child_mutex(absl::kConstInit);
std::atomic<bool> action_checked{false};
std::atomic<ChildExitHook> child_exit_hook{nullptr};

// Created on first use and never destroyed: actions may be registered from
// static initializers of any translation unit.
std::map<std::string, std::function<void()>, std::less<>>& Actions()
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(registry_mutex) {
  static auto* actions =
      new std::map<std::string, std::function<void()>, std::less<>>();
  return *actions;
}

ChildLaunchSettings& LaunchSettings()
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(child_mutex) {
  static auto* settings = new ChildLaunchSettings();
  return *settings;
}

std::optional<std::string>& ChildActionName()
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(child_mutex) {
  static auto* name = new std::optional<std::string>();
  return *name;
}

}  // namespace

void AddAction(absl::string_view name, std::function<void()> action) {
  const auto lock = LockMutex(registry_mutex);
  const bool added =
      Actions().emplace(std::string(name), std::move(action)).second;
  if (!added) {
    // Registration happens during static initialization, where nothing can
    // be returned: stop with a message that names the culprit.
    std::fprintf(stderr,
                 "gons::reexec::Register: action \"%.*s\" is registered twice; "
                 "each action name must be unique\n",
                 static_cast<int>(name.size()), name.data());
    std::abort();
  }
}

std::optional<std::function<void()>> FindAction(absl::string_view name) {
  const auto lock = LockMutex(registry_mutex);
  const auto found = Actions().find(name);
  if (found == Actions().end()) return std::nullopt;
  return found->second;
}

void MarkActionChecked() { action_checked.store(true); }
bool ActionChecked() { return action_checked.load(); }

void MarkChild(absl::string_view action) {
  const auto lock = LockMutex(child_mutex);
  ChildActionName() = std::string(action);
}

std::optional<std::string> ChildAction() {
  const auto lock = LockMutex(child_mutex);
  return ChildActionName();
}

void SetChildLaunchSettings(ChildLaunchSettings settings) {
  const auto lock = LockMutex(child_mutex);
  LaunchSettings() = std::move(settings);
}

ChildLaunchSettings GetChildLaunchSettings() {
  const auto lock = LockMutex(child_mutex);
  return LaunchSettings();
}

void SetChildExitHook(ChildExitHook hook) { child_exit_hook.store(hook); }
ChildExitHook GetChildExitHook() { return child_exit_hook.load(); }

}  // namespace gons::reexec::internal
