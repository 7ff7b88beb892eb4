// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: registry.h
// -----------------------------------------------------------------------------
//
// The process-wide table of registered actions and the runner's own state:
// whether CheckAction() ran, and whether this process is a re-executed
// child. Internal to reexec; use reexec.h.

#ifndef GONS_REEXEC_REGISTRY_H_
#define GONS_REEXEC_REGISTRY_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace gons::reexec::internal {

// Adds an action; a second registration of `name` stops the program with a
// message naming it. Thread-safe.
void AddAction(absl::string_view name, std::function<void()> action);

// Returns the action registered as `name`, if any. Thread-safe.
std::optional<std::function<void()>> FindAction(absl::string_view name);

// Set by CheckAction()/RunAction(). Thread-safe.
void MarkActionChecked();
bool ActionChecked();

// Set when this process is a re-executed child, with the action it runs.
void MarkChild(absl::string_view action);
std::optional<std::string> ChildAction();

// A function that the child calls right before it exits (after flushing
// stdout), such as the coverage runtime's dump; null by default.
using ChildExitHook = void (*)();
void SetChildExitHook(ChildExitHook hook);
ChildExitHook GetChildExitHook();

// What a test wrapper changes in every child it starts (see //testing):
// for the coverage runtime of a child in other namespaces, and to keep a
// child from acting as a test.
struct ChildLaunchSettings {
  int passed_descriptor = -1;  // The child's descriptor 3 when >= 0.
  // NAME=VALUE entries that replace inherited ones of the same name.
  std::vector<std::string> set_variables;
  // Names of inherited variables that the child does not get.
  std::vector<std::string> removed_variables;
};

// Replaces the settings for every later child. Thread-safe; set them before
// the first RunReexecAction(), since a child being started sees either.
void SetChildLaunchSettings(ChildLaunchSettings settings);
ChildLaunchSettings GetChildLaunchSettings();

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_REGISTRY_H_
