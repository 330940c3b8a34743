"""Cross-checks the attestation fixtures with dcap-qvl (Phala's DCAP verifier, Rust, on PyPI), a verifier
we did not write: the real Intel quotes give the verdicts fixtures/dcap/README.md documents, and the
simulated TDX quote written by our Swift code (scripts/gen_simulated_dcap.sh) is accepted under the
simulation root and refused under Intel's."""
import calendar
import json
import pathlib
import time

import dcap_qvl
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

DCAP = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "dcap"
SIMULATED = DCAP / "simulated"


def at(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


def collateral(path):
    return dcap_qvl.QuoteCollateralV3.from_json(path.read_text())


def simulation_root_der():
    root = x509.load_pem_x509_certificate((SIMULATED / "root_ca.pem").read_bytes())
    return root.public_bytes(serialization.Encoding.DER)


@pytest.mark.parametrize("kind,status,advisories", [
    ("tdx", "UpToDate", []),
    ("sgx", "ConfigurationAndSWHardeningNeeded", ["INTEL-SA-00289", "INTEL-SA-00615"]),
])
def test_real_quotes_match_the_documented_verdicts(kind, status, advisories):
    quote = (DCAP / f"{kind}_quote").read_bytes()
    report = dcap_qvl.verify(quote, collateral(DCAP / f"{kind}_quote_collateral.json"), at("2025-06-25T00:00:00Z"))
    assert report.status == status
    assert sorted(report.advisory_ids) == advisories
    with pytest.raises(ValueError, match="(?i)expired"):
        dcap_qvl.verify(quote, collateral(DCAP / f"{kind}_quote_collateral.json"), at("2025-08-25T00:00:00Z"))


def test_simulated_quote_is_accepted_under_the_simulation_root():
    quote = (SIMULATED / "quote").read_bytes()
    report = dcap_qvl.verify_with_root_ca(quote, collateral(SIMULATED / "collateral.json"), simulation_root_der(),
                                          at("2026-01-02T00:00:00Z"))
    assert report.status == "UpToDate"
    assert report.advisory_ids == []
    body = json.loads(report.to_json())["report"]["TD10"]
    assert body["report_data"] == "11" * 20 + "22" * 32 + "00" * 12
    assert body["mr_td"] == "11" * 48


def test_simulated_quote_is_refused_under_intels_root():
    quote = (SIMULATED / "quote").read_bytes()
    with pytest.raises(ValueError):
        dcap_qvl.verify(quote, collateral(SIMULATED / "collateral.json"), at("2026-01-02T00:00:00Z"))


def test_tampered_simulated_quote_is_refused():
    quote = bytearray((SIMULATED / "quote").read_bytes())
    quote[600] ^= 1
    with pytest.raises(ValueError, match="(?i)signature"):
        dcap_qvl.verify_with_root_ca(bytes(quote), collateral(SIMULATED / "collateral.json"), simulation_root_der(),
                                     at("2026-01-02T00:00:00Z"))
