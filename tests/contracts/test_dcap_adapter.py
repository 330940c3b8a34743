"""The adapter from the registry's verifier interface to an on-chain DCAP verifier."""
import boa
import pytest
from eth_utils import keccak

import cloister_kit as K

SUPPORT = K.ROOT / "tests" / "contracts" / "support"


@pytest.fixture
def adapted(world):
    dcap = boa.load(str(SUPPORT / "StandInDcap.vy"))
    adapter = K.factory("DcapVerifierAdapter.vy").deploy(dcap.address, 86400)
    world.admission.setAttestationVerifier(adapter.address)
    return world, dcap, adapter


def test_adapter_accepts_what_the_dcap_verifier_accepts(adapted):
    world, dcap, adapter = adapted
    key = world.new_key()
    operator = boa.env.generate_address()
    quote, expiry, _ = world.attestation(key, operator)
    world.fund(operator)
    with boa.env.prank(operator), boa.reverts("dcap: quote rejected"):
        world.core.register(key.public_key, [K.MODEL], quote, K.VERSION, expiry, b"", value=K.ETHER)
    dcap.allow(keccak(quote))
    with boa.env.prank(operator):
        node_id = world.core.register(key.public_key, [K.MODEL], quote, K.VERSION, expiry, b"", value=K.ETHER)
    # the adapter vouches for `validity` seconds, which caps the 7-day expiry of the REPORTDATA
    assert world.core.nodes(node_id).attestationExpiry == K.now() + 86400


def test_adapter_checks_digest_and_bounds(adapted):
    world, dcap, adapter = adapted
    with boa.reverts("dcap: digest mismatch"):
        adapter.verifyQuote(b"\x01" * 32, b"\x00" * 32, b"\x00" * 32, K.TDX_QUOTE, b"")
    with boa.reverts("dcap: validity out of bounds"):
        K.factory("DcapVerifierAdapter.vy").deploy(dcap.address, 60)
    with boa.reverts("dcap: zero verifier"):
        K.factory("DcapVerifierAdapter.vy").deploy(K.ZERO, 86400)
