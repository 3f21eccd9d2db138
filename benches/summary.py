#!/usr/bin/env python3
"""Medians and 95th percentiles from criterion's results, as a Markdown table.

    python3 benches/summary.py [AFTER_DIR [BEFORE_DIR]]
    python3 benches/summary.py --grid [DIR]     (one row per case, one column per size)

AFTER_DIR defaults to target/criterion. With BEFORE_DIR (another run's criterion directory,
e.g. one made with CRITERION_HOME=...), adds its medians and the before/after ratio.
The p95 is over criterion's samples (each the mean time of one batch of iterations).
"""

import json
import os
import sys


def load(root):
    """full id -> (median ns, p95 ns)"""
    out = {}
    for dirpath, _, files in os.walk(root):
        if os.path.basename(dirpath) != "new" or "benchmark.json" not in files:
            continue
        with open(os.path.join(dirpath, "benchmark.json")) as f:
            full_id = json.load(f)["full_id"]
        with open(os.path.join(dirpath, "estimates.json")) as f:
            median = json.load(f)["median"]["point_estimate"]
        with open(os.path.join(dirpath, "sample.json")) as f:
            s = json.load(f)
        per_iter = sorted(t / n for t, n in zip(s["times"], s["iters"]))
        p95 = per_iter[min(len(per_iter) - 1, int(len(per_iter) * 0.95))]
        out[full_id] = (median, p95)
    return out


def fmt(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def order(full_id):
    groups = ["parse", "resolve", "complete", "ask", "load"]
    names = ["prefix", "question", "exact", "alias", "typo", "did_you_mean", "prefix3",
             "prefix_text", "question_text", "about_text", "person_text", "prefix_embed"]
    sizes = ["bundled", "1k", "10k", "100k"]
    parts = full_id.split("/")
    g = groups.index(parts[0]) if parts[0] in groups else len(groups)
    name = parts[1] if len(parts) > 2 or parts[-1] not in sizes else ""
    n = names.index(name) if name in names else len(names)
    size = sizes.index(parts[-1]) if parts[-1] in sizes else -1
    return (g, n, name, size)


CASES = [
    ("parse/prefix", "parse a prefix command"),
    ("parse/question", "parse a plain question"),
    ("resolve/exact", "resolve a name exactly"),
    ("resolve/alias", "resolve an alias"),
    ("resolve/typo", "resolve a typo"),
    ("resolve/did_you_mean", "did you mean (unknown name)"),
    ("complete/prefix3", "autocomplete a 3-letter prefix (25 choices)"),
    ("ask/prefix_text", "whole ask, text: `!stars <council>`"),
    ("ask/question_text", "whole ask, text: \"Who runs social services in <council>?\""),
    ("ask/about_text", "whole ask, text: `!about <council>`"),
    ("ask/person_text", "whole ask, text: `!person <name>`"),
    ("ask/prefix_embed", "whole ask, Discord embeds: `!stars <council>`"),
    ("load", "load and validate (text in memory)"),
]


def grid(results):
    sizes = ["bundled", "1k", "10k", "100k"]
    print("| case | " + " | ".join(sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for case, words in CASES:
        cells = []
        for size in sizes:
            r = results.get(f"{case}/{size}") or (results.get(case) if size == "bundled" else None)
            cells.append(f"{fmt(r[0])} ({fmt(r[1])})" if r else "")
        print(f"| {words} | " + " | ".join(cells) + " |")
    r = results.get("load/100k-entities")
    if r:
        print(f"\nload and validate 100,000 entities (14,700 councils): {fmt(r[0])} (p95 {fmt(r[1])})")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--grid":
        grid(load(sys.argv[2] if len(sys.argv) > 2 else "target/criterion"))
        return
    after = load(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
    before = load(sys.argv[2]) if len(sys.argv) > 2 else {}
    if before:
        print("| benchmark | before (median) | after (median) | after p95 | speed-up |")
        print("|---|---:|---:|---:|---:|")
    else:
        print("| benchmark | median | p95 |")
        print("|---|---:|---:|")
    for full_id in sorted(after, key=order):
        median, p95 = after[full_id]
        if before:
            b = before.get(full_id)
            was = fmt(b[0]) if b else "–"
            ratio = f"{b[0] / median:.1f}×" if b else "–"
            print(f"| `{full_id}` | {was} | {fmt(median)} | {fmt(p95)} | {ratio} |")
        else:
            print(f"| `{full_id}` | {fmt(median)} | {fmt(p95)} |")


if __name__ == "__main__":
    main()
