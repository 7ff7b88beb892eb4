// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// -----------------------------------------------------------------------------
// File: probe_runner.h
// -----------------------------------------------------------------------------
//
// Runs //tools/probe (a program linked with //gons) for a test and decodes
// the JSON it prints. The probe is copied into a fresh world-readable
// directory first, so that it also runs as the unprivileged user (Bazel's
// output tree lives under a home directory that user cannot enter) and so
// that a test may give the copy set-user-ID bits or file capabilities.
//
// Example:
//
//   absl::StatusOr<ProbeCopy> probe = ProbeCopy::Create();
//   absl::StatusOr<ProbeOutput> out =
//       probe->Run({"gons_net=/proc/123/ns/net"}, /*unprivileged=*/false);
//   EXPECT_TRUE(out->ok) << out->message;

#ifndef GONS_INTEGRATION_PROBE_RUNNER_H_
#define GONS_INTEGRATION_PROBE_RUNNER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gons::integration {

// One entry of the probe's "report".
struct ProbeReportEntry {
  std::string type;
  bool open_early = false;
  bool opened = false;
  std::string outcome;  // "entered", "failed" or "not_attempted".
};

// The decoded output of one probe run.
struct ProbeOutput {
  int exit_code = -1;
  bool ok = false;      // gons::Status().ok()
  std::string code;     // "OK", "NOT_FOUND", ...
  std::string message;  // gons::Status().message()
  std::vector<ProbeReportEntry> report;
  std::map<std::string, unsigned long long> namespaces;  // type -> inode
  unsigned uid = 0;
  unsigned euid = 0;
  std::string hostname;
  std::vector<std::string> leftover_variables;
  std::vector<int> open_descriptors;
  std::string raw;  // The JSON text and stderr, for failure messages.
};

// Decodes the probe's JSON line.
absl::StatusOr<ProbeOutput> ParseProbeOutput(const std::string& json);

// A copy of a test program in a fresh directory that every user may enter;
// the directory is removed on destruction.
class ProbeCopy {
 public:
  // Copies `runfile` (a path below the runfiles root, default the probe).
  static absl::StatusOr<ProbeCopy> Create(
      const std::string& runfile = "tools/probe/probe");
  ProbeCopy(ProbeCopy&& other) noexcept;
  ProbeCopy& operator=(ProbeCopy&&) = delete;
  ~ProbeCopy();

  const std::string& path() const { return path_; }

  // Runs the copy with this process's environment minus gons_* variables
  // plus `variables`, optionally as the unprivileged user.
  absl::StatusOr<ProbeOutput> Run(const std::vector<std::string>& variables,
                                  bool unprivileged) const;

 private:
  ProbeCopy(std::string directory, std::string path)
      : directory_(std::move(directory)), path_(std::move(path)) {}
  std::string directory_;
  std::string path_;
};

// Returns the absolute path of a file in this repository's runfiles.
std::string RunfilePath(const std::string& runfile);

}  // namespace gons::integration

#endif  // GONS_INTEGRATION_PROBE_RUNNER_H_
