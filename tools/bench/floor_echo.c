// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The data floors: C programs that move stdin to stdout the cheapest ways.
//
// Usage: floor_echo MODE
//   buffer  reads all of stdin into one buffer, then writes it to stdout
//           (what any request-then-response child must at least do)
//   buffer-huge  the same, with the buffer advised to use huge pages
//   stream  copies stdin to stdout as it arrives, through one small buffer
//   sink    reads stdin to its end and discards it (one-way pipe bandwidth)
// Exits 0, or 1 with the failing call on stderr.

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { kChunk = 1 << 16 };

static int WriteAll(const char* data, size_t size) {
  while (size > 0) {
    const ssize_t written = write(1, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      perror("write");
      return 0;
    }
    data += written;
    size -= (size_t)written;
  }
  return 1;
}

// Advises huge pages for the buffer, as //reexec does for large ones.
static void AdviseHugePages(char* data, size_t size) {
  const uintptr_t huge = 2 << 20;
  const uintptr_t begin = ((uintptr_t)data + huge - 1) & ~(huge - 1);
  const uintptr_t end = ((uintptr_t)data + size) & ~(huge - 1);
  if (end > begin) {
    madvise(data + (begin - (uintptr_t)data), end - begin, MADV_HUGEPAGE);
  }
}

static int Buffer(int huge_pages) {
  size_t capacity = kChunk;
  size_t size = 0;
  char* data = malloc(capacity);
  for (;;) {
    if (data == NULL) {
      perror("malloc");
      return 1;
    }
    if (size == capacity) {
      capacity *= 2;
      data = realloc(data, capacity);
      if (huge_pages && data != NULL) AdviseHugePages(data, capacity);
      continue;
    }
    const ssize_t got = read(0, data + size, capacity - size);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      perror("read");
      return 1;
    }
    size += (size_t)got;
  }
  const int ok = WriteAll(data, size);
  free(data);
  return ok ? 0 : 1;
}

static int Stream(int keep) {
  static char chunk[kChunk];
  for (;;) {
    const ssize_t got = read(0, chunk, sizeof(chunk));
    if (got == 0) return 0;
    if (got < 0) {
      if (errno == EINTR) continue;
      perror("read");
      return 1;
    }
    if (keep && !WriteAll(chunk, (size_t)got)) return 1;
  }
}

int main(int argc, char** argv) {
  if (argc == 2 && strcmp(argv[1], "buffer") == 0) return Buffer(0);
  if (argc == 2 && strcmp(argv[1], "buffer-huge") == 0) return Buffer(1);
  if (argc == 2 && strcmp(argv[1], "stream") == 0) return Stream(1);
  if (argc == 2 && strcmp(argv[1], "sink") == 0) return Stream(0);
  fprintf(stderr, "usage: floor_echo buffer|buffer-huge|stream|sink\n");
  return 1;
}
