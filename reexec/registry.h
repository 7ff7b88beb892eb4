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

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_REGISTRY_H_
