#!/usr/bin/env python3
"""Prints the median of every criterion benchmark in target/criterion as a Markdown table."""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
rows = []
for est in sorted(root.glob("*/new/estimates.json")):
    meta = json.loads((est.parent / "benchmark.json").read_text())
    median = json.loads(est.read_text())["median"]["point_estimate"]
    rows.append((meta["full_id"], median))
print("| benchmark | median |")
print("|---|---|")
for name, ns in rows:
    shown = f"{ns / 1e6:.2f} ms" if ns >= 1e6 else f"{ns / 1e3:.2f} µs" if ns >= 1e3 else f"{ns:.0f} ns"
    print(f"| {name} | {shown} |")
