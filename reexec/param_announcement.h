// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal to //reexec: the variable by which the parent announces its
// param's size to the child (RunInvocation() in reexec.cc sets it,
// RunAction() in child_action.cc reads it).

#ifndef GONS_REEXEC_PARAM_ANNOUNCEMENT_H_
#define GONS_REEXEC_PARAM_ANNOUNCEMENT_H_

namespace gons::reexec::internal {

// The size of the param's JSON text, announced to the child so that it
// reads the param into one buffer of that size: no growth, no copy.
inline constexpr char kParamSizeVariable[] = "gons_reexec_param_size";

}  // namespace gons::reexec::internal

#endif  // GONS_REEXEC_PARAM_ANNOUNCEMENT_H_
