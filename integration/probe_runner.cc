// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0

#include "integration/probe_runner.h"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "integration/subprocess.h"
#include "rapidjson/document.h"

namespace gons::integration {
namespace {

std::string String(const rapidjson::Value& object, const char* key) {
  const auto member = object.FindMember(key);
  if (member == object.MemberEnd() || !member->value.IsString()) return "";
  return member->value.GetString();
}

bool Bool(const rapidjson::Value& object, const char* key) {
  const auto member = object.FindMember(key);
  return member != object.MemberEnd() && member->value.IsBool() &&
         member->value.GetBool();
}

absl::Status CopyFile(const std::string& from, const std::string& to) {
  const int in = open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return absl::ErrnoToStatus(errno, absl::StrCat("open ", from));
  struct stat info;
  const int out =
      open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
  absl::Status status;
  if (out < 0 || fstat(in, &info) != 0) {
    status = absl::ErrnoToStatus(errno, absl::StrCat("copy to ", to));
  } else {
    off_t offset = 0;
    while (offset < info.st_size) {
      if (sendfile(out, in, &offset,
                   static_cast<std::size_t>(info.st_size - offset)) <= 0) {
        status = absl::ErrnoToStatus(errno, absl::StrCat("copy to ", to));
        break;
      }
    }
  }
  if (out >= 0 && close(out) != 0 && status.ok()) {
    status = absl::ErrnoToStatus(errno, absl::StrCat("close ", to));
  }
  close(in);
  // The mode of a new file is filtered by the umask; the copy must be
  // executable by everyone.
  if (status.ok() && chmod(to.c_str(), 0755) != 0) {
    status = absl::ErrnoToStatus(errno, absl::StrCat("chmod ", to));
  }
  return status;
}

}  // namespace

std::string RunfilePath(const std::string& runfile) {
  const char* root = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(root != nullptr ? root : ".", "/",
                      workspace != nullptr ? workspace : "gons", "/", runfile);
}

absl::StatusOr<ProbeOutput> ParseProbeOutput(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str(), json.size());
  if (document.HasParseError() || !document.IsObject()) {
    return absl::InvalidArgumentError(absl::StrCat("not probe JSON: ", json));
  }
  ProbeOutput output;
  output.raw = json;
  const rapidjson::Value& status = document["status"];
  output.ok = Bool(status, "ok");
  output.code = String(status, "code");
  output.message = String(status, "message");
  for (const rapidjson::Value& entry : document["report"].GetArray()) {
    output.report.push_back(
        ProbeReportEntry{String(entry, "type"), Bool(entry, "open_early"),
                         Bool(entry, "opened"), String(entry, "outcome")});
  }
  for (const auto& member : document["namespaces"].GetObject()) {
    output.namespaces[member.name.GetString()] = member.value.GetUint64();
  }
  output.uid = document["uid"].GetUint();
  output.euid = document["euid"].GetUint();
  output.hostname = String(document, "hostname");
  for (const rapidjson::Value& name :
       document["leftover_variables"].GetArray()) {
    output.leftover_variables.push_back(name.GetString());
  }
  for (const rapidjson::Value& fd : document["open_descriptors"].GetArray()) {
    output.open_descriptors.push_back(fd.GetInt());
  }
  return output;
}

absl::StatusOr<ProbeCopy> ProbeCopy::Create(const std::string& runfile) {
  // /tmp rather than TEST_TMPDIR: the latter lies below the home directory
  // of the user running Bazel, which other users cannot traverse.
  char directory[] = "/tmp/gons-test-XXXXXX";
  if (mkdtemp(directory) == nullptr) {
    return absl::ErrnoToStatus(errno, "mkdtemp in /tmp");
  }
  ProbeCopy copy(directory, absl::StrCat(directory, "/probe"));
  if (chmod(directory, 0755) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("chmod ", directory));
  }
  if (absl::Status status = CopyFile(RunfilePath(runfile), copy.path_);
      !status.ok()) {
    return status;
  }
  return copy;
}

ProbeCopy::ProbeCopy(ProbeCopy&& other) noexcept
    : directory_(std::move(other.directory_)), path_(std::move(other.path_)) {
  other.directory_.clear();
}

ProbeCopy::~ProbeCopy() {
  if (directory_.empty()) return;
  unlink(path_.c_str());
  rmdir(directory_.c_str());
}

absl::StatusOr<ProbeOutput> ProbeCopy::Run(
    const std::vector<std::string>& variables, bool unprivileged) const {
  SubprocessOptions options;
  options.argv = {path_};
  options.environment = CleanEnvironment(variables);
  options.unprivileged = unprivileged;
  absl::StatusOr<SubprocessResult> result = RunSubprocess(options);
  if (!result.ok()) return result.status();
  absl::StatusOr<ProbeOutput> output =
      ParseProbeOutput(result->standard_output);
  if (!output.ok()) {
    return absl::InternalError(absl::StrCat(
        "probe exit ", result->exit_code, " signal ", result->signal,
        ", stderr: ", result->standard_error, "; ", output.status().message()));
  }
  output->exit_code = result->exit_code;
  absl::StrAppend(&output->raw, "\nstderr: ", result->standard_error);
  return output;
}

}  // namespace gons::integration
