// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Linked into //integration:threaded_probe ahead of //gons: a second
// `.preinit_array` entry that starts a thread before the switcher runs, to
// test that the switcher refuses a multi-threaded process. The linker keeps
// `.preinit_array` entries in link order, and a binary's own objects come
// before its libraries.

#include <pthread.h>
#include <unistd.h>

#include <cstdlib>

namespace {

void* Idle(void*) {
  for (;;) pause();
}

void StartThread(int, char**, char**) {
  pthread_t thread;
  if (pthread_create(&thread, nullptr, Idle, nullptr) != 0) std::abort();
}

[[gnu::section(".preinit_array"),
  gnu::used]] void (*const start_thread)(int, char**, char**) = StartThread;

}  // namespace
