// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "testing/child_coverage.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#ifdef GONS_COVERAGE_BUILD
// libgcov's function that writes the counters now (the name is libgcov's).
// Referenced only in coverage builds, where every program links libgcov;
// a weak reference would not do, since it pulls nothing out of the archive.
extern "C" void __gcov_dump(void);
#endif

namespace gons::reexec::internal {
namespace {

constexpr int kPassedDescriptor = 3;
// A child's GCOV_PREFIX: the parent's coverage directory, through the
// descriptor that the runner passes as the child's descriptor 3.
constexpr char kPassedPrefix[] = "/proc/self/fd/3/gons-reexec-coverage";
static_assert(std::string_view(kPassedPrefix)
                      .substr(sizeof(kPassedPrefix) -
                              sizeof(kChildCoverageDirectory)) ==
                  kChildCoverageDirectory,
              "the children's prefix is kChildCoverageDirectory below fd 3");

bool PrefixIsPassedDirectory() {
  const char* prefix = std::getenv("GCOV_PREFIX");
  return prefix != nullptr && std::strcmp(prefix, kPassedPrefix) == 0;
}

}  // namespace

bool CoverageRuntimeLinked() {
#ifdef GONS_COVERAGE_BUILD
  return true;
#else
  return false;
#endif
}

ChildCoverage PrepareChildCoverage() {
  ChildCoverage coverage;
  const char* prefix = std::getenv("GCOV_PREFIX");
  // Without GCOV_PREFIX (coverage outside Bazel), children write to the
  // paths compiled in, which only those in the same mount namespace reach.
  if (!CoverageRuntimeLinked() || prefix == nullptr || prefix[0] == '\0') {
    return coverage;
  }
  const int directory = open(prefix, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (directory < 0) return coverage;
  if (mkdirat(directory, kChildCoverageDirectory, 0755) != 0 &&
      errno != EEXIST) {
    close(directory);
    return coverage;
  }
  coverage.directory = directory;
  coverage.variables = {std::string("GCOV_PREFIX=") + kPassedPrefix};
  return coverage;
}

void ProtectPassedDirectory() {
  if (PrefixIsPassedDirectory()) {
    fcntl(kPassedDescriptor, F_SETFD, FD_CLOEXEC);
  }
}

void WriteChildCoverage() {
  if (!CoverageRuntimeLinked()) return;
  if (PrefixIsPassedDirectory()) {
    // A directory of its own: a child killed while writing can damage only
    // its own files, never the parent's or another child's.
    char directory[sizeof(kPassedPrefix) + sizeof("/child-XXXXXX")];
    std::snprintf(directory, sizeof(directory), "%s/child-XXXXXX",
                  kPassedPrefix);
    if (mkdtemp(directory) != nullptr) {
      setenv("GCOV_PREFIX", directory, 1);
      const std::string errors = std::string(directory) + "/gcov-errors.txt";
      setenv("GCOV_ERROR_FILE", errors.c_str(), 1);
    }
  }
  // libgcov reports what it cannot write on stderr (or in GCOV_ERROR_FILE
  // when it can open that), and the parent would take that for the action's
  // own output. A descriptor opened with O_PATH refuses every write.
  const int sink = open("/", O_PATH | O_CLOEXEC);
  if (sink >= 0) {
    dup2(sink, STDERR_FILENO);
    close(sink);
  }
#ifdef GONS_COVERAGE_BUILD
  __gcov_dump();
#endif
}

}  // namespace gons::reexec::internal
