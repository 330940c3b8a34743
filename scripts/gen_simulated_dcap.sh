#!/usr/bin/env bash
# Writes fixtures/dcap/simulated/: a TDX v4 quote from the simulated TDX provider, its QuoteCollateralV3
# collateral (valid 2026-01-01 to 2026-01-31) and the simulation root CA. The Swift tests verify it under
# that root; tests/attestation checks that dcap-qvl (an independent verifier on PyPI) accepts it too.
# Keys and certificates follow the seed; ECDSA signatures are randomised, so reruns change signature bytes.
#
# Usage: scripts/gen_simulated_dcap.sh   (CLOISTER=path/to/cloister to use a built binary)
set -euo pipefail
cd "$(dirname "$0")/.."
CLOISTER=${CLOISTER:-"swift run --scratch-path .build cloister"}
# REPORTDATA: signer address 0x1111…11, keccak256(extData) 0x2222…22, 12 zero bytes.
REPORT_DATA="$(printf '11%.0s' {1..20})$(printf '22%.0s' {1..32})$(printf '00%.0s' {1..12})"
$CLOISTER attest simulate \
  --seed "cloister simulated TDX fixture" \
  --chain-id 31337 \
  --acknowledge "simulated attestation proves nothing" \
  --report-data "$REPORT_DATA" \
  --issued 2026-01-01T00:00:00Z \
  --out fixtures/dcap/simulated
