# Containment of faulty modules (issue 10):
#   make test-long             the long suites: the soak test (thousands of load/exec
#                              cycles with flat host memory; RTDL_SOAK_CYCLES, default 6000)
#   make fuzz-services         property-based fuzzing of service arguments for longer
#                              (RTDL_FUZZ_EXAMPLES, default 3000, fresh random examples);
#                              `make fuzz` runs it next to the ELF fuzzer
.PHONY: test-long fuzz-services

FUZZ_EXAMPLES ?= 3000

test-long: firmware
	RTDL_LONG=1 RTDL_FIRMWARE=$(abspath $(FIRMWARE)) $(PY) -m pytest -q tests/test_containment_soak.py

fuzz-services: firmware
	RTDL_FUZZ_RANDOM=1 RTDL_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) RTDL_FIRMWARE=$(abspath $(FIRMWARE)) \
	  $(PY) -m pytest -q tests/test_containment_fuzz.py

fuzz: fuzz-services
