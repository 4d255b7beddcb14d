# The two commands of the quickstart: `make demo` and `make test`.
# Each creates/updates .venv, installs what it needs, and runs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEBS := gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc cmake chromium postgresql
# CI (CI=true) runs every test, slow ones included; locally `make test` skips the slow ones.
PYTEST_MARK := $(if $(filter true,$(CI)),,-m "not slow")

.PHONY: demo fleet-demo test test-all lint toolchain bench fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[train,reference,wfdb,classical,dev,onnx,torch,fleet,postgres,search,scale,lightgbm]'
	touch $(STAMP)

# Debian's Cortex-M and RISC-V toolchains and emulators; installed with apt when we are root.
toolchain:
	@if dpkg -s $(DEBS) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "installing $(DEBS)"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBS) >/dev/null; \
	else echo "note: Cortex-M tests need: sudo apt-get install $(DEBS)"; fi

demo: $(STAMP) toolchain
	$(BIN)/microforge demo --out build/demo

# The fleet monitor end to end (docs/monitoring.md, "Fleet simulator"): a fleet server on
# FLEET_PORT and a simulated fleet of real HAR devices, half of them drifting (one on an
# emulated Cortex-M4 when QEMU is there); the server stays up for the dashboard until Ctrl-C.
FLEET_DB ?= sqlite:///build/fleet/demo.db
FLEET_PORT ?= 8765
FLEET_DEVICES ?= 12
FLEET_SECONDS ?= 90
fleet-demo: $(STAMP)
	@mkdir -p build/fleet
	@TOKEN=$$($(BIN)/microforge fleet token --db $(FLEET_DB) --label fleet-demo) || exit 2; \
	$(BIN)/microforge fleet serve --db $(FLEET_DB) --port $(FLEET_PORT) & SERVER=$$!; \
	trap 'kill $$SERVER 2>/dev/null' EXIT INT TERM; \
	MICROFORGE_FLEET_TOKEN=$$TOKEN $(BIN)/microforge fleet simulate \
	  --server http://127.0.0.1:$(FLEET_PORT) --devices $(FLEET_DEVICES) \
	  --duration $(FLEET_SECONDS) --scenario mixed --wait-server 60 \
	  $(if $(shell command -v qemu-system-arm),--qemu-device) || exit 2; \
	echo "dashboard: http://127.0.0.1:$(FLEET_PORT)/  (sign in with $$TOKEN); Ctrl-C stops"; \
	wait $$SERVER

test: $(STAMP) toolchain
	$(BIN)/python -m pytest -n 2 --durations=25 $(PYTEST_MARK)

test-all: $(STAMP) toolchain
	$(BIN)/python -m pytest -n 2 --durations=25

# Structure-aware fuzzing of the compiler (tests/fuzz): COUNT mutants of the shared models from
# SEED, every SANITIZE-th compiled one run under ASan/UBSan; findings are printed with the
# (seed, index) that reproduces them. CI runs a 2,000-mutant subset (tests/fuzz, slow).
COUNT ?= 10000
SEED ?= 1
SANITIZE ?= 1
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz.run --count $(COUNT) --seed $(SEED) --workers 2 --sanitize-every $(SANITIZE)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

# Measured figures for docs/benchmarks.md (not run by the tests; they never assert timings).
# About 1.5 h in all on 2 cores; each line can be run alone (see docs/benchmarks.md).
bench: $(STAMP) toolchain
	$(BIN)/python -m bench.compiler --write-docs
	$(BIN)/python -m bench.mcu --write-docs
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python -m bench.emlearn --write-docs
	$(BIN)/python -m bench.dsp --write-docs
	$(BIN)/python -m bench.har_seeds --seeds 0 1 2
	$(BIN)/python -m bench.qat --seeds 0 1 2 --write-docs
	$(BIN)/python -m bench.prune_distill --epochs 25 --finetune-epochs 25 --student-epochs 12 --finetune-lr 0.002 --prune-distill-alpha 0.5
	$(BIN)/python -m bench.optimize_examples run har --epochs 15 --finetune-epochs 4
	$(BIN)/python -m bench.optimize_examples run speech --epochs 40 --finetune-epochs 10
	$(BIN)/python -m bench.optimize_examples doc

clean:
	rm -rf build $(VENV)
