// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// probe: a program linked with //gons that prints, as one JSON object, what
// the switcher did and where the process ended up. The tests, the
// integration harness and the demo run it with gons_* variables set.
//
// Usage: probe [--pretty]     (configured by gons_* variables)
//
// Output (stdout, one line; indented over several with --pretty):
//   {"status": {"ok": false, "code": "NOT_FOUND", "message": "gons: ..."},
//    "report": [{"type": "net", "path": "/run/netns/blue", "open_early": true,
//                "opened": true, "outcome": "entered"}, ...],
//    "namespaces": {"user": 4026531837, "mnt": 4026531841, ...},
//    "uid": 0, "euid": 0, "hostname": "box",
//    "leftover_variables": [],   // gons_* variables the switcher left
//    "open_descriptors": [0, 1, 2]}
//
// `namespaces` holds the inode number of each /proc/self/ns entry, which
// identifies the namespace; a type the kernel lacks is left out.
//
// Exit status: 0 when gons::Status() is OK, 2 when it is not (the JSON is
// printed either way), 1 when the probe itself failed.

#include <dirent.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gons/environment.h"
#include "gons/gons.h"
#include "gons/namespace_types.h"
#include "rapidjson/document.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

const char* OutcomeName(gons::SwitchOutcome outcome) {
  switch (outcome) {
    case gons::SwitchOutcome::kEntered:
      return "entered";
    case gons::SwitchOutcome::kFailed:
      return "failed";
    case gons::SwitchOutcome::kNotAttempted:
      return "not_attempted";
  }
  return "unknown";
}

void WriteStatus(const absl::Status& status, JsonWriter& json) {
  json.Key("status");
  json.StartObject();
  json.Key("ok");
  json.Bool(status.ok());
  json.Key("code");
  json.String(absl::StatusCodeToString(status.code()).c_str());
  json.Key("message");
  json.String(status.message().data(),
              static_cast<rapidjson::SizeType>(status.message().size()));
  json.EndObject();
}

void WriteReport(JsonWriter& json) {
  json.Key("report");
  json.StartArray();
  for (const gons::NamespaceReport& entry : gons::Report()) {
    json.StartObject();
    json.Key("type");
    json.String(entry.type.c_str());
    json.Key("path");
    json.String(entry.path.c_str());
    json.Key("open_early");
    json.Bool(entry.open_early);
    json.Key("opened");
    json.Bool(entry.opened);
    json.Key("outcome");
    json.String(OutcomeName(entry.outcome));
    json.EndObject();
  }
  json.EndArray();
}

void WriteNamespaces(JsonWriter& json) {
  json.Key("namespaces");
  json.StartObject();
  for (const gons::NamespaceType& type : gons::kNamespaceTypes) {
    const std::string path = std::string("/proc/self/ns/") + type.name;
    struct stat info;
    if (stat(path.c_str(), &info) != 0) continue;
    json.Key(type.name);
    json.Uint64(info.st_ino);
  }
  json.EndObject();
}

// The switcher's own variables that are still in the environment; after a
// correct start there are none.
void WriteLeftoverVariables(JsonWriter& json) {
  json.Key("leftover_variables");
  json.StartArray();
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const char* equals = std::strchr(*entry, '=');
    if (equals == nullptr) continue;
    const std::string name(*entry, static_cast<std::size_t>(equals - *entry));
    bool consumed =
        name == gons::kOrderVariable || name == gons::kCredentialsVariable;
    for (const gons::NamespaceType& type : gons::kNamespaceTypes) {
      consumed = consumed || name == type.variable;
    }
    if (consumed) json.String(name.c_str());
  }
  json.EndArray();
}

bool WriteOpenDescriptors(JsonWriter& json) {
  DIR* directory = opendir("/proc/self/fd");
  if (directory == nullptr) return false;
  const int own_fd = dirfd(directory);
  std::vector<int> descriptors;
  while (const dirent* entry = readdir(directory)) {
    if (entry->d_name[0] == '.') continue;
    const int fd = std::atoi(entry->d_name);
    if (fd != own_fd) descriptors.push_back(fd);
  }
  closedir(directory);
  json.Key("open_descriptors");
  json.StartArray();
  for (const int fd : descriptors) json.Int(fd);
  json.EndArray();
  return true;
}

// Re-indents compact JSON for people to read.
std::string Indent(const char* json) {
  rapidjson::Document document;
  document.Parse(json);
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  document.Accept(writer);
  return buffer.GetString();
}

}  // namespace

int main(int argc, char** argv) {
  const bool pretty = argc == 2 && std::strcmp(argv[1], "--pretty") == 0;
  if (argc > 1 && !pretty) {
    std::fprintf(stderr, "usage: %s [--pretty]\n", argv[0]);
    return 1;
  }
  const absl::Status status = gons::Status();
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  WriteStatus(status, json);
  WriteReport(json);
  WriteNamespaces(json);
  json.Key("uid");
  json.Uint(getuid());
  json.Key("euid");
  json.Uint(geteuid());
  struct utsname names;
  if (uname(&names) != 0) {
    std::perror("probe: uname");
    return 1;
  }
  json.Key("hostname");
  json.String(names.nodename);
  WriteLeftoverVariables(json);
  if (!WriteOpenDescriptors(json)) {
    std::perror("probe: /proc/self/fd");
    return 1;
  }
  json.EndObject();
  std::printf("%s\n",
              pretty ? Indent(buffer.GetString()).c_str() : buffer.GetString());
  if (std::fflush(stdout) != 0) return 1;
  return status.ok() ? 0 : 2;
}
