# The two commands a newcomer needs: `make run` and `make test`.
BUILD ?= build
PORT ?= 8080
DB ?= var/tandem.db
JOBS ?= $(shell nproc)

.PHONY: all deps build run test bench clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@scripts/run-demo "$(BUILD)/src/app/tandem" "$(DB)" "$(PORT)"

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

bench: build
	@bench/run-all "$(BUILD)"

clean:
	rm -rf $(BUILD)
