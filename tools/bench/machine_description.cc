// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "tools/bench/machine_description.h"

#include <gnu/libc-version.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gons::bench {
namespace {

std::string ReadFile(const char* path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The value of the first "key : value" line of a /proc file.
std::string Field(const std::string& text, const char* key) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, key)) {
      const std::size_t colon = line.find(':');
      if (colon != absl::string_view::npos) {
        return std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
      }
    }
  }
  return "?";
}

}  // namespace

std::string DescribeMachine() {
  utsname names = {};
  uname(&names);
  return absl::StrCat(
      "processor: ", Field(ReadFile("/proc/cpuinfo"), "model name"), ", ",
      sysconf(_SC_NPROCESSORS_ONLN),
      " cores online; memory: ", Field(ReadFile("/proc/meminfo"), "MemTotal"),
      "\nkernel: ", names.release, " (", names.machine, "); glibc ",
      gnu_get_libc_version(), "; compiler: gcc ", __VERSION__,
#ifdef __OPTIMIZE__
      " (optimized build)",
#else
      " (UNOPTIMIZED build: rerun with -c opt)",
#endif
      "\ntransparent huge pages: ",
      absl::StripTrailingAsciiWhitespace(
          ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")),
      "; running as uid ", geteuid());
}

std::string LoadAverage() {
  const std::string text = ReadFile("/proc/loadavg");
  return text.substr(0, text.find(' '));
}

}  // namespace gons::bench
