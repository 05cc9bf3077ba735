#!/usr/bin/env python3
"""The share of the product's C++ that has a unit test beside it.

Product .cc files: every tracked .cc that is not a *_test.cc and not under fuzz/, tests/,
qemu-tests/ or bench/. One is covered when a unit test of the same name sits beside it
(foo.cc and foo_test.cc in one directory). Code a test exercises only through another file
(ab/sys/verified_copy.cc through nothing but the QEMU scenarios, say) does not count: the figure
is a floor. Lines are physical lines (wc -l).

    bench/unit_test_share.py [--rev REV] [--files]

--rev: measure the tree of a commit (default: the work tree's tracked files); --files: list
the files not covered, largest first."""
import argparse
import subprocess
import sys
from collections import defaultdict
from pathlib import PurePosixPath

EXCLUDED = ("fuzz/", "tests/", "qemu-tests/", "bench/")


def git(*args):
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout


def tracked(rev):
    names = git("ls-tree", "-r", "--name-only", rev) if rev else git("ls-files")
    return [n for n in names.splitlines() if n.endswith(".cc")]


def line_count(name, rev):
    text = git("show", f"{rev}:{name}") if rev else open(name, encoding="utf-8").read()
    return text.count("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", help="a commit to measure instead of the work tree")
    parser.add_argument("--files", action="store_true", help="list the product files without a test")
    args = parser.parse_args()

    names = tracked(args.rev)
    tests = {n for n in names if n.endswith("_test.cc")}
    product = [n for n in names if n not in tests and not n.startswith(EXCLUDED)]
    by_room = defaultdict(lambda: [0, 0, 0, 0])  # files, covered files, lines, covered lines
    uncovered = []
    for name in product:
        path = PurePosixPath(name)
        covered = str(path.with_name(path.stem + "_test.cc")) in tests
        lines = line_count(name, args.rev)
        room = by_room[path.parts[0] if len(path.parts) > 1 else "."]
        room[0] += 1
        room[1] += covered
        room[2] += lines
        room[3] += lines if covered else 0
        if not covered:
            uncovered.append((lines, name))

    total = [sum(r[i] for r in by_room.values()) for i in range(4)]
    def row(name, files, covered_files, lines, covered_lines):
        share = covered_lines / lines
        print(f"{name:<12} {covered_files:>4} / {files:<4} {covered_lines:>6} / {lines:<6} {share:6.1%}")

    print(f"{'room':<12} {'files':>11} {'lines':>17}")
    for room, counts in sorted(by_room.items()):
        row(room, *counts)
    row("all", *total)
    files, covered_files, lines, covered_lines = total
    print(f"{len(tests)} unit test files; product .cc lines with a *_test.cc beside them: "
          f"{covered_lines}/{lines} = {covered_lines / lines:.1%}")
    if args.files:
        for lines, name in sorted(uncovered, reverse=True):
            print(f"{lines:6} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
