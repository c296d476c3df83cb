"""`leadscore generate` and `leadscore bench`, registered with the CLI through the entry-point group
leadscore.commands (pyproject.toml): leadscore.cli calls register(commands, add) while it builds its parser."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from leadscore.cli import _PATH, _given, _say, lazy
from leadscore_dev import SOURCES as BENCH_SOURCES

# loaded when the command runs, as the CLI's own (leadscore.cli.lazy)
generate = lazy("leadscore_dev.generate", "generate")
run_bench = lazy("leadscore_dev.bench", "run_bench")


def _cmd_generate(args: argparse.Namespace) -> None:
    counts = generate(
        out_dir=Path(args.out),
        contacts=args.contacts,
        days=args.days,
        seed=args.seed,
        end_date=args.end_date,
        file_format=args.format,
        progress=_say,
    )
    for entity, rows in counts.items():
        _say(f"  {entity:<20} {rows:>12,} rows")
    _say(f"Wrote raw files to {Path(args.out).resolve()}")


def _cmd_bench(args: argparse.Namespace) -> None:
    run_bench(
        contacts=args.contacts,
        days=args.days,
        out_dir=Path(args.out),
        keep=args.keep,
        scaling=args.scaling,
        seed=args.seed,
        source=args.source,
        progress=_say,
    )


def register(commands: Any, add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add generate and bench to the CLI's subparsers (``add`` gives a subcommand --db and --serving)."""
    gen = add("generate", "write deterministic synthetic raw files in the raw contract")
    gen.add_argument("--out", required=True, type=_PATH, help="directory to write the files to")
    gen.add_argument("--contacts", type=int, default=2000, help="number of contacts (default 2000)")
    gen.add_argument("--days", type=int, default=180, help="days of events (default 180)")
    gen.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    gen.add_argument("--end-date", type=_given("a date"), help="last day of events, YYYY-MM-DD (default: today, UTC)")
    gen.add_argument("--format", choices=["csv", "parquet", "jsonl"], default="csv")
    gen.set_defaults(handler=_cmd_generate)

    # The bench works on its own scratch warehouse under --out, so it takes no --db / --serving.
    bench = commands.add_parser(
        "bench",
        help="performance benchmark: full and incremental builds, lead_scores, a reference query",
        description="Generate a data set, then time a full build, an incremental build after one more day "
        "of events, the lead_scores model alone and a hand-written reference query (checked against "
        "lead_scores), with each step's peak memory; writes OUT/bench.json and OUT/bench.md.",
    )
    bench.add_argument("--contacts", type=int, default=100_000, help="contacts to generate (default 100000)")
    bench.add_argument("--days", type=int, default=180, help="days of events (default 180)")
    bench.add_argument("--seed", type=int, default=42, help="random seed of the generator (default 42)")
    bench.add_argument("--out", type=_PATH, default="data/bench", help="where the reports go (default data/bench)")
    bench.add_argument("--keep", action="store_true", help="keep the scratch warehouse and raw files (OUT/work)")
    bench.add_argument("--scaling", action="store_true", help="also run a quarter of the contacts: cost per event")
    bench.add_argument("--source", choices=list(BENCH_SOURCES), default="raw",
                       help="raw: the raw contract (default); hubspot+segment: the data written as Fivetran's "
                       "HubSpot and Segment's tables, built through the adapters with identity stitching")
    bench.set_defaults(handler=_cmd_bench)
