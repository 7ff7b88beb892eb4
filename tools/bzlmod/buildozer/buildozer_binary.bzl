"""The `buildozer_binary` extension that Bazel's tools module uses, empty."""

def _empty_repository_impl(repository_ctx):
    repository_ctx.file("BUILD.bazel", "# No buildozer offline.\n")

_empty_repository = repository_rule(implementation = _empty_repository_impl)

def _buildozer_binary_impl(module_ctx):
    _empty_repository(name = "buildozer_binary")

buildozer_binary = module_extension(implementation = _buildozer_binary_impl)
