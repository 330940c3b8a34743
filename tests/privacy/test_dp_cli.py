"""`cloister privacy-noise` (the debug build from `make test`) against dp_reference.py, an independent
implementation of docs/privacy.md: the same keyed draws, the same calibration, the same output bytes."""

import math
import os
import random
import subprocess
from decimal import Context, Decimal, localcontext
from pathlib import Path

import pytest
from eth_abi import decode, encode
from eth_hash.auto import keccak

import dp_reference as ref

REPO = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("CLOISTER_BIN", str(REPO / ".build/debug/cloister"))
KEY = bytes(range(32))
REQUEST = bytes([0x11]) * 32
INPUT = bytes([0x22]) * 32


def cli(tmp_path, output: bytes, task: str, mechanism: str, epsilon_micros: int, sensitivity: int,
        request_id: bytes, delta_exponent=None, key: bytes = KEY, input_hash: bytes = INPUT, check=True):
    key_file = tmp_path / "model.key"
    key_file.write_text(key.hex())
    arguments = [BINARY, "privacy-noise", "--task", task, "--output", "0x" + output.hex(), "--mechanism", mechanism,
                 "--epsilon-micros", str(epsilon_micros), "--sensitivity", str(sensitivity),
                 "--request-id", "0x" + request_id.hex(), "--input-hash", "0x" + input_hash.hex(),
                 "--key-file", str(key_file)]
    if delta_exponent is not None:
        arguments += ["--delta-exponent", str(delta_exponent)]
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def embedding(values):
    return encode(["bytes"], [bytes(v & 0xFF for v in values)])


def similarity(score):
    return encode(["int256"], [score])


def classification(best, scores):
    return encode(["uint256", "int256[]"], [best, scores])


def test_known_answers_match_the_swift_tests():
    """The values pinned in Tests/EnclaveTests/PrivateReleaseTests.swift, recomputed from the specification."""
    laplace = ref.calibration("laplace", 500_000, 3)
    gaussian = ref.calibration("gaussian", 500_000, 3, 9)
    zeros = classification(0, [0] * 10)
    assert decode(["uint256", "int256[]"], ref.release(zeros, "classify", KEY, REQUEST, INPUT, laplace)) == (
        0, (5, -8, 0, 2, -10, -20, -3, -6, 1, 1))
    assert decode(["uint256", "int256[]"], ref.release(zeros, "classify", KEY, REQUEST, INPUT, gaussian)) == (
        1, (-2, 49, -84, 20, -46, 7, 33, -12, 36, 13))
    outputs = [(embedding([(i * 37) % 255 - 127 for i in range(384)]), "embed"), (similarity(123_456), "similarity"),
               (classification(1, [-250_000, 999_990, 999_999]), "classify")]
    hashes = {name: ["0x" + keccak(ref.release(o, t, KEY, REQUEST, INPUT, cal)).hex() for o, t in outputs]
              for name, cal in (("laplace", laplace), ("gaussian", gaussian))}
    assert hashes == {
        "laplace": ["0x7e6c48a7f59afe6728002804aa49a239d6499d7f512dd21b3b80e0d356095a2b",
                    "0xe4cf31eeecccd8eb81a62479815f04a50a1947adeaff277f2a084f2846238b7d",
                    "0x71095d2c44aed30c8bb9ab74d958b2b0258edc406852c2f8e874c33404c5865d"],
        "gaussian": ["0xbd6e07ace1ec8224a8f4d5c60a2bf266e91da085033f78cbf12b5e32fa3e6b2c",
                     "0x717b5733bb28cb68fdede67e2844703427eef866928af58d68a09262592d5c4f",
                     "0xbd55dd3611ed99bb553b902d85fc789f48e8e27edb8caa3f52b0a2aa4fee7efd"],
    }


def cases():
    """Seeded: every task and mechanism, sensitivities and ε from the edges of the ranges to the middle."""
    generator = random.Random(18)
    for index in range(24):
        task = ["embed", "similarity", "classify"][index % 3]
        mechanism = "laplace" if index % 2 == 0 else "gaussian"
        epsilon = generator.choice([1_000, 250_000, 1_000_000, 3_000_000, 50_000_000])
        sensitivity = generator.choice([1, 2, 254, 2_000_000, 1 << 27])
        delta = generator.choice([1, 6, 9, 40]) if mechanism == "gaussian" else None
        if task == "embed":
            output = embedding([generator.randint(-127, 127) for _ in range(384)])
        elif task == "similarity":
            output = similarity(generator.randint(-1_000_000, 1_000_000))
        else:
            scores = [generator.randint(-1_000_000, 1_000_000) for _ in range(generator.randint(1, 64))]
            output = classification(scores.index(max(scores)), scores)
        yield pytest.param(task, mechanism, epsilon, sensitivity, delta, output, generator.randbytes(32), generator.randbytes(32),
                           id=f"{index}-{task}-{mechanism}-e{epsilon}-s{sensitivity}-d{delta}")


@pytest.mark.parametrize("task,mechanism,epsilon,sensitivity,delta,output,request_id,input_hash", list(cases()))
def test_cli_release_equals_the_reference(tmp_path, task, mechanism, epsilon, sensitivity, delta, output, request_id, input_hash):
    result = cli(tmp_path, output, task, mechanism, epsilon, sensitivity, request_id, delta, input_hash=input_hash)
    expected = ref.release(output, task, KEY, request_id, input_hash, ref.calibration(mechanism, epsilon, sensitivity, delta or 0))
    assert result.stdout.strip() == (
        '{"output":"0x%s","output_hash":"0x%s"}' % (expected.hex(), keccak(expected).hex()))


def test_cli_refuses_a_bad_policy_without_printing_the_key(tmp_path):
    secret = bytes([0xA7] * 32)
    result = cli(tmp_path, similarity(5), "similarity", "laplace", 999, 1, REQUEST, key=secret, check=False)
    assert result.returncode != 0
    assert "epsilon_micros 999 is outside 1000...50000000" in result.stderr
    assert secret.hex() not in result.stdout + result.stderr
    result = cli(tmp_path, similarity(5), "similarity", "gaussian", 1_000_000, 1, REQUEST, delta_exponent=41, check=False)
    assert result.returncode != 0 and "delta exponent 41 is outside 1...40" in result.stderr


@pytest.mark.parametrize("epsilon,sensitivity,exponent", [
    (1_000, 1 << 27, 40), (1_000_000, 1, 5), (500_000, 3, 9), (50_000_000, 1, 1), (1_234_567, 7, 5), (3_000_000, 2_000_000, 6)])
def test_gaussian_calibration_only_rounds_the_variance_up(epsilon, sensitivity, exponent):
    """σ² = Δ²/2r², r = ε/(√L + √(L+ε)), L = ln 10^k, computed with 60 digits: the integer calibration is
    never below it and within 0.1% of it (the 2⁻¹⁶ grid of σ² is the only coarse step)."""
    with localcontext(Context(prec=60)):  # its own context: vyper's plugin guards the global one
        _, a, b = ref.calibration("gaussian", epsilon, sensitivity, exponent)
        eps = Decimal(epsilon) / Decimal(10**6)
        log = Decimal(exponent) * Decimal(10).ln()
        r = eps / (log.sqrt() + (log + eps).sqrt())
        exact = Decimal(sensitivity) ** 2 / (2 * r * r)
        assert Decimal(a) / Decimal(b) >= exact
        assert (Decimal(a) / Decimal(b) - exact) / exact < Decimal("0.001")
        # And the guarantee it was solved for: ρ + 2√(ρL) ≤ ε with ρ = Δ²/2σ².
        rho = Decimal(sensitivity) ** 2 * Decimal(b) / (2 * Decimal(a))
        assert rho + 2 * (rho * log).sqrt() <= eps


def test_chi_square_critical_value():
    """The Swift distribution tests' critical value: P(χ²₂₆ > 61.6573) = 1e-4 (even degrees of freedom
    have the closed form e^(−x/2) Σ_{i<13} (x/2)^i / i!)."""
    half = 61.6573 / 2
    survival = math.exp(-half) * sum(half**i / math.factorial(i) for i in range(13))
    assert abs(survival - 1e-4) < 2e-9


def test_reference_laplace_and_gaussian_fit_their_distributions():
    """The reference sampler, over 20,000 draws of one stream per draw, against the exact probabilities (a
    check of the Python side itself, so that agreement with Swift means agreement with the mechanism)."""
    import numpy as np

    key = ref.request_key(b"\x01" * 32, "embed", b"\x02" * 32, b"\x03" * 32)
    for cal, probability in (
        (ref.calibration("laplace", 1_000_000, 4), lambda z: (1 - math.exp(-0.25)) / (1 + math.exp(-0.25)) * math.exp(-0.25 * abs(z))),
        (ref.calibration("gaussian", 1_000_000, 1, 5), None),
    ):
        draws = np.array([ref.noise(cal, ref.Stream(key, c)) for c in range(20_000)])
        if probability is None:
            sigma2 = cal[1] / cal[2]
            norm = sum(math.exp(-k * k / (2 * sigma2)) for k in range(-2000, 2001))
            probability = lambda z, s=sigma2, n=norm: math.exp(-z * z / (2 * s)) / n
        inner = np.array([probability(z) for z in range(-12, 13)])
        expected = np.concatenate([[(1 - inner.sum()) / 2], inner, [(1 - inner.sum()) / 2]]) * len(draws)
        observed = np.bincount(np.clip(draws, -13, 13) + 13, minlength=27)
        statistic = float(((observed - expected) ** 2 / expected).sum())
        assert statistic < 61.6573, (cal, statistic)
