// Copyright 2026 The gons Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Programs linked with //gons run code inside namespaces that someone else
// may control, so they are linked for that, and this test reads their ELF
// headers to check it:
// - BIND_NOW: every symbol of the program is bound at start, before the
//   switcher runs; no lazy binding happens in the namespaces entered.
//   //gons's linkopts ask for it, so it holds also where the toolchain does
//   not (probe_without_toolchain_link_flags drops Bazel's own flags).
// - RELRO: the relocated tables are read-only after start.
// - A re-executed child's start-up hook runs before the switcher's.
// - No import of a function that loads code or does name service lookups
//   (dlopen, getpwnam, getaddrinfo, iconv_open, ...): after a mount switch
//   those would read the entered namespace's /etc and load its libraries.
// - Linking //gons adds nothing for the loader to bind at start: no
//   STB_GNU_UNIQUE symbol (GCC makes one of every `inline` variable, and
//   the loader looks each one up at every start), no import that the same
//   program without //gons lacks.
// The re-executed child's side at run time is in
// reexec/hostile_namespace_test.

#include <elf.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gons {
namespace {

using ::testing::IsEmpty;

struct ElfFacts {
  bool bind_now = false;          // DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW.
  bool relro = false;             // A PT_GNU_RELRO segment.
  std::set<std::string> imports;  // Undefined dynamic symbols.
  std::set<std::string> unique;   // Dynamic symbols bound STB_GNU_UNIQUE.
  // The .preinit_array's address range (DT_PREINIT_ARRAY, ..._ARRAYSZ).
  std::uint64_t preinit_start = 0;
  std::uint64_t preinit_size = 0;
  std::map<std::string, std::uint64_t> symbols;  // .symtab: name -> value.
};

// Reads what the test checks from a 64-bit ELF executable; fails the test on
// anything else.
ElfFacts ReadElf(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  const std::string image((std::istreambuf_iterator<char>(file)), {});
  ElfFacts facts;
  Elf64_Ehdr header;
  if (image.size() < sizeof(header) ||
      std::memcmp(image.data(), ELFMAG, SELFMAG) != 0 ||
      image[EI_CLASS] != ELFCLASS64) {
    ADD_FAILURE() << path << " is not a 64-bit ELF file";
    return facts;
  }
  std::memcpy(&header, image.data(), sizeof(header));
  // Copies the `index`th entry of a table at `offset` into `*entry`.
  const auto read = [&](auto* entry, std::size_t offset, std::size_t index,
                        std::size_t entry_size) {
    const std::size_t at = offset + index * entry_size;
    if (at + sizeof(*entry) > image.size()) return false;
    std::memcpy(entry, image.data() + at, sizeof(*entry));
    return true;
  };

  for (std::size_t i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment;
    if (!read(&segment, header.e_phoff, i, header.e_phentsize)) break;
    if (segment.p_type == PT_GNU_RELRO) facts.relro = true;
    if (segment.p_type != PT_DYNAMIC) continue;
    Elf64_Dyn entry;
    for (std::size_t j = 0; read(&entry, segment.p_offset, j, sizeof(entry)) &&
                            entry.d_tag != DT_NULL;
         ++j) {
      if (entry.d_tag == DT_PREINIT_ARRAY) {
        facts.preinit_start = entry.d_un.d_ptr;
      }
      if (entry.d_tag == DT_PREINIT_ARRAYSZ) {
        facts.preinit_size = entry.d_un.d_val;
      }
      if (entry.d_tag == DT_BIND_NOW ||
          (entry.d_tag == DT_FLAGS && (entry.d_un.d_val & DF_BIND_NOW)) ||
          (entry.d_tag == DT_FLAGS_1 && (entry.d_un.d_val & DF_1_NOW))) {
        facts.bind_now = true;
      }
    }
  }

  for (std::size_t i = 0; i < header.e_shnum; ++i) {
    Elf64_Shdr symbols, names;
    if (!read(&symbols, header.e_shoff, i, header.e_shentsize)) break;
    if ((symbols.sh_type != SHT_DYNSYM && symbols.sh_type != SHT_SYMTAB) ||
        !read(&names, header.e_shoff, symbols.sh_link, header.e_shentsize)) {
      continue;
    }
    Elf64_Sym symbol;
    for (std::size_t j = 1; j * sizeof(symbol) < symbols.sh_size; ++j) {
      if (!read(&symbol, symbols.sh_offset, j, sizeof(symbol))) break;
      if (symbol.st_name >= names.sh_size) continue;
      const std::string name = image.c_str() + names.sh_offset + symbol.st_name;
      if (symbols.sh_type == SHT_SYMTAB) {
        facts.symbols[name] = symbol.st_value;
      } else if (symbol.st_shndx == SHN_UNDEF) {
        facts.imports.insert(name);
      } else if (ELF64_ST_BIND(symbol.st_info) == STB_GNU_UNIQUE) {
        facts.unique.insert(name);
      }
    }
  }
  return facts;
}

// Functions that load code, or look names up through NSS, which may load
// libnss_*.so and reads /etc of whatever mount namespace the process is in.
const char* const kLoadingFunctions[] = {
    "dlopen",        "dlmopen",       "getpwnam",       "getpwnam_r",
    "getpwuid",      "getpwuid_r",    "getpwent",       "getgrnam",
    "getgrnam_r",    "getgrgid",      "getgrgid_r",     "getgrent",
    "getgrouplist",  "initgroups",    "getspnam",       "getlogin",
    "getaddrinfo",   "getnameinfo",   "gethostbyname",  "gethostbyname2",
    "gethostbyaddr", "getservbyname", "getprotobyname", "iconv_open",
    "setlocale",
};

// Linked statically (as with reexec/fast_start.bzl), libstdc++'s locale
// code brings two such imports of its own: setlocale (locale_init.o, for
// std::locale::global) and iconv_open (numeric_members_cow.o, for the
// punctuation of a named locale). Only a named locale reaches them, and
// neither gons nor reexec makes one; at run time, hostile_namespace_test's
// LoaderTest shows that a child loads nothing.
std::set<std::string> LibstdcxxLocaleImports(const ElfFacts& facts) {
  const auto global = facts.symbols.find("_ZNSt6locale6globalERKS_");
  if (global == facts.symbols.end() || global->second == 0) return {};
  return {"setlocale", "iconv_open"};
}

std::vector<std::string> LoadingImports(const ElfFacts& facts) {
  const std::set<std::string> explained = LibstdcxxLocaleImports(facts);
  std::vector<std::string> found;
  for (const char* name : kLoadingFunctions) {
    if (facts.imports.count(name) > 0 && explained.count(name) == 0) {
      found.push_back(name);
    }
  }
  return found;
}

class LinkHardeningTest : public ::testing::TestWithParam<const char*> {};

TEST_P(LinkHardeningTest, IsBoundNowWithReadOnlyRelocations) {
  const ElfFacts facts = ReadElf(GetParam());
  EXPECT_TRUE(facts.bind_now) << GetParam() << " is not linked with -z now";
  EXPECT_TRUE(facts.relro) << GetParam() << " is not linked with -z relro";
}

TEST_P(LinkHardeningTest, ImportsNothingThatLoadsCodeOrLooksUpNames) {
  const ElfFacts facts = ReadElf(GetParam());
  // Every dynamically linked C or C++ program imports this one.
  EXPECT_THAT(facts.imports, ::testing::Contains("__libc_start_main"))
      << "no dynamic symbols read from " << GetParam();
  EXPECT_THAT(LoadingImports(facts), IsEmpty()) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(
    Programs, LinkHardeningTest,
    ::testing::Values("tools/probe/probe",
                      "gons/probe_without_toolchain_link_flags",
                      "reexec/example", "tools/nsinspect/nsinspect"));

// Returns whether `name` is a sanitizer runtime's entry point: what the
// instrumentation of --config=asan_ubsan or tsan calls in code that has any
// (the hook), not in code that has none (an empty main()).
bool IsSanitizerRuntime(const std::string& name) {
  for (const char* prefix : {"__asan_", "__ubsan_", "__tsan_", "__msan_",
                             "__lsan_", "__sanitizer_"}) {
    if (name.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// `int main() { return 0; }` without and with //gons, with shared and with
// static libstdc++ (tools/bench's start-up programs).
class StartupCostTest
    : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(StartupCostTest, ExportsNoUniqueSymbols) {
  const ElfFacts facts = ReadElf(GetParam().second);
  EXPECT_THAT(facts.imports, ::testing::Contains("__libc_start_main"))
      << "no dynamic symbols read from " << GetParam().second;
  EXPECT_THAT(facts.unique, IsEmpty()) << GetParam().second;
}

TEST_P(StartupCostTest, ImportsNothingMoreThanThePlainProgram) {
#if defined(__SANITIZE_THREAD__)
  // ThreadSanitizer instruments the switcher's objects (function entry and
  // exit hooks, C++ unwinding tables), which import from libstdc++ and
  // libc: the cost this checks is the one of an uninstrumented build.
  GTEST_SKIP() << "the imports of a ThreadSanitizer build are its own";
#endif
  const ElfFacts plain = ReadElf(GetParam().first);
  const ElfFacts hooked = ReadElf(GetParam().second);
  std::vector<std::string> extra;
  for (const std::string& name : hooked.imports) {
    if (plain.imports.count(name) == 0 && !IsSanitizerRuntime(name)) {
      extra.push_back(name);
    }
  }
  EXPECT_THAT(plain.imports, ::testing::Contains("__libc_start_main"))
      << "no dynamic symbols read from " << GetParam().first;
  EXPECT_THAT(extra, IsEmpty()) << GetParam().second;
}

INSTANTIATE_TEST_SUITE_P(
    Programs, StartupCostTest,
    ::testing::Values(std::make_pair("tools/bench/startup_plain",
                                     "tools/bench/startup_gons"),
                      std::make_pair("tools/bench/startup_plain_fast",
                                     "tools/bench/startup_gons_fast")));

// A re-executed child must become non-dumpable before the switcher enters
// the first namespace (reexec/child_start.cc): the loader calls the
// .preinit_array's entries in address order, and the linker lays them out
// in link order, where //reexec's hook comes before //gons's.
class PreinitOrderTest : public ::testing::TestWithParam<const char*> {};

TEST_P(PreinitOrderTest, ChildStartRunsBeforeTheSwitcher) {
  const ElfFacts facts = ReadElf(GetParam());
  // The hooks' pointers, in anonymous namespaces (so, mangled names).
  const auto entry = [&](const std::string& name) -> std::uint64_t {
    for (const auto& [symbol, value] : facts.symbols) {
      if (symbol.find(name) != std::string::npos) return value;
    }
    ADD_FAILURE() << GetParam() << " has no symbol " << name;
    return 0;
  };
  const std::uint64_t child_start = entry("prepare_reexecuted_child");
  const std::uint64_t switcher = entry("switch_namespaces_before_main");
  for (const std::uint64_t address : {child_start, switcher}) {
    EXPECT_GE(address, facts.preinit_start);
    EXPECT_LT(address, facts.preinit_start + facts.preinit_size);
  }
  EXPECT_LT(child_start, switcher);
}

INSTANTIATE_TEST_SUITE_P(Programs, PreinitOrderTest,
                         ::testing::Values("reexec/example",
                                           "tools/nsinspect/nsinspect"));

// The check above must see an import when there is one.
TEST(LinkHardeningControlTest, SeesTheImportsOfAProgramThatHasThem) {
  const ElfFacts facts = ReadElf("gons/loading_program");
  EXPECT_THAT(LoadingImports(facts),
              ::testing::IsSupersetOf({"dlopen", "getpwnam"}));
}

}  // namespace
}  // namespace gons
