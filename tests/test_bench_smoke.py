"""The benchmark suite runs end to end in its tiny mode and writes what `make bench` promises:
results.json in its schema, a PNG chart and the Markdown page. No timing is asserted."""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYS = {"startup", "compute", "kcall", "switch", "load", "symbols", "heap", "heap_strict",
        "verify_latency", "verify_1core", "verify_cores", "coremark", "micropython",
        "micropython_hello", "micropython_dlopen", "heldlib"}


def test_suite_writes_table_json_chart_and_docs(tmp_path):
    docs = tmp_path / "benchmarks.md"
    result = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "run.py"),
                             "--tiny", "--out", str(tmp_path), "--docs", str(docs)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            timeout=900)
    assert result.returncode == 0, result.stderr.decode()
    table = result.stdout.decode()
    assert table.splitlines()[0].split()[:3] == ["what", "rtdl", "unit"]
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["format"] == "rtdl-bench" and results["tiny"] is True
    for field in ("cpu", "cores", "python", "unicorn", "date", "system"):
        assert results["machine"][field], field
    rows = results["results"]
    assert {r["key"] for r in rows} == KEYS
    for r in rows:
        assert set(r) == {"key", "title", "value", "unit", "floor", "floor_title", "ratio",
                          "target", "meets"}
        assert r["value"] > 0 and r["floor"] > 0 and r["ratio"] > 0, r
        assert r["meets"] in (True, False, None)
        assert r["title"] in table
    assert (tmp_path / "results.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = docs.read_text()
    assert page.count("\n| ") == len(rows) + 1
    assert "bare_run.py" in page and "![ratios](results.png)" in page
