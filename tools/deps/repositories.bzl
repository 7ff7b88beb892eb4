"""The external repositories of gons, all resolved on this machine.

Nothing is downloaded: Bazel's own helper repositories are small local
stand-ins kept in this folder, and Abseil, GoogleTest and RapidJSON come from
Debian's -dev packages, exposed under their upstream repository names and
labels (`@com_google_absl//absl/status`, `@com_google_googletest//:gtest`,
`@rapidjson`). A workspace that already has one of these libraries keeps its
own, so that a program links one copy of each: under upstream's name it is
used as is; under another name it is named to gons_dependencies(), which
otherwise refuses to load when it recognises one. Labels of this file are
relative to it (Label()), so the gons repository may have any name.

Usage, in a WORKSPACE:

    local_repository(name = "gons", path = "/path/to/gons")
    load("@gons//tools/deps:repositories.bzl", "gons_dependencies")
    gons_dependencies()  # or e.g. gons_dependencies(rapidjson = "@my_rapidjson")
"""

_DEBIAN_LIBDIR = "/usr/lib/x86_64-linux-gnu"

# The -dev packages the Debian repositories below are made of.
_DEBIAN_PACKAGES = ["libabsl-dev", "libgtest-dev", "libgmock-dev", "rapidjson-dev"]

def _files_repository_impl(rctx):
    for label, destination in rctx.attr.files.items():
        rctx.symlink(label, destination)

# A repository made of files of this one, each placed at the given path.
_files_repository = repository_rule(
    implementation = _files_repository_impl,
    attrs = {"files": attr.label_keyed_string_dict(allow_files = True)},
    local = True,
)

def _require(rctx, path, package):
    if not rctx.path(path).exists:
        fail("%s is missing: install Debian's %s package; as root:\n" % (path, package) +
             "  apt-get install %s" % " ".join(_DEBIAN_PACKAGES))

# Upstream Abseil's public labels, as package -> {target: pkg-config module}.
# Only these are public; every module exists internally for the link graph.
_ABSEIL_PUBLIC_TARGETS = {
    "absl/algorithm": {"algorithm": "algorithm", "container": "algorithm_container"},
    "absl/base": {"base": "base", "core_headers": "core_headers", "log_severity": "log_severity"},
    "absl/cleanup": {"cleanup": "cleanup"},
    "absl/container": {
        "btree": "btree",
        "fixed_array": "fixed_array",
        "flat_hash_map": "flat_hash_map",
        "flat_hash_set": "flat_hash_set",
        "inlined_vector": "inlined_vector",
        "node_hash_map": "node_hash_map",
        "node_hash_set": "node_hash_set",
    },
    "absl/debugging": {
        "failure_signal_handler": "failure_signal_handler",
        "stacktrace": "stacktrace",
        "symbolize": "symbolize",
    },
    "absl/flags": {"flag": "flags", "parse": "flags_parse", "usage": "flags_usage"},
    "absl/functional": {
        "any_invocable": "any_invocable",
        "bind_front": "bind_front",
        "function_ref": "function_ref",
    },
    "absl/hash": {"hash": "hash"},
    "absl/memory": {"memory": "memory"},
    "absl/meta": {"type_traits": "type_traits"},
    "absl/numeric": {"bits": "bits", "int128": "int128"},
    "absl/random": {"random": "random_random", "distributions": "random_distributions"},
    "absl/status": {"status": "status", "statusor": "statusor"},
    "absl/strings": {
        "cord": "cord",
        "str_format": "str_format",
        "strings": "strings",
    },
    "absl/synchronization": {"synchronization": "synchronization"},
    "absl/time": {"time": "time"},
    "absl/types": {
        "any": "any",
        "optional": "optional",
        "span": "span",
        "variant": "variant",
    },
    "absl/utility": {"utility": "utility"},
}

def _parse_pc(text):
    """Returns (required modules, Abseil library names, other link flags).

    The other link flags keep their order: Debian brackets -latomic with
    -Wl,--push-state,--as-needed ... -Wl,--pop-state so that it is linked only
    where needed (never on x86-64); moving it out of the bracket would make
    every binary load libatomic.so at start.
    """
    requires, libraries, flags = [], [], []
    for line in text.splitlines():
        if line.startswith("Requires:"):
            for entry in line[len("Requires:"):].split(","):
                name = entry.strip().split(" ")[0]
                if name:
                    requires.append(name)
        elif line.startswith("Libs:"):
            for flag in line[len("Libs:"):].split(" "):
                if flag.startswith("-labsl_"):
                    libraries.append(flag[2:])
                elif flag and not flag.startswith("-L"):
                    flags.append(flag)
    return requires, libraries, flags

def _debian_abseil_impl(rctx):
    libdir = rctx.attr.libdir
    _require(rctx, "/usr/include/absl/base/config.h", "libabsl-dev")
    pkgconfig = rctx.path(libdir + "/pkgconfig")
    _require(rctx, libdir + "/pkgconfig/absl_base.pc", "libabsl-dev")

    # One internal target per pkg-config module, linking Debian's static
    # archive. Static on purpose: a re-executed child starts measurably faster
    # without loading and relocating a score of shared libraries.
    internal = ['# Generated from Debian\'s absl_*.pc files.\n',
                'package(default_visibility = ["//:__subpackages__"])\n']
    for pc in pkgconfig.readdir():
        name = pc.basename
        if not (name.startswith("absl_") and name.endswith(".pc")):
            continue
        module = name[len("absl_"):-len(".pc")]
        requires, libraries, flags = _parse_pc(rctx.read(pc))
        archives = []
        for library in libraries:
            archive = "lib%s.a" % library
            _require(rctx, "%s/%s" % (libdir, archive), "libabsl-dev")
            rctx.symlink("%s/%s" % (libdir, archive), "internal/" + archive)
            archives.append(archive)
        internal.append("cc_library(name = %r, srcs = %r, deps = %r, linkopts = %r)\n" % (
            module,
            archives,
            # Some Debian releases list a module among its own requirements.
            [":" + r[len("absl_"):] for r in requires
             if r.startswith("absl_") and r != "absl_" + module],
            flags,
        ))
    rctx.file("internal/BUILD.bazel", "\n".join(internal))

    for package, targets in _ABSEIL_PUBLIC_TARGETS.items():
        lines = ['package(default_visibility = ["//visibility:public"])\n']
        for target, module in targets.items():
            lines.append("alias(name = %r, actual = %r)\n" % (target, "//internal:" + module))
        rctx.file(package + "/BUILD.bazel", "\n".join(lines))
    rctx.file("BUILD.bazel", "# Abseil from Debian's libabsl-dev; see absl/.\n")
    rctx.file("WORKSPACE", 'workspace(name = "com_google_absl")\n')

_debian_abseil = repository_rule(
    implementation = _debian_abseil_impl,
    attrs = {"libdir": attr.string(default = _DEBIAN_LIBDIR)},
    local = True,
)

def _debian_googletest_impl(rctx):
    libdir = rctx.attr.libdir
    _require(rctx, "/usr/include/gtest/gtest.h", "libgtest-dev")
    _require(rctx, "/usr/include/gmock/gmock.h", "libgmock-dev")
    for archive in ["libgtest.a", "libgtest_main.a", "libgmock.a"]:
        _require(rctx, "%s/%s" % (libdir, archive), "libgtest-dev and libgmock-dev")
        rctx.symlink("%s/%s" % (libdir, archive), archive)
    rctx.file("WORKSPACE", 'workspace(name = "com_google_googletest")\n')
    rctx.file("BUILD.bazel", """# GoogleTest and GoogleMock from Debian's static archives.
package(default_visibility = ["//visibility:public"])

# Upstream's :gtest includes GoogleMock.
cc_library(
    name = "gtest",
    srcs = ["libgmock.a"],
    deps = [":gtest_only"],
)

cc_library(
    name = "gtest_only",
    srcs = ["libgtest.a"],
    linkopts = ["-pthread"],
    visibility = ["//visibility:private"],
)

cc_library(
    name = "gtest_main",
    srcs = ["libgtest_main.a"],
    deps = [":gtest"],
)
""")

_debian_googletest = repository_rule(
    implementation = _debian_googletest_impl,
    attrs = {"libdir": attr.string(default = _DEBIAN_LIBDIR)},
    local = True,
)

def _debian_rapidjson_impl(rctx):
    _require(rctx, "/usr/include/rapidjson/rapidjson.h", "rapidjson-dev")
    rctx.file("WORKSPACE", 'workspace(name = "rapidjson")\n')
    rctx.file("BUILD.bazel", """# RapidJSON from Debian's rapidjson-dev: headers in /usr/include.
package(default_visibility = ["//visibility:public"])

cc_library(
    name = "rapidjson",
    defines = ["RAPIDJSON_HAS_STDSTRING=1"],
)
""")

_debian_rapidjson = repository_rule(implementation = _debian_rapidjson_impl, local = True)

def _alias_repository_impl(rctx):
    for package, targets in rctx.attr.packages.items():
        lines = ["# Aliases of %s, the copy this workspace already has.\n" % rctx.attr.actual,
                 'package(default_visibility = ["//visibility:public"])\n']
        for target in targets:
            label = "%s//%s:%s" % (rctx.attr.actual, package, target)
            lines.append("alias(name = %r, actual = %r)\n" % (target, label))
        rctx.file(package + "/BUILD.bazel" if package else "BUILD.bazel", "\n".join(lines))
    if "" not in rctx.attr.packages:
        rctx.file("BUILD.bazel", "")
    rctx.file("WORKSPACE", "workspace(name = %r)\n" % rctx.attr.name)

# A repository whose targets are aliases of the same targets of another one,
# so that gons's labels (@com_google_absl//absl/status, @rapidjson, ...) name
# the workspace's own copy of a library.
_alias_repository = repository_rule(
    implementation = _alias_repository_impl,
    attrs = {
        "actual": attr.string(mandatory = True),
        "packages": attr.string_list_dict(mandatory = True),
    },
    local = True,
)

# Per library: gons's repository name, the packages and targets gons and its
# users may name, the parameter of gons_dependencies() that names the
# workspace's own copy, an example target of it, and words found in the
# usual names of other copies (com_github_abseil_abseil_cpp,
# com_github_tencent_rapidjson, com_github_google_googletest...).
_LIBRARIES = {
    "com_google_absl": struct(
        parameter = "abseil",
        packages = {package: targets.keys() for package, targets in _ABSEIL_PUBLIC_TARGETS.items()},
        example = "//absl/status",
        words = ["absl", "abseil"],
    ),
    "com_google_googletest": struct(
        parameter = "googletest",
        packages = {"": ["gtest", "gtest_main"]},
        example = "//:gtest",
        words = ["googletest", "gtest"],
    ),
    "rapidjson": struct(
        parameter = "rapidjson",
        packages = {"": ["rapidjson"]},
        example = "//:rapidjson",
        words = ["rapidjson"],
    ),
}

def _repository_name(value):
    name = value[1:] if value.startswith("@") else value
    if not name or "/" in name or ":" in name:
        fail("gons_dependencies(): %r is not a repository name (write \"@name\")" % value)
    return name

def _look_alike(name, library, ignored):
    """Returns the declared repositories that look like copies of library."""
    found = []
    for other in native.existing_rules().keys():
        lowered = other.lower()
        # Abseil's Python library (io_abseil_py, absl_py) is another library.
        if other == name or other in ignored or "py" in lowered.split("_"):
            continue
        for word in library.words:
            if word in lowered:
                found.append(other)
                break
    return found

def gons_dependencies(abseil = None, googletest = None, rapidjson = None, unrelated = []):
    """Declares every repository gons needs that is not declared yet.

    A workspace that has Abseil, GoogleTest or RapidJSON of its own under
    another name than upstream's (com_google_absl, com_google_googletest,
    rapidjson) names it here, e.g. `rapidjson = "@com_github_tencent_rapidjson"`:
    gons then uses that copy (through a repository of aliases under
    upstream's name) instead of Debian's. Linking two copies of one library
    compiles without a word and breaks at run time, so when such a copy is
    found under a recognisable name and not named here, loading fails with
    the line to add. A copy declared under upstream's own name is used as is.

    Args:
      abseil: the workspace's own Abseil repository ("@name"), whose targets
        are upstream's (//absl/status, //absl/strings, ...).
      googletest: the workspace's own GoogleTest repository, with //:gtest and
        //:gtest_main.
      rapidjson: the workspace's own RapidJSON repository, with //:rapidjson
        (which should define RAPIDJSON_HAS_STDSTRING=1).
      unrelated: names of declared repositories that look like one of these
        libraries by their name but are something else.
    """
    if not native.existing_rule("rules_cc"):
        _files_repository(
            name = "rules_cc",
            files = {
                Label("//tools/deps:rules_cc.BUILD.bazel"): "cc/BUILD.bazel",
                Label("//tools/deps:rules_cc.defs.bzl"): "cc/defs.bzl",
                Label("//tools/deps:empty.BUILD.bazel"): "BUILD.bazel",
            },
        )
    if not native.existing_rule("rules_java"):
        _files_repository(
            name = "rules_java",
            files = {
                Label("//tools/deps:rules_java.BUILD.bazel"): "java/BUILD.bazel",
                Label("//tools/deps:rules_java.defs.bzl"): "java/defs.bzl",
                Label("//tools/deps:empty.BUILD.bazel"): "BUILD.bazel",
            },
        )
    if not native.existing_rule("remote_coverage_tools"):
        _files_repository(
            name = "remote_coverage_tools",
            files = {
                Label("//tools/deps:remote_coverage_tools.BUILD.bazel"): "BUILD.bazel",
                Label("//tools/deps:coverage_tools.py"): "coverage_tools.py",
            },
        )

    given = {"abseil": abseil, "googletest": googletest, "rapidjson": rapidjson}
    named = [_repository_name(value) for value in given.values() if value] + unrelated
    named.append(Label("//tools/deps:repositories.bzl").workspace_name)  # gons itself
    debian_rules = {
        "com_google_absl": _debian_abseil,
        "com_google_googletest": _debian_googletest,
        "rapidjson": _debian_rapidjson,
    }
    conflicts = []
    for name, library in _LIBRARIES.items():
        value = given[library.parameter]
        if native.existing_rule(name):
            if value:
                fail(("gons_dependencies(%s = %r): this workspace already declares @%s; " +
                      "gons uses that one, so leave %s out") %
                     (library.parameter, value, name, library.parameter))
            continue
        if value:
            _alias_repository(
                name = name,
                actual = "@" + _repository_name(value),
                packages = library.packages,
            )
            continue
        look_alike = _look_alike(name, library, named)
        if look_alike:
            conflicts.append((library, look_alike))
            continue
        debian_rules[name](name = name)
    if conflicts:
        lines = []
        for library, look_alike in conflicts:
            lines.append(
                ("@%s looks like this workspace's own %s; gons would otherwise use " +
                 "Debian's, and a program would link two copies. Name it:\n" +
                 "    gons_dependencies(%s = \"@%s\")  # needs @%s%s") %
                (look_alike[0], library.parameter, library.parameter, look_alike[0],
                 look_alike[0], library.example),
            )
        lines.append("(or, if it is another library, gons_dependencies(unrelated = [...]))")
        fail("gons_dependencies(): one copy of each library per program.\n" + "\n".join(lines))

# For the Bzlmod module extension (extensions.bzl), which declares the same
# repositories under other names.
ABSEIL_PUBLIC_TARGETS = _ABSEIL_PUBLIC_TARGETS
debian_abseil = _debian_abseil
debian_googletest = _debian_googletest
debian_rapidjson = _debian_rapidjson
