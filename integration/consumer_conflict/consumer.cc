// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Never built: its workspace is refused at loading (check_refusal.sh).

#include "gons/gons.h"

int main() { return gons::Status().ok() ? 0 : 1; }
