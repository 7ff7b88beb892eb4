// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The process floor: a C program that does nothing. Timing it measures the
// cost of spawning a process and waiting for it, which every other figure
// of the benchmark pays too.
//
// Usage: floor_exit   (exits 0)

int main(void) { return 0; }
