// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// reexec_probe: a program linked with //reexec that runs its "inspect"
// action in a re-executed child inside the namespaces it is given, and
// prints what the action saw there. The integration tests run it, as root
// and rootless, against throwaway namespaces.
//
// Usage: reexec_probe ECHO FILE [TYPE=PATH]...
//   ECHO       a string sent to the action in its param; the action returns
//              it in its result
//   FILE       a file the action reads inside the namespaces
//   TYPE=PATH  a namespace for the child to enter, in this order; TYPE as in
//              gons_order ("net", "!net")
//
// Output (stdout, one JSON line):
//   {"code": "OK", "message": "",
//    "result": {"echo": "...", "file": "text" or null, "hostname": "box",
//               "uid": 0, "namespaces": {"user": 4026531837, ...}}}
// `result` is null when the call failed; `code` and `message` are the
// status of RunReexecAction(). `namespaces` holds the inode of the child's
// user, mnt, net and uts namespaces.
//
// Exit status: 0 when the call succeeded, 2 when it failed (the JSON is
// printed either way), 1 on bad usage.

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "reexec/json.h"
#include "reexec/reexec.h"

namespace {

// The action's param.
struct InspectRequest {
  std::string echo;
  std::string file;
};

// The action's result.
struct InspectReport {
  std::string echo;
  std::optional<std::string> file;  // Empty when it could not be read.
  std::string hostname;
  std::uint32_t uid = 0;
  std::map<std::string, std::uint64_t> namespaces;
};

}  // namespace

// Both types cross the pipe through reexec's extension point.
template <>
struct gons::reexec::JsonCodec<InspectRequest> {
  static void Encode(const InspectRequest& request, JsonWriter& writer) {
    writer.StartObject();
    writer.Key("echo");
    JsonCodec<std::string>::Encode(request.echo, writer);
    writer.Key("file");
    JsonCodec<std::string>::Encode(request.file, writer);
    writer.EndObject();
  }
  static absl::Status Decode(const rapidjson::Value& json,
                             InspectRequest* request) {
    if (absl::Status status = DecodeMember(json, "echo", &request->echo);
        !status.ok()) {
      return status;
    }
    return DecodeMember(json, "file", &request->file);
  }
};

template <>
struct gons::reexec::JsonCodec<InspectReport> {
  static void Encode(const InspectReport& report, JsonWriter& writer) {
    writer.StartObject();
    writer.Key("echo");
    JsonCodec<std::string>::Encode(report.echo, writer);
    writer.Key("file");
    JsonCodec<std::optional<std::string>>::Encode(report.file, writer);
    writer.Key("hostname");
    JsonCodec<std::string>::Encode(report.hostname, writer);
    writer.Key("uid");
    JsonCodec<std::uint32_t>::Encode(report.uid, writer);
    writer.Key("namespaces");
    JsonCodec<std::map<std::string, std::uint64_t>>::Encode(report.namespaces,
                                                            writer);
    writer.EndObject();
  }
  static absl::Status Decode(const rapidjson::Value& json,
                             InspectReport* report) {
    absl::Status status = DecodeMember(json, "echo", &report->echo);
    if (status.ok()) status = DecodeMember(json, "file", &report->file);
    if (status.ok()) status = DecodeMember(json, "hostname", &report->hostname);
    if (status.ok()) status = DecodeMember(json, "uid", &report->uid);
    if (status.ok()) {
      status = DecodeMember(json, "namespaces", &report->namespaces);
    }
    return status;
  }
};

namespace {

// Returns the contents of `path`, or nothing when it cannot be read.
std::optional<std::string> ReadFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string contents;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) {
    contents.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  if (n < 0) return std::nullopt;
  return contents;
}

void Inspect() {
  absl::StatusOr<InspectRequest> request =
      gons::reexec::ReadParam<InspectRequest>();
  if (!request.ok()) {
    std::fprintf(stderr, "inspect: bad param: %s\n",
                 request.status().ToString().c_str());
    _exit(1);
  }
  InspectReport report;
  report.echo = request->echo;
  report.file = ReadFile(request->file);
  struct utsname names;
  if (uname(&names) == 0) report.hostname = names.nodename;
  report.uid = getuid();
  for (const char* type : {"user", "mnt", "net", "uts"}) {
    struct stat info;
    if (stat(absl::StrCat("/proc/self/ns/", type).c_str(), &info) == 0) {
      report.namespaces[type] = info.st_ino;
    }
  }
  if (!gons::reexec::WriteResult(report).ok()) _exit(1);
}

const bool registered = [] {
  gons::reexec::Register("inspect", Inspect);
  return true;
}();

}  // namespace

int main(int argc, char** argv) {
  gons::reexec::CheckAction();  // In the child: runs "inspect" and exits.
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s ECHO FILE [TYPE=PATH]...\n", argv[0]);
    return 1;
  }
  std::vector<gons::reexec::Namespace> namespaces;
  for (int i = 3; i < argc; ++i) {
    const std::string argument = argv[i];
    const std::size_t equals = argument.find('=');
    if (equals == std::string::npos) {
      std::fprintf(stderr, "%s: not TYPE=PATH: %s\n", argv[0], argv[i]);
      return 1;
    }
    namespaces.push_back(
        {argument.substr(0, equals), argument.substr(equals + 1)});
  }
  InspectReport report;
  const absl::Status status = gons::reexec::RunReexecAction(
      "inspect", gons::reexec::Namespaces(namespaces),
      gons::reexec::Param(InspectRequest{argv[1], argv[2]}),
      gons::reexec::Result(&report), gons::reexec::Timeout(absl::Seconds(30)));

  rapidjson::StringBuffer buffer;
  gons::reexec::JsonWriter json(buffer);
  json.StartObject();
  json.Key("code");
  json.String(absl::StatusCodeToString(status.code()).c_str());
  json.Key("message");
  json.String(status.message().data(),
              static_cast<rapidjson::SizeType>(status.message().size()));
  json.Key("result");
  if (status.ok()) {
    gons::reexec::JsonCodec<InspectReport>::Encode(report, json);
  } else {
    json.Null();
  }
  json.EndObject();
  std::printf("%s\n", buffer.GetString());
  if (std::fflush(stdout) != 0) return 1;
  return status.ok() ? 0 : 2;
}
