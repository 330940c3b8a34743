#!/usr/bin/env bash
# Debug vs release determinism of the embedded engine: builds `cloister` both ways, runs
# `cloister infer` on the fixture sentences with each binary and compares the output hashes and the
# hashes of the float64 embedding bits. Takes a release build (minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --scratch-path .build-engine --product cloister
swift build -c release --scratch-path .build-engine-release --product cloister
.venv/bin/python scripts/compare_inference_builds.py .build-engine/debug/cloister .build-engine-release/release/cloister
