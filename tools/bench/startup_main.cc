// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The smallest C++ program, built twice: as it is (startup_plain) and linked
// with //gons (startup_gons), to measure what linking the switcher costs at
// start when no gons_* variable is set, and what entering namespaces costs
// when some are.
//
// Usage: startup_plain | startup_gons   (exits 0)

int main() { return 0; }
