# Benchmarks (included by the top Makefile). They print measurements and never fail on them.
#   make bench   `rtdl verify` on a typical module, interpreter start-up included, against
#                `python -c pass`; a computing module on the board against the same code on
#                a bare unicorn; flash saved by a firmware built for given modules
#                (EXPORTS=, benchmarks/README.md)

bench: firmware
	$(PY) benchmarks/bench_verify.py
	$(PY) benchmarks/bench_compute.py
	$(PY) benchmarks/bench_exports.py $(FIRMWARE)
