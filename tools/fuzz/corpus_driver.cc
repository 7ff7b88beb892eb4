// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A main() for libFuzzer targets built with the normal toolchain: runs
// LLVMFuzzerTestOneInput once on every file of the directories (or files)
// named on the command line, so that a checked-in seed corpus becomes a
// bounded regression test under `bazel test` (and under the sanitizer
// configs). A target reports a bug by crashing or aborting, as under
// libFuzzer; a missing or empty corpus is an error too, so the test cannot
// pass without running anything. tools/fuzz/run.sh builds the same targets
// with clang's libFuzzer for real fuzzing.
//
// Usage: corpus_driver PATH...     (relative paths: from the runfiles root)
// Output: one line per input on stderr, then "N inputs"; exit status 0, or 1
// when a path cannot be read or holds no input.

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size);
// Optional in a target, as under libFuzzer.
extern "C" [[gnu::weak]] int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

// Appends `path` if it is a file, or the files in it (sorted, not recursive)
// if it is a directory. Returns false when it is neither.
bool CollectInputs(const std::string& path, std::vector<std::string>* inputs) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) return false;
  if (!S_ISDIR(info.st_mode)) {
    inputs->push_back(path);
    return true;
  }
  DIR* directory = opendir(path.c_str());
  if (directory == nullptr) return false;
  std::vector<std::string> files;
  while (const dirent* entry = readdir(directory)) {
    const std::string file = path + "/" + entry->d_name;
    if (stat(file.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
      files.push_back(file);
    }
  }
  closedir(directory);
  std::sort(files.begin(), files.end());
  inputs->insert(inputs->end(), files.begin(), files.end());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) {
    if (!CollectInputs(argv[i], &inputs)) {
      std::fprintf(stderr, "corpus_driver: cannot read %s\n", argv[i]);
      return 1;
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "corpus_driver: no inputs in the paths given\n");
    return 1;
  }
  for (const std::string& input : inputs) {
    std::ifstream file(input, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(file)),
                                  std::istreambuf_iterator<char>());
    if (!file.good() && !file.eof()) {
      std::fprintf(stderr, "corpus_driver: cannot read %s\n", input.c_str());
      return 1;
    }
    std::fprintf(stderr, "%s (%zu bytes)\n", input.c_str(), bytes.size());
    // A copy of exactly the input's size, so that ASan catches reads past
    // its end, as under libFuzzer.
    std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(data.data(), data.size());
  }
  std::fprintf(stderr, "%zu inputs\n", inputs.size());
  return 0;
}
