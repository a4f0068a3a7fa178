"""The suite's outputs from its rows: the stdout table, the chart (matplotlib, no display) and
docs/benchmarks.md, whose floor explanations are the benchmark files' own docstrings."""
import os
import sys

_COLUMNS = "%-44s %12s %-9s %12s  %-30s %7s  %s"


def _number(value):
    return "%.4g" % value


def header():
    return _COLUMNS % ("what", "rtdl", "unit", "floor", "floor is", "ratio", "target")


def _target(row):
    if row["target"] is None and row["meets"] is None:
        return ""
    mark = "met" if row["meets"] else "UNMET"
    if row["target"] is None:
        return mark
    return "<= %.2f %s" % (row["target"], mark)


def line(row):
    return _COLUMNS % (row["title"], _number(row["value"]), row["unit"], _number(row["floor"]),
                       row["floor_title"], "%.2f" % row["ratio"], _target(row))


def chart(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot
    figure, axes = pyplot.subplots(figsize=(9, 0.45 * len(rows) + 1.5))
    labels = [r["title"] for r in rows][::-1]
    ratios = [r["ratio"] for r in rows][::-1]
    colours = [("#c0392b" if r["meets"] is False else "#2e86c1") for r in rows][::-1]
    axes.barh(labels, ratios, color=colours)
    axes.axvline(1.0, color="black", linewidth=0.8)
    for y, r in enumerate(rows[::-1]):
        if r["target"] is not None:
            axes.plot([r["target"]] * 2, [y - 0.4, y + 0.4], color="black", linestyle="--")
    axes.set_xscale("log")
    axes.set_xlabel("cost relative to the floor measured in the same run (log; 1 = floor, "
                    "dashed = target, red = target unmet)")
    axes.tick_params(axis="y", labelsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    pyplot.close(figure)


def write_docs(results, path, chart_path):
    rows = results["results"]
    facts = results["machine"]
    out = ["# Benchmarks", "",
           "Written by `make bench` (benchmarks/run.py) on %s: %s, %d cores, Python %s, "
           "unicorn %s." % (facts["date"], facts["cpu"], facts["cores"], facts["python"],
                            facts["unicorn"]),
           "Every figure is a ratio against a floor measured in the same run, so that a busy "
           "or slow machine moves both sides together. Ratio = rtdl's cost / the floor's cost "
           "(time over time, or the floor's rate over rtdl's): 1 is the floor, below 1 is "
           "faster than it. Each measurement is the best of %d runs. Whole processes run "
           "with Python's bytecode cache on (kept in the run's scratch folder, after one "
           "untimed run), as an installed tool runs, even where the environment sets "
           "PYTHONDONTWRITEBYTECODE." % results["runs"],
           "", "| what | rtdl | floor | floor is | ratio | target |", "|---|---|---|---|---|---|"]
    for r in rows:
        out.append("| %s | %s %s | %s %s | %s | %.2f | %s |"
                   % (r["title"], _number(r["value"]), r["unit"], _number(r["floor"]),
                      r["unit"], r["floor_title"], r["ratio"], _target(r)))
    out += ["", "![ratios](%s)" % chart_path, "",
            "(The chart is drawn by `make bench` and not kept in git: it is a build output.)",
            "", "## What each floor is", ""]
    seen = set()
    here = os.path.dirname(os.path.abspath(__file__))
    for r in rows:
        module = sys.modules.get("bench_" + r["key"].split("_")[0])
        if module is None or module.__name__ in seen:
            continue
        seen.add(module.__name__)
        doc = " ".join((module.__doc__ or "").split())
        out += ["- **%s** (`benchmarks/%s.py`): %s" % (r["key"].split("_")[0],
                                                       module.__name__, doc)]
    out += ["", "The bare floors run on `benchmarks/bare_run.py`: " +
            " ".join(_docstring(os.path.join(here, "bare_run.py")).split()[ :200]), ""]
    with open(path, "w") as stream:
        stream.write("\n".join(out))


def _docstring(path):
    import ast
    with open(path) as stream:
        return ast.get_docstring(ast.parse(stream.read())) or ""
