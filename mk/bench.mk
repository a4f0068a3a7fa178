# Benchmarks (included by the top Makefile). They print measurements and never fail on them.
#   make bench          benchmarks/run.py: every benchmark as a ratio against a floor measured
#                       in the same run; a table on stdout, benchmarks/results.json,
#                       benchmarks/results.png and docs/benchmarks.md
#   make bench-exports  flash saved by a firmware built for given modules (EXPORTS=)

.PHONY: bench-exports

bench: firmware
	RTDL_FIRMWARE=$(abspath $(FIRMWARE)) $(PY) benchmarks/run.py

bench-exports: firmware
	$(PY) benchmarks/bench_exports.py $(FIRMWARE)
