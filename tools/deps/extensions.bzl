"""The Bzlmod side of repositories.bzl: Debian's packages as repositories.

`debian_packages` declares Abseil, GoogleTest and RapidJSON from Debian's
-dev packages with the repository rules that WORKSPACE mode uses
(repositories.bzl), under names of their own. The stand-in modules in
tools/bzlmod/ (abseil-cpp, googletest, rapidjson) forward the upstream
modules' labels to them; MODULE.bazel points the upstream module names at
those stand-ins only when gons is the root module, so that its own build
runs offline, while a consumer on the public registry gets the upstream
modules.
"""

load(":repositories.bzl", "debian_abseil", "debian_googletest", "debian_rapidjson")

def _debian_packages_impl(module_ctx):
    debian_abseil(name = "debian_abseil")
    debian_googletest(name = "debian_googletest")
    debian_rapidjson(name = "debian_rapidjson")

debian_packages = module_extension(
    implementation = _debian_packages_impl,
    doc = "Declares @debian_abseil, @debian_googletest and @debian_rapidjson.",
)
