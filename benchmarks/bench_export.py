"""Benchmark of the board exports on the bundled sample: time to build the deck, the PDF report
(with and without a running chart renderer), the XLSX plan and the chart images.

The analysis (planner and risk model) is computed once beforehand and is not timed. Each
export is built ``--runs`` times (default 3) and the median is printed, in seconds. "PDF" starts
its own headless Chromium each time, as the CLI and the app do for one report; "PDF, warm
renderer" reuses one :class:`roadmap.exports.ImageRenderer` (the cost of the charts alone). Run::

    .venv/bin/python benchmarks/bench_export.py [--runs 3] [--lang fr]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roadmap import analyse_roadmap, exports, load_roadmap

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample" / "rivebelle.xlsx"


def median_seconds(build: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    """Median and all wall-clock times of ``runs`` calls of ``build``, in seconds."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        build()
        times.append(time.perf_counter() - began)
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lang", choices=("fr", "en"), default="fr")
    args = parser.parse_args()
    roadmap, _ = load_roadmap(SAMPLE)
    analysis = analyse_roadmap(roadmap, time_limit=5, crashing=True)
    today = dt.date(2026, 11, 30)
    source = SAMPLE.read_bytes()
    print(f"{SAMPLE.name}: {len(roadmap.measures)} measures, {len(roadmap.risks)} risks; median of {args.runs} runs")
    with exports.ImageRenderer() as renderer:
        cases: dict[str, Callable[[], object]] = {
            "PPTX deck": lambda: exports.build_deck(analysis, lang=args.lang, today=today),
            "PDF report": lambda: exports.build_pdf(analysis, lang=args.lang, today=today),
            "PDF report, warm renderer": lambda: exports.build_pdf(
                analysis, lang=args.lang, today=today, renderer=renderer
            ),
            "XLSX plan": lambda: exports.build_plan_xlsx(analysis, source, filename=SAMPLE.name),
            "PNG images (7), warm renderer": lambda: exports.chart_images(
                analysis, lang=args.lang, fmt="png", renderer=renderer
            ),
            "CSV tables (10)": lambda: [exports.to_csv(f) for f in exports.tables(analysis, lang=args.lang).values()],
        }
        for name, build in cases.items():
            median, times = median_seconds(build, args.runs)
            print(f"  {name:<32} {median:6.2f} s   (runs: {', '.join(f'{t:.2f}' for t in times)})")


if __name__ == "__main__":
    main()
