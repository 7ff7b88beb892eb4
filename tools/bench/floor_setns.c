// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The namespace-switching floor: a C program that makes only the system
// calls entering namespaces takes, in the order gons makes them by default
// (every path opened before the first switch): open each path, then setns
// and close each descriptor.
//
// Usage: floor_setns TYPE=PATH...   TYPE: user mnt cgroup ipc net pid uts time
// Exits 0 when every namespace was entered; otherwise prints the failing
// call and exits 1.

#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

enum { kMaxNamespaces = 16 };

static int CloneFlag(const char* type, size_t length) {
  static const struct {
    const char* name;
    int flag;
  } kTypes[] = {{"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},
                {"cgroup", CLONE_NEWCGROUP}, {"ipc", CLONE_NEWIPC},
                {"net", CLONE_NEWNET},       {"pid", CLONE_NEWPID},
                {"uts", CLONE_NEWUTS},       {"time", CLONE_NEWTIME}};
  for (size_t i = 0; i < sizeof(kTypes) / sizeof(kTypes[0]); ++i) {
    if (strlen(kTypes[i].name) == length &&
        strncmp(kTypes[i].name, type, length) == 0) {
      return kTypes[i].flag;
    }
  }
  return -1;
}

int main(int argc, char** argv) {
  int descriptors[kMaxNamespaces];
  int flags[kMaxNamespaces];
  const int count = argc - 1;
  if (count > kMaxNamespaces) {
    fprintf(stderr, "floor_setns: at most %d namespaces\n", kMaxNamespaces);
    return 1;
  }
  for (int i = 0; i < count; ++i) {
    const char* argument = argv[i + 1];
    const char* equals = strchr(argument, '=');
    flags[i] =
        equals == NULL ? -1 : CloneFlag(argument, (size_t)(equals - argument));
    if (flags[i] < 0) {
      fprintf(stderr, "floor_setns: bad argument %s\n", argument);
      return 1;
    }
    descriptors[i] = open(equals + 1, O_RDONLY | O_CLOEXEC);
    if (descriptors[i] < 0) {
      perror(equals + 1);
      return 1;
    }
  }
  for (int i = 0; i < count; ++i) {
    if (setns(descriptors[i], flags[i]) != 0) {
      perror(argv[i + 1]);
      return 1;
    }
    close(descriptors[i]);
  }
  return 0;
}
