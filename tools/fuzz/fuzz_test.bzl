"""cc_fuzz_test: a libFuzzer target, run over its seed corpus as a test.

The target is a source file defining LLVMFuzzerTestOneInput. Under
`bazel test` (any toolchain, any sanitizer config) it is linked with
//tools/fuzz:corpus_driver and runs once on every file of `corpus`, a
directory of the package; tools/fuzz/run.sh builds the same source with
clang's libFuzzer and fuzzes it, starting from the same corpus.
"""

load("@rules_cc//cc:defs.bzl", "cc_test")

def cc_fuzz_test(name, srcs, corpus, deps = [], **kwargs):
    """Declares the regression test `name` for the fuzz target in `srcs`.

    Args:
      name: the test's name; run.sh takes it as the fuzzer's label.
      srcs: the fuzz target's sources.
      corpus: the seed corpus directory, relative to the package.
      deps: what the target needs (not the driver).
      **kwargs: passed to cc_test (size, tags, ...).
    """
    package = native.package_name()
    cc_test(
        name = name,
        srcs = srcs,
        deps = deps + ["//tools/fuzz:corpus_driver"],
        data = native.glob([corpus + "/**"]),
        args = [(package + "/" + corpus) if package else corpus],
        **kwargs
    )
