"""Benchmark: rendering one comment body against its size, for the worst shapes found.

Each shape is a body built by repeating a pattern up to N characters; it is
rendered with the build's renderer (plugins/handbill_comments/rendering.py,
BodyRenderer.render: email redaction, link defusing, Markdown, nh3) and
compared with a plain-prose body of the same length rendered in the same run.
Rendering time should grow linearly with size: ``growth`` is the time at the
largest size over the time at the smallest, against the size ratio.

The renderer is measured on its own, without ``bodies.body_problem`` in front
of it: the build holds most of these shapes before rendering them, and the
renderer must stay linear for whatever gets past that. The "Markdown alone"
column is Python-Markdown with the same subset but no defusing, for the shapes
it handles worst, to show what the defusing is for.

    .venv/bin/python bench/comment_render_bench.py
    .venv/bin/python bench/comment_render_bench.py --sizes 1000 2000 5000 --repeats 5
"""

import argparse
import datetime as dt
import json
import os
import platform
import time
from pathlib import Path

from handbill_comments.rendering import BodyRenderer, comment_markdown

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT_ROOT / "bench" / "results"
BASELINE = "prose"

# name: (the pattern repeated, what it stresses)
SHAPES = {
    BASELINE: ("The quick brown fox jumps over the lazy dog. ", "plain prose (the baseline)"),
    "open-brackets": ("[", "a run of [ (link searches from each one)"),
    "bracket-text": ("[x", "[ between words"),
    "empty-links": ("[](", "link text then an unclosed destination"),
    "quoted-destinations": ('[a](x"y) ', "quotes in link destinations (title searches)"),
    "links": ("[a](https://example.org/) ", "many real links"),
    "emphasis-mix": ("*_", "alternating emphasis markers"),
    "emphasis-words": ("*a", "emphasis markers between letters"),
    "backticks": ("x`", "code-span markers between letters"),
    "backslashes": ("\\", "a run of backslashes"),
    "angle-brackets": ("<", "a run of <"),
    "references": ("&#", "unfinished character references"),
    "line-breaks": ("x\n", "one paragraph of many lines"),
    "list-items": ("- a\n", "many list items"),
    "quote-lines": ("> a\n", "many quoted lines"),
    "nested-lists": ("- a\n  - b\n    - c\n      - d\n        - e\n          - f\n", "lists nested 6 deep, repeated"),
    "addresses": ("a@b.", "address-like runs (redaction)"),
}
# Shapes Python-Markdown alone handles in quadratic time; "Markdown alone" is measured for these.
UNDEFENDED = ("open-brackets", "bracket-text", "empty-links", "quoted-destinations")


def body(shape, size):
    pattern = SHAPES[shape][0]
    return (pattern * (size // len(pattern) + 1))[:size]


def markdown_alone():
    """Python-Markdown as the renderer configures it, without redaction, defusing or nh3 (the renderer before)."""
    md = comment_markdown()
    return lambda text: md.reset().convert(text)


def best_seconds(render, text, repeats):
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        render(text)
        runs.append(time.perf_counter() - started)
    return min(runs)


def measure(sizes, repeats):
    render = BodyRenderer().render
    alone = markdown_alone()
    seconds = {
        shape: {size: best_seconds(render, body(shape, size), repeats) for size in sizes} for shape in SHAPES
    }
    results = []
    for shape, (_, stresses) in SHAPES.items():
        row = {
            "shape": shape,
            "stresses": stresses,
            "ms": {size: round(seconds[shape][size] * 1000, 2) for size in sizes},
            "ratio_to_prose": {size: round(seconds[shape][size] / seconds[BASELINE][size], 1) for size in sizes},
            "growth": round(seconds[shape][sizes[-1]] / seconds[shape][sizes[0]], 1),
        }
        if shape in UNDEFENDED:
            # Once each: at 5,000 characters one run takes seconds.
            alone_seconds = {size: best_seconds(alone, body(shape, size), 1) for size in sizes}
            row["markdown_alone_ms"] = {size: round(alone_seconds[size] * 1000, 1) for size in sizes}
        results.append(row)
    return results


def write_results(results, sizes, name="comment_render"):
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "sizes": sizes,
        "linear_growth": round(sizes[-1] / sizes[0], 1),
    }
    (RESULTS / f"{name}.json").write_text(json.dumps({**meta, "results": results}, indent=2) + "\n")
    size_columns = " | ".join(f"{size:,} chars ms (× prose)" for size in sizes)
    lines = [
        f"# Comment body rendering against size ({meta['when']})",
        "",
        (
            f"Machine: {meta['machine']}. Best of the runs of BodyRenderer.render; × prose = time over a "
            f"plain-prose body of the same length, measured in the same run. Growth = time at {sizes[-1]:,} "
            f"over time at {sizes[0]:,} characters (linear: {meta['linear_growth']})."
        ),
        "",
        f"| shape | stresses | {size_columns} | growth | Markdown alone ms |",
        "|---|---|" + "---:|" * len(sizes) + "---:|---:|",
    ]
    for row in results:
        cells = " | ".join(f"{row['ms'][size]} (×{row['ratio_to_prose'][size]})" for size in sizes)
        alone = " / ".join(str(row["markdown_alone_ms"][size]) for size in sizes) if "markdown_alone_ms" in row else ""
        lines.append(f"| {row['shape']} | {row['stresses']} | {cells} | {row['growth']} | {alone} |")
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes)
    write_results(measure(sizes, args.repeats), sizes)


if __name__ == "__main__":
    main()
