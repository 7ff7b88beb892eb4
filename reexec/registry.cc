// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "reexec/registry.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/strings/string_view.h"

namespace gons::reexec::internal {
namespace {

// Constant-initialized (std::mutex's constructor is constexpr), so that
// registrations from any static initializer, in any order, find the lock
// ready. std::mutex rather than absl::Mutex: ThreadSanitizer sees its
// locking through pthread, and not that of Debian's uninstrumented Abseil.
ABSL_CONST_INIT std::mutex registry_mutex;
ABSL_CONST_INIT std::mutex child_mutex;
std::atomic<bool> action_checked{false};
std::atomic<ChildExitHook> child_exit_hook{nullptr};

// Created on first use and never destroyed: actions may be registered from
// static initializers of any translation unit. Callers hold registry_mutex.
std::map<std::string, std::function<void()>, std::less<>>& Actions() {
  static auto* actions =
      new std::map<std::string, std::function<void()>, std::less<>>();
  return *actions;
}

// These two: callers hold child_mutex.
ChildLaunchSettings& LaunchSettings() {
  static auto* settings = new ChildLaunchSettings();
  return *settings;
}

std::optional<std::string>& ChildActionName() {
  static auto* name = new std::optional<std::string>();
  return *name;
}

}  // namespace

void AddAction(absl::string_view name, std::function<void()> action) {
  const std::lock_guard<std::mutex> lock(registry_mutex);
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
  const std::lock_guard<std::mutex> lock(registry_mutex);
  const auto found = Actions().find(name);
  if (found == Actions().end()) return std::nullopt;
  return found->second;
}

void MarkActionChecked() { action_checked.store(true); }
bool ActionChecked() { return action_checked.load(); }

void MarkChild(absl::string_view action) {
  const std::lock_guard<std::mutex> lock(child_mutex);
  ChildActionName() = std::string(action);
}

std::optional<std::string> ChildAction() {
  const std::lock_guard<std::mutex> lock(child_mutex);
  return ChildActionName();
}

void SetChildLaunchSettings(ChildLaunchSettings settings) {
  const std::lock_guard<std::mutex> lock(child_mutex);
  LaunchSettings() = std::move(settings);
}

ChildLaunchSettings GetChildLaunchSettings() {
  const std::lock_guard<std::mutex> lock(child_mutex);
  return LaunchSettings();
}

void SetChildExitHook(ChildExitHook hook) { child_exit_hook.store(hook); }
ChildExitHook GetChildExitHook() { return child_exit_hook.load(); }

}  // namespace gons::reexec::internal
