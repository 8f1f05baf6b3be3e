#!/usr/bin/env python3
"""Label the candidate pairs of the dev drafts and fit the same-fact weights.

    python3 dev/fit/fit.py label   # needs the corpora the drafts name, and
                                   # target/release/examples/features
    python3 dev/fit/fit.py fit [OUT]  # from dev/labels/pairs.jsonl alone; the
                                      # fitted rule file goes to OUT (default:
                                      # rules/scoring.toml itself)

`label` runs `examples/features.rs` on every annotated draft of dev/eval whose
NOTES.md entry names its evidence (source file and quoted sentence), labels
each (draft figure, candidate) pair, and writes dev/labels/pairs.jsonl.
`fit` fits a logistic regression  P(same fact) = sigmoid(b + w . x)  on the
drafts of the fit split, reports pair figures (log-loss, accuracy, AUC) on
both splits for the hand-set and the fitted weights, writes the weights into
the generated section of rules/scoring.toml and the figures into
dev/fit/figures.json (which the test suite checks the committed weights
against). Pure Python: no packages needed.
"""
import glob
import json
import math
import os
import re
import subprocess
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EVAL = os.path.join(ROOT, "dev", "eval")
PAIRS = os.path.join(ROOT, "dev", "labels", "pairs.jsonl")
FIGURES = os.path.join(ROOT, "dev", "fit", "figures.json")
SCORING = os.path.join(ROOT, "rules", "scoring.toml")
FEATURES_BIN = os.environ.get("COPYDESK_FEATURES_BIN", os.path.join(ROOT, "target", "release", "examples", "features"))

FEATURES = ["relation", "similarity", "event_clash", "name_clash", "name_nearby", "name_absent",
            "modifier_clash", "thin_date", "vague_support", "magnitude"]
# Weights stored as exponents (the rest are factors, weight = ln factor).
EXPONENTS = {"relation": "w_relation", "similarity": "w_similarity", "magnitude": "w_magnitude"}
# The held-out drafts: never used to fit. One of each corpus and genre mix.
HOLDOUT = {"lee-middle-east", "lee-test-cricket", "seeds-operation-angel"}
KINDS = {"ok", "mismatch", "contested", "unsourced"}
L2 = 1.0  # ridge penalty towards the hand-set weights (not on the intercept)


# ---------------------------------------------------------------- labelling

def norm(s):
    return " ".join(re.sub(r"[\"'“”‘’]", "", s).lower().split())


def numbers(s):
    return {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", s)}


def parse_notes():
    """{(draft, line, text): (kind, explanation, [(file, quote)])} for structured entries."""
    items, cur = {}, None
    pat = re.compile(r"^- ([\w-]+)\.md line (\d+): `([^`]*)` — \*\*([\w-]+)\*\*\.?\s*(.*)$")
    ev = re.compile(r'^  - ([\w.-]+\.txt): "(.*)"\s*$')
    for line in open(os.path.join(EVAL, "NOTES.md"), encoding="utf-8"):
        m = pat.match(line.rstrip("\n"))
        if m:
            cur = (m[1], int(m[2]), m[3])
            items[cur] = (m[4], m[5], [])
            continue
        m = ev.match(line.rstrip("\n"))
        if m and cur:
            items[cur][2].append((m[1], m[2]))
        elif not line.startswith("  "):
            cur = None
    return items


def in_quote(sentence, quote):
    a, b = norm(sentence), norm(quote)
    if a in b or b in a:
        return True
    wa = a.split()
    return len(wa) > 3 and sum(w in b.split() for w in wa) / len(wa) >= 0.7


def label(rows, kind, expl, evidence):
    """Labels (1, 0 or None) for the candidate rows of one annotated figure."""
    agrees = lambda r: r["agreement"] != "Conflict" and not r["confusable"]
    inev = [any(os.path.basename(r["source"]) == f and in_quote(r["sentence"], q) for f, q in evidence) for r in rows]
    want = numbers(expl)
    out = []
    for r, e in zip(rows, inev):
        if kind == "unsourced" or not e:
            out.append(0)
        elif agrees(r):
            out.append(1 if kind in ("ok", "contested") else 0)
        elif kind == "ok":
            out.append(0)
        elif want:
            out.append(1 if numbers(r["figure"]) & want else 0)
        else:
            # No value named: the one conflicting figure of its sentence, or unknown.
            same = [s for s, se in zip(rows, inev) if se and not agrees(s) and s["sentence"] == r["sentence"]]
            out.append(1 if len(same) == 1 else None)
    return out


def do_label():
    notes = parse_notes()
    out = []
    for exp in sorted(glob.glob(os.path.join(EVAL, "*.expect.toml"))):
        draft = os.path.basename(exp)[: -len(".expect.toml")]
        ann = tomllib.load(open(exp, "rb"))
        items = [i for i in ann.get("item", []) if (draft, i["line"], i["text"]) in notes]
        if not items:
            continue
        corpus = os.path.normpath(os.path.join(os.path.dirname(exp), ann["corpus"]))
        md = os.path.join(EVAL, draft + ".md")
        res = subprocess.run([FEATURES_BIN, corpus, md], capture_output=True, text=True, check=True)
        rows = [json.loads(l) for l in res.stdout.splitlines()]
        for it in items:
            kind, expl, evidence = notes[(draft, it["line"], it["text"])]
            if kind not in KINDS:
                continue
            mine = [r for r in rows if r["line"] == it["line"] and (r["text"] in it["text"] or it["text"] in r["text"])]
            for r, y in zip(mine, label(mine, kind, expl, evidence)):
                if y is None:
                    continue
                out.append({
                    "draft": draft,
                    "split": "holdout" if draft in HOLDOUT else "fit",
                    "line": r["line"],
                    "text": r["text"],
                    "kind": kind,
                    "source": os.path.basename(r["source"]),
                    "figure": r["figure"],
                    "agreement": r["agreement"],
                    "label": y,
                    "x": [r["features"][f] for f in FEATURES],
                })
    with open(PAIRS, "w", encoding="utf-8") as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    pos = sum(o["label"] for o in out)
    print(f"{len(out)} pairs ({pos} same fact) from {len({o['draft'] for o in out})} drafts -> {PAIRS}")


# ---------------------------------------------------------------- fitting

def sigmoid(z):
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def solve(a, b):
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[c][c] != 0:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


def newton(data, w0, free, steps=30):
    """Minimises the log-loss over the parameters `free` (indices into
    [b, w...]; the others stay at w0), with a ridge penalty pulling each weight
    towards its hand-set value in w0: a feature the labelled pairs rarely show
    keeps its hand-set weight."""
    theta = list(w0)
    for _ in range(steps):
        g = [0.0] * len(theta)
        h = [[0.0] * len(theta) for _ in theta]
        for x, y in data:
            v = [1.0] + x
            p = sigmoid(sum(t * xi for t, xi in zip(theta, v)))
            for i in free:
                g[i] += (p - y) * v[i]
                for j in free:
                    h[i][j] += p * (1 - p) * v[i] * v[j]
        for i in free:
            if i > 0:
                g[i] += L2 * (theta[i] - w0[i])
                h[i][i] += L2
        idx = list(free)
        step = solve([[h[i][j] + (1e-9 if i == j else 0) for j in idx] for i in idx], [g[i] for i in idx])
        for k, i in enumerate(idx):
            theta[i] -= step[k]
        if max(abs(s) for s in step) < 1e-9:
            break
    return theta


def figures(data, theta):
    """Pair figures of the model [b, w...] on labelled pairs."""
    ps = [(sigmoid(sum(t * xi for t, xi in zip(theta, [1.0] + x))), y) for x, y in data]
    eps = 1e-12
    loss = -sum(y * math.log(max(p, eps)) + (1 - y) * math.log(max(1 - p, eps)) for p, y in ps) / len(ps)
    acc = sum((p >= 0.5) == (y == 1) for p, y in ps) / len(ps)
    pos = sorted(p for p, y in ps if y == 1)
    neg = sorted(p for p, y in ps if y == 0)
    # AUC: the chance a same-fact pair outscores another, ties half.
    wins, j, k = 0.0, 0, 0
    for p in pos:
        while j < len(neg) and neg[j] < p:
            j += 1
        k = j
        while k < len(neg) and neg[k] == p:
            k += 1
        wins += j + (k - j) / 2
    auc = wins / (len(pos) * len(neg)) if pos and neg else float("nan")
    return {"pairs": len(ps), "same": len(pos), "log_loss": round(loss, 4), "accuracy": round(acc, 4), "auc": round(auc, 4)}


def hand_weights():
    s = tomllib.load(open(SCORING, "rb"))["scoring"]
    return s, [s[EXPONENTS[f]] if f in EXPONENTS else math.log(s[f]) for f in FEATURES]


def write_scoring(weights, bias, figs, target):
    text = open(SCORING, encoding="utf-8").read()
    begin, end = "# >>> generated by dev/fit/fit.py", "# <<< generated"
    lines = [begin + " (do not edit by hand: refit instead)",
             "# Logistic fit of P(same fact) = sigmoid(b + w . x) on dev/labels/pairs.jsonl;",
             "# bias = b - b_hand keeps the thresholds above at their hand-set probability."]
    for split in ("fit", "holdout"):
        h, f = figs["hand"][split], figs["fitted"][split]
        lines.append(f"# {split:7} {f['pairs']} pairs: AUC {h['auc']} -> {f['auc']}, accuracy {h['accuracy']} -> "
                     f"{f['accuracy']}, log-loss {h['log_loss']} -> {f['log_loss']}")
    for f, w in zip(FEATURES, weights):
        key, val = (EXPONENTS[f], w) if f in EXPONENTS else (f, math.exp(w))
        lines.append(f"{key} = {val:.6g}")
    lines.append(f"bias = {bias:.6g}")
    lines.append(end)
    block = "\n".join(lines) + "\n"
    if begin in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end) + 1:]
    else:
        # First fit: the fitted keys move from the hand-set table into the block.
        keys = {EXPONENTS.get(f, f) for f in FEATURES} | {"bias"}
        kept = [l for l in text.splitlines() if l.split("=")[0].strip() not in keys]
        text = "\n".join(kept).rstrip("\n") + "\n" + block
    open(target, "w", encoding="utf-8").write(text)


def do_fit():
    rows = [json.loads(l) for l in open(PAIRS, encoding="utf-8")]
    data = {s: [(r["x"], r["label"]) for r in rows if r["split"] == s] for s in ("fit", "holdout")}
    _, hw = hand_weights()
    n = len(FEATURES) + 1
    hand = newton(data["fit"], [0.0] + hw, [0])  # the intercept only
    fitted = newton(data["fit"], hand, range(n))
    figs = {
        "hand": {s: figures(d, hand) for s, d in data.items()},
        "fitted": {s: figures(d, fitted) for s, d in data.items()},
        "drafts": {s: sorted({r["draft"] for r in rows if r["split"] == s}) for s in data},
    }
    for m in ("hand", "fitted"):
        for s in ("fit", "holdout"):
            print(f"{m:6} {s:7} {figs[m][s]}")
    print("weights:", {f: round(w, 4) for f, w in zip(FEATURES, fitted[1:])}, "b", round(fitted[0], 4), "b_hand", round(hand[0], 4))
    bias = fitted[0] - hand[0]
    target = sys.argv[2] if len(sys.argv) > 2 else SCORING
    write_scoring(fitted[1:], bias, figs, target)
    # What the committed weights must reproduce (as the score reads them).
    _, cw = hand_weights()
    s = tomllib.load(open(SCORING, "rb"))["scoring"]
    figs["committed"] = {sp: figures(d, [s["bias"] + hand[0]] + cw) for sp, d in data.items()}
    figs["b_hand"] = hand[0]
    json.dump(figs, open(FIGURES, "w"), indent=1)
    print("wrote", target, "and", FIGURES, "(committed: the weights of", SCORING + ")")


if __name__ == "__main__":
    {"label": do_label, "fit": do_fit}[sys.argv[1] if len(sys.argv) > 1 else "fit"]()
