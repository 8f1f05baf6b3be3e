#!/usr/bin/env python3
"""Sweep the verdict thresholds of rules/scoring.toml on annotated drafts.

The pair weights are fitted by fit.py on labelled candidate pairs; the
thresholds that turn scores into a verdict (t_support, t_conflict, t_named,
...) act on whole drafts, so they are measured the way users meet them: the
shared scorer's recall, precision and right-code over a set of annotated
drafts. Each setting is written to a workspace rule file that overrides the
embedded one, the checker is run on the fit drafts and on the held-out
drafts, and one line per setting is printed.

Usage (from the repository root):
  python3 dev/fit/thresholds.py --bin target/release/copydesk \
      --scorer ../shared/eval/score.py --fit dev/eval --holdout ../shared/eval/dev \
      --exclude health-waiting,transport-airport,science-trial \
      --grid t_conflict=0.40,0.45,0.50 --grid t_named=0.15,0.2,0.25

Each --grid is swept one at a time around the committed values (a coordinate
sweep, not a full product: the set is small and every run checks every draft).
The score of a setting is recall + precision + right-code on the fit drafts;
the held-out figures are printed beside it, never used to choose.
"""
import argparse
import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile

SUMMARY = re.compile(r"recall ([\d.]+) \((\d+)/(\d+)\) precision ([\d.]+) \((\d+)/(\d+)\) right-code ([\d.]+)")


def scored_dir(src, exclude, tmp):
    """A folder of links to `src`'s drafts without the excluded ones."""
    if not exclude:
        return src
    # Beside `src`, so that the drafts' relative corpus paths still resolve.
    out = tempfile.mkdtemp(dir=os.path.dirname(os.path.abspath(src)), prefix=".fit-")
    atexit.register(shutil.rmtree, out, True)
    for name in os.listdir(src):
        stem = name.split(".")[0]
        if stem in exclude:
            continue
        os.symlink(os.path.abspath(os.path.join(src, name)), os.path.join(out, name))
    return out


def run(args, overrides, tmp):
    rules = os.path.join(tmp, "scoring.toml")
    with open(rules, "w") as f:
        f.write("[scoring]\n")
        for k, v in overrides.items():
            f.write(f"{k} = {v}\n")
    config = os.path.join(tmp, "copydesk.toml")
    with open(config, "w") as f:
        f.write(f'[rules]\npaths = ["{rules}"]\n')
    cmd = f"{args.bin} check --config {config} --allow-outside-paths"
    figures = {}
    for label, d in (("fit", args.fit_dir), ("holdout", args.holdout)):
        env = dict(os.environ, COPYDESK_CACHE_DIR=tempfile.mkdtemp(dir=tmp))
        out = subprocess.run(
            [sys.executable, args.scorer, "--cmd", cmd, "--tiers", "core,hard", d],
            capture_output=True, text=True, env=env,
        ).stdout
        m = SUMMARY.search(out.strip().splitlines()[-1] if out.strip() else "")
        if not m:
            sys.exit(f"no summary from the scorer on {d}:\n{out[-2000:]}")
        # From the counts: the scorer rounds its ratios to two places.
        figures[label] = (int(m.group(2)) / int(m.group(3)), int(m.group(5)) / int(m.group(6)), float(m.group(7)))
    return figures


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--scorer", required=True)
    p.add_argument("--fit", required=True)
    p.add_argument("--holdout", required=True)
    p.add_argument("--exclude", default="")
    p.add_argument("--grid", action="append", default=[])
    args = p.parse_args()
    tmp = tempfile.mkdtemp(prefix="copydesk-thresholds-")
    args.fit_dir = scored_dir(args.fit, set(filter(None, args.exclude.split(","))), tmp)
    fmt = lambda f: "{:.3f}/{:.3f}/{:.3f}".format(*f)
    base = run(args, {}, tmp)
    print(f"committed            fit {fmt(base['fit'])} (sum {sum(base['fit']):.3f})  holdout {fmt(base['holdout'])}", flush=True)
    for g in args.grid:
        key, values = g.split("=", 1)
        for v in values.split(","):
            f = run(args, {key: v}, tmp)
            print(f"{key:>14} = {v:<5} fit {fmt(f['fit'])} (sum {sum(f['fit']):.3f})  holdout {fmt(f['holdout'])}", flush=True)


if __name__ == "__main__":
    main()
