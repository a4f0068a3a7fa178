# Fuzzing the loader (included by the top Makefile).
#   make fuzz                  mutate real modules and load them on the emulated board for
#                              FUZZ_MINUTES (default 10); failing inputs and a .txt per input
#                              land in tests/fuzz-crashes/ (replay: python -m rtdl.fuzz --replay)
#   make fuzz FUZZ_SEED=N      a reproducible run (default: seeded from the clock, printed)

FUZZ_MINUTES ?= 10
FUZZ_OUT     ?= tests/fuzz-crashes

fuzz: firmware
	$(PY) -m rtdl.fuzz --minutes $(FUZZ_MINUTES) --out $(FUZZ_OUT) \
	  $(if $(FUZZ_SEED),--seed $(FUZZ_SEED))
