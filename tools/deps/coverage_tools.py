#!/usr/bin/env python3
# Copyright 2026 The gons Authors.
# SPDX-License-Identifier: Apache-2.0
"""The two tools that `bazel coverage` runs, done locally with Debian's gcov.

Bazel 4.2.3 would download them (@remote_coverage_tools, in Java). Both are
this one program; the flags tell which one Bazel is running:

  lcov_merger, after each test:
    --coverage_dir=DIR --output_file=FILE --source_file_manifest=FILE
    [--filter_sources=REGEX ...]
    Turns every .gcda file under DIR into lcov: the test's own, and those
    that its re-executed children wrote into subdirectories of their own
    (see testing/check_action.h), which gcov-tool first adds up into one
    tree. The .gcno notes come from the same relative path under DIR
    (Bazel's collect_cc_coverage.sh copies them there) or under the working
    directory, the execution root. Only sources listed in the manifest, and
    not matched by a filter, are reported. What the children's coverage
    runtime could not write is shown on stderr.

  coverage_report_generator, once at the end (--combined_report=lcov):
    --reports_file=FILE --output_file=FILE
    Merges the lcov files listed in FILE into one report.

Counts of the same line, function or branch are added up.
"""

import collections
import concurrent.futures
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Where Bazel's relative object paths begin, in a .gcda path under
# --coverage_dir.
_OUTPUT_ROOT = "bazel-out"
_FILES_PER_GCOV = 1000
# Where a child's coverage runtime writes its messages (GCOV_ERROR_FILE).
_CHILD_ERRORS = "gcov-errors.txt"


class Coverage:
    """Coverage counts per source file, in the shape of an lcov report."""

    def __init__(self):
        self.lines = collections.defaultdict(collections.Counter)
        self.function_lines = collections.defaultdict(dict)
        self.function_counts = collections.defaultdict(collections.Counter)
        self.branches = collections.defaultdict(collections.Counter)

    def add_line(self, source, line, count):
        self.lines[source][line] += count

    def add_function(self, source, name, line, count):
        self.function_lines[source].setdefault(name, line)
        self.function_counts[source][name] += count

    def add_branch(self, source, key, count):
        self.branches[source][key] += count

    def write(self, path):
        sources = sorted(
            set(self.lines) | set(self.function_lines) | set(self.branches))
        with open(path, "w") as out:
            for source in sources:
                out.write("SF:%s\n" % source)
                functions = self.function_lines[source]
                counts = self.function_counts[source]
                for name, line in sorted(functions.items(),
                                         key=lambda item: (item[1], item[0])):
                    out.write("FN:%d,%s\n" % (line, name))
                for name in sorted(functions):
                    out.write("FNDA:%d,%s\n" % (counts[name], name))
                out.write("FNF:%d\n" % len(functions))
                out.write("FNH:%d\n" % sum(1 for n in functions if counts[n]))
                branches = self.branches[source]
                for (line, block, branch), count in sorted(branches.items()):
                    out.write("BRDA:%d,%s,%s,%d\n" % (line, block, branch, count))
                if branches:
                    out.write("BRF:%d\n" % len(branches))
                    out.write("BRH:%d\n" % sum(1 for c in branches.values() if c))
                lines = self.lines[source]
                for line, count in sorted(lines.items()):
                    out.write("DA:%d,%d\n" % (line, count))
                out.write("LH:%d\n" % sum(1 for c in lines.values() if c))
                out.write("LF:%d\n" % len(lines))
                out.write("end_of_record\n")


def fail(message):
    sys.stderr.write("gons coverage tools: %s\n" % message)
    sys.exit(1)


def parse_flags(argv, known):
    """Returns {flag: [values]}; an unknown flag is an error."""
    flags = collections.defaultdict(list)
    for argument in argv:
        name, equals, value = argument.partition("=")
        if not equals or name not in known:
            fail("unexpected argument %r (expected %s)" %
                 (argument, ", ".join(sorted(known))))
        flags[name].append(value)
    return flags


def single(flags, name):
    values = flags.get(name, [])
    if len(values) != 1:
        fail("expected %s exactly once" % name)
    return values[0]


def read_lcov(path, coverage):
    """Adds the counts of the lcov file at `path` to `coverage`."""
    source = None
    with open(path) as lcov:
        for number, text in enumerate(lcov, 1):
            text = text.strip()
            kind, _, value = text.partition(":")
            fields = value.split(",")
            try:
                if kind == "SF":
                    source = value
                elif kind == "end_of_record":
                    source = None
                elif source is None or kind in ("TN", "FNF", "FNH", "LF", "LH",
                                                "BRF", "BRH", ""):
                    continue
                elif kind == "DA":
                    coverage.add_line(source, int(fields[0]), int(fields[1]))
                elif kind == "FN":
                    coverage.add_function(source, fields[-1], int(fields[0]), 0)
                elif kind == "FNDA":
                    coverage.add_function(source, fields[-1], 0, int(fields[0]))
                elif kind == "BRDA":
                    count = 0 if fields[3] == "-" else int(fields[3])
                    coverage.add_branch(
                        source, (int(fields[0]), fields[1], fields[2]), count)
            except (IndexError, ValueError):
                fail("%s:%d: malformed lcov line %r" % (path, number, text))


def find_gcda_trees(coverage_dir):
    """Returns {tree root: [.gcda paths relative to it, from bazel-out/]}."""
    trees = collections.defaultdict(list)
    for directory, _, files in os.walk(coverage_dir):
        for name in files:
            if not name.endswith(".gcda"):
                continue
            path = os.path.join(directory, name)
            parts = os.path.relpath(path, coverage_dir).split(os.sep)
            if _OUTPUT_ROOT not in parts:
                sys.stderr.write("gons coverage tools: skipping %s: not under "
                                 "a %s/ directory\n" % (path, _OUTPUT_ROOT))
                continue
            start = parts.index(_OUTPUT_ROOT)
            root = os.path.join(coverage_dir, *parts[:start])
            trees[root].append(os.path.join(*parts[start:]))
    return trees


def report_child_errors(coverage_dir):
    """Shows the messages that children's coverage runtime kept in files."""
    for directory, _, files in os.walk(coverage_dir):
        if _CHILD_ERRORS in files:
            with open(os.path.join(directory, _CHILD_ERRORS)) as errors:
                sys.stderr.write("gons coverage tools: %s: %s\n" %
                                 (directory, errors.read().strip()))


def place_notes(coverage_dir, root, gcda, manifest_notes):
    """Puts the .gcno beside `gcda` (gcov wants them together).

    Returns False for an object whose notes are not in the manifest: code
    outside the instrumentation filter, which is not reported.
    """
    notes = gcda[:-len(".gcda")] + ".gcno"
    if notes not in manifest_notes:
        return False
    target = os.path.join(root, notes)
    if os.path.exists(target):
        return True
    for candidate in (os.path.join(coverage_dir, notes), notes):
        if os.path.exists(candidate):
            os.symlink(os.path.abspath(candidate), target)
            return True
    sys.stderr.write("gons coverage tools: no notes file %s for %s\n" %
                     (notes, os.path.join(root, gcda)))
    return False


def read_gcov_json(document, keep, coverage):
    for entry in document.get("files", []):
        source = entry["file"]
        if not keep(source):
            continue
        for line in entry.get("lines", []):
            number = line["line_number"]
            coverage.add_line(source, number, line["count"])
            for index, branch in enumerate(line.get("branches", [])):
                coverage.add_branch(source, (number, "0", str(index)),
                                    branch["count"])
        for function in entry.get("functions", []):
            coverage.add_function(source, function["name"],
                                  function["start_line"],
                                  function["execution_count"])


def run_gcov(gcov, paths, keep, coverage):
    """Runs gcov over .gcda files; adds what it reports."""
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(
            [gcov, "--json-format", "--stdout"] + paths,
            cwd=scratch, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            universal_newlines=True, check=False)
    # gcov reports a damaged .gcda (a child killed while writing it, say) and
    # goes on with the others: keep what it could read, and say what it could
    # not.
    if result.returncode != 0 or result.stderr.strip():
        sys.stderr.write("gons coverage tools: gcov: %s\n" %
                         (result.stderr.strip() or result.returncode))
    for text in result.stdout.splitlines():
        if text.strip():
            read_gcov_json(json.loads(text), keep, coverage)


def read_manifest(path):
    """Returns (sources, .gcno notes) listed in Bazel's coverage manifest."""
    with open(path) as manifest:
        entries = {line.strip() for line in manifest if line.strip()}
    notes = {entry for entry in entries if entry.endswith(".gcno")}
    return entries - notes, notes


def lcov_merger(argv):
    flags = parse_flags(argv, {"--coverage_dir", "--output_file",
                               "--filter_sources", "--source_file_manifest"})
    coverage_dir = single(flags, "--coverage_dir")
    output_file = single(flags, "--output_file")
    sources, notes = read_manifest(single(flags, "--source_file_manifest"))
    filters = [re.compile(pattern) for pattern in flags["--filter_sources"]]

    def keep(source):
        return source in sources and not any(f.match(source) for f in filters)

    gcov = os.environ.get("COVERAGE_GCOV_PATH") or "gcov"
    report_child_errors(coverage_dir)
    coverage = Coverage()
    paths = []
    scratch = tempfile.mkdtemp(prefix="gons-coverage-")
    try:
        trees = merge_child_trees(gcov, coverage_dir, scratch)
        for root, gcdas in sorted(trees.items()):
            paths.extend(os.path.abspath(os.path.join(root, gcda))
                         for gcda in gcdas
                         if place_notes(coverage_dir, root, gcda, notes))
        # One gcov for many files.
        for start in range(0, len(paths), _FILES_PER_GCOV):
            run_gcov(gcov, paths[start:start + _FILES_PER_GCOV], keep,
                     coverage)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    coverage.write(output_file)


def merge_child_trees(gcov, coverage_dir, scratch):
    """Folds the children's .gcda trees into one with gcov-tool.

    gcov spends about 10 ms on each .gcda file, and a test with hundreds of
    children has thousands; gcov-tool adds two trees' counters in a few
    milliseconds. Pairs are merged in rounds, on every core. A damaged file
    is reported by gcov-tool and left out. Returns {tree root: [.gcda]}.
    """
    trees = find_gcda_trees(coverage_dir)
    children = sorted(root for root in trees if root != coverage_dir)
    gcov_tool = os.path.join(os.path.dirname(gcov), "gcov-tool")
    if not os.path.exists(gcov_tool):
        gcov_tool = shutil.which("gcov-tool")
    if len(children) < 2 or gcov_tool is None:
        return trees
    counter = itertools.count()

    def merge(pair):
        output = os.path.join(scratch, "merged-%d" % next(counter))
        # GCC 16's gcov-tool applies the GCOV_PREFIX and GCOV_PREFIX_STRIP
        # that `bazel coverage` sets to the trees it reads and writes, and so
        # would merge nothing; the trees here are given by full path.
        environment = {name: value for name, value in os.environ.items()
                       if name not in ("GCOV_PREFIX", "GCOV_PREFIX_STRIP")}
        result = subprocess.run([gcov_tool, "merge", "-o", output] + pair,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                universal_newlines=True, check=False,
                                env=environment)
        if result.returncode != 0 or result.stderr.strip():
            sys.stderr.write("gons coverage tools: gcov-tool merge %s: %s\n" %
                             (" ".join(pair), result.stderr.strip() or
                              result.returncode))
        # When it cannot merge (nothing readable on one side), gcov reads
        # both trees on their own.
        return [output] if result.returncode == 0 else pair

    unmergeable = []
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        while len(children) > 1:
            pairs = [children[i:i + 2] for i in range(0, len(children) - 1, 2)]
            merged = []
            for roots in pool.map(merge, pairs):
                (merged if len(roots) == 1 else unmergeable).extend(roots)
            children = merged + children[2 * len(pairs):]
    merged_trees = {root: gcdas for root, gcdas in trees.items()
                    if root == coverage_dir}
    for root in children + unmergeable:
        merged_trees.update(find_gcda_trees(root))
    return merged_trees




def coverage_report_generator(argv):
    flags = parse_flags(argv, {"--reports_file", "--output_file"})
    coverage = Coverage()
    with open(single(flags, "--reports_file")) as reports:
        for report in reports:
            report = report.strip()
            if report and os.path.getsize(report) > 0:
                read_lcov(report, coverage)
    coverage.write(single(flags, "--output_file"))


def main(argv):
    if any(argument.startswith("--coverage_dir=") for argument in argv):
        lcov_merger(argv)
    elif any(argument.startswith("--reports_file=") for argument in argv):
        coverage_report_generator(argv)
    else:
        fail("run by Bazel as lcov_merger (--coverage_dir=...) or as "
             "coverage_report_generator (--reports_file=...)")


if __name__ == "__main__":
    main(sys.argv[1:])
