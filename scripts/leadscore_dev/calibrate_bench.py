"""How long `leadscore calibrate` takes, step by step, on generated backtest leads (issue 15: within
30 s for 300 candidate rules on 10,000 leads, on 2 cores):

    python -m leadscore_dev.calibrate_bench [--leads 10000] [--seed 1]

prints a table of wall and CPU seconds per step. The leads are made in memory (categorical and
numeric attributes, page views with URLs, a known propensity), so the table measures calibrate's
own work; reading the reports from the serving file is the first step of a real run (about 2 s for
9,240 leads and 60 attributes)."""

from __future__ import annotations

import argparse
import math
import time
from datetime import datetime, timedelta

import numpy as np

from leadscore.calibrate import Backtest, propose
from leadscore.discovery import LeadData, Settings

CATEGORICAL, VALUES, NUMERIC, URLS = 16, 12, 8, 20


def synthetic_backtest(leads: int, seed: int) -> Backtest:
    rng = np.random.default_rng(seed)
    data = LeadData([f"L{number:06d}" for number in range(leads)], {}, {})
    logit = np.full(leads, -1.5)
    for attribute in range(CATEGORICAL):
        values = rng.integers(0, VALUES, leads)
        missing = rng.random(leads) < 0.1
        logit += np.where(values == 0, 0.4 if attribute < 4 else 0.0, 0.0)
        data.attributes[f"category_{attribute}"] = {
            lead: (f"value_{values[lead]}", None) for lead in range(leads) if not missing[lead]}
    for attribute in range(NUMERIC):
        numbers = rng.gamma(2.0, 10.0, leads).round(1)
        logit += 0.02 * numbers if attribute < 2 else 0.0
        data.attributes[f"number_{attribute}"] = {lead: (f"{numbers[lead]:g}", float(numbers[lead]))
                                                  for lead in range(leads)}
    views = rng.poisson(3.0, leads)
    rows: list[tuple[int, str, float, float, float]] = []
    typed: list[tuple[int, str, float, float, float]] = []
    for lead in range(leads):
        pages = rng.integers(0, URLS, views[lead])
        for page in set(pages.tolist()):
            count = float((pages == page).sum())
            rows.append((lead, f"https://example.org/page-{page}", count, count * 0.8, 3.0))
        if views[lead]:
            typed.append((lead, "", float(views[lead]), views[lead] * 0.8, 3.0))
        logit[lead] += 0.3 * float((pages == 0).sum())
    data.engagement[("page_view", "url")] = rows
    data.engagement[("page_view", "")] = typed
    converted = rng.random(leads) < 1 / (1 + np.exp(-logit))
    start = datetime(2024, 1, 1)
    cut = int(leads * 0.7)
    return Backtest(
        grid="bench", contact_ids=data.contact_ids,
        decided_at=[start + timedelta(hours=number) for number in range(leads)],
        converted=converted, learn=np.arange(cut), test=np.arange(cut, leads),
        current_score=np.zeros(leads), adjustments=np.zeros(leads), data=data,
        settings=Settings(30.0, -5.0, None, None, None, "exponential", 30.0),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m leadscore_dev.calibrate_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    made = time.perf_counter()
    backtest = synthetic_backtest(args.leads, args.seed)
    made = time.perf_counter() - made
    result = propose(backtest, "bench", [])
    print(f"calibrate on {args.leads:,} generated leads: {result.candidates} candidate rules, "
          f"{len(result.rules)} kept (leads made in {made:.1f} s, not counted)")
    print(f"{'step':<46}{'wall s':>9}{'CPU s':>9}")
    for step, wall, cpu in result.timings:
        print(f"{step:<46}{wall:>9.2f}{cpu:>9.2f}")
    total_wall, total_cpu = (math.fsum(t[i] for t in result.timings) for i in (1, 2))
    print(f"{'total':<46}{total_wall:>9.2f}{total_cpu:>9.2f}")


if __name__ == "__main__":
    main()
