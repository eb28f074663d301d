#!/usr/bin/env python
"""tsunagu's benchmarks (``make bench``; ``make bench BENCH_ARGS='--only search'``).

- plan (``plan.py``): importing the seed chapter, and the plan pages with ten years of reports;
- search (``search.py``): the directory search over 100,000 synthetic services on SQLite and,
  when a server answers, on PostgreSQL, against an ``icontains`` scan.

Each writes ``bench/results/<name>-<YYYYMMDD>.json`` and its figures under its name in
``bench/results/latest.json``. Options of both benchmarks are accepted here; ``--help`` lists
them. Each benchmark also runs on its own: ``.venv/bin/python bench/search.py --help``.
"""

from __future__ import annotations

import argparse
import sys
import time

import plan
import search

BENCHMARKS = {"plan": plan, "search": search}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME[,NAME]",
        help=f"run only these benchmarks ({', '.join(BENCHMARKS)}); default: all",
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print the results but do not write JSON"
    )
    plan.add_arguments(parser.add_argument_group("plan"))
    search.add_arguments(parser.add_argument_group("search"))
    args = parser.parse_args(argv)
    names = [n for value in args.only or [] for n in value.split(",") if n]
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)} (known: {', '.join(BENCHMARKS)})")
    args.only = names or list(BENCHMARKS)
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    timings = {}
    for name in args.only:
        print(f"\n===== {name} benchmark", flush=True)
        began = time.perf_counter()
        if name == "plan":
            plan.run(args)
        else:
            search.run(args)
        timings[name] = time.perf_counter() - began
    spent = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items())
    print(f"\nbench: done in {time.perf_counter() - started:.0f} s ({spent})", file=sys.stderr)


if __name__ == "__main__":
    main()
