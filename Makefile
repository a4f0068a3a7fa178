# rtdl: build, run and test RT-Thread dynamic modules on an emulated Cortex-M.
# `make run` and `make test` do all set-up on a fresh Debian machine (as root).

VENV      := .venv
PY        := $(VENV)/bin/python
RTDL      := $(VENV)/bin/rtdl
BUILD     := build
FIRMWARE  := $(BUILD)/firmware/firmware.elf
STAMP     := $(VENV)/.setup-done

.PHONY: setup firmware run test mpy-test frozen fuzz bench clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@command -v arm-none-eabi-gcc >/dev/null && test -d /usr/lib/arm-none-eabi/newlib || { \
	  apt-get update && apt-get install -y --no-install-recommends gcc-arm-none-eabi libnewlib-arm-none-eabi; }
	@command -v cmake >/dev/null || { \
	  apt-get update && apt-get install -y --no-install-recommends cmake; }
	@command -v node >/dev/null && command -v npm >/dev/null || { \
	  apt-get update && apt-get install -y --no-install-recommends nodejs npm; }
	@command -v sb >/dev/null || { \
	  apt-get update && apt-get install -y --no-install-recommends lrzsz; }
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $@

# EXPORTS=build/a.mo ...: a firmware exporting only what those modules import.
firmware: $(STAMP) $(EXPORTS)
	$(MAKE) -C firmware_stub BUILD=$(abspath $(BUILD)/firmware) PYTHON=$(abspath $(PY)) \
	  EXPORTS="$(abspath $(EXPORTS))"

$(BUILD)/hello.mo: tests/modules/hello.c $(STAMP)
	$(RTDL) build $< -o $@

run: firmware $(BUILD)/hello.mo
	$(RTDL) run $(BUILD)/hello.mo

test: firmware mpy-test
	RTDL_FIRMWARE=$(abspath $(FIRMWARE)) RTDL_PORTABLE_DATA=$(abspath $(PORTABLE_DATA)) $(PY) -m pytest -q tests

-include mk/*.mk

clean:
	rm -rf $(BUILD)
