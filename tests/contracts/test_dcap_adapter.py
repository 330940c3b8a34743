"""The adapter from the registry's verifier interface to Automata's on-chain DCAP verifier.

The stand-in (support/StandInDcap.vy) has the exact ABI of Automata's fee-charging entry point
(AutomataDcapAttestationFee: payable `verifyAndAttestOnChain`, `getBp`) and serializes its output as
Automata's verifiers do; it cannot check Intel signatures, so it accepts the quotes a test allows.
"""
import boa
import pytest
from eth_utils import keccak

import cloister_kit as K

SUPPORT = K.ROOT / "tests" / "contracts" / "support"
UP_TO_DATE, SW_HARDENING, OUT_OF_DATE, REVOKED = 0, 1, 4, 6
POLICY = (1 << UP_TO_DATE) | (1 << SW_HARDENING)


@pytest.fixture
def adapted(world):
    dcap = boa.load(str(SUPPORT / "StandInDcap.vy"))
    adapter = K.factory("DcapVerifierAdapter.vy").deploy(dcap.address, 86400, POLICY)
    world.admission.setAttestationVerifier(adapter.address)
    return world, dcap, adapter


def register(world, key, quote, expiry, operator):
    with boa.env.prank(operator):
        return world.core.register(key.public_key, [K.MODEL], quote, K.VERSION, expiry, b"", value=K.ETHER)


def test_adapter_accepts_what_the_dcap_verifier_accepts(adapted):
    world, dcap, adapter = adapted
    key = world.new_key()
    operator = boa.env.generate_address()
    quote, expiry, _ = world.attestation(key, operator)
    world.fund(operator)
    with boa.reverts("dcap: quote rejected"):
        register(world, key, quote, expiry, operator)
    dcap.allow(keccak(quote), UP_TO_DATE)
    node_id = register(world, key, quote, expiry, operator)
    # the adapter vouches for `validity` seconds, which caps the 7-day expiry of the REPORTDATA
    assert world.core.nodes(node_id).attestationExpiry == K.now() + 86400


@pytest.mark.parametrize("status,accepted", [(UP_TO_DATE, True), (SW_HARDENING, True), (OUT_OF_DATE, False), (REVOKED, False)])
def test_tcb_status_is_checked_against_the_policy(adapted, status, accepted):
    world, dcap, adapter = adapted
    key = world.new_key()
    operator = boa.env.generate_address()
    quote, expiry, _ = world.attestation(key, operator)
    world.fund(operator)
    dcap.allow(keccak(quote), status)
    if accepted:
        register(world, key, quote, expiry, operator)
    else:
        with boa.reverts("dcap: TCB status not accepted"):
            register(world, key, quote, expiry, operator)


def test_a_fee_charging_verifier_is_refused_with_a_clear_reason(adapted):
    world, dcap, adapter = adapted
    key = world.new_key()
    operator = boa.env.generate_address()
    quote, expiry, _ = world.attestation(key, operator)
    world.fund(operator)
    dcap.allow(keccak(quote), UP_TO_DATE)
    dcap.setBp(100)
    with boa.reverts("dcap: the verifier charges a fee; the registry cannot pay it"):
        register(world, key, quote, expiry, operator)


def test_debug_quotes_are_refused_on_chain_whatever_the_verifier_says(adapted):
    """v1: a debug TD registered as an active node through the on-chain DCAP path."""
    world, dcap, adapter = adapted
    for base, offset, bit, reason in ((K.TDX_QUOTE, 168, 1, "quote: debug TD"), (K.SGX_QUOTE, 96, 2, "quote: debug enclave")):
        debug = bytearray(base)
        debug[offset] |= bit
        key = world.new_key()
        operator = boa.env.generate_address()
        quote, expiry, _ = world.attestation(key, operator, base=bytes(debug))
        world.fund(operator)
        dcap.allow(keccak(quote), UP_TO_DATE)
        world.admission.setWorkload(K.workload_id(quote), True)
        with boa.reverts(reason):
            register(world, key, quote, expiry, operator)


def test_adapter_checks_digest_and_bounds(adapted):
    world, dcap, adapter = adapted
    with boa.reverts("dcap: digest mismatch"):
        adapter.verifyQuote(b"\x01" * 32, b"\x00" * 32, b"\x00" * 32, K.TDX_QUOTE, b"")
    with boa.reverts("dcap: validity out of bounds"):
        K.factory("DcapVerifierAdapter.vy").deploy(dcap.address, 60, POLICY)
    with boa.reverts("dcap: zero verifier"):
        K.factory("DcapVerifierAdapter.vy").deploy(K.ZERO, 86400, POLICY)
    for policy in (0, 1 << REVOKED):
        with boa.reverts("dcap: policy accepts nothing, or Revoked/Unrecognized"):
            K.factory("DcapVerifierAdapter.vy").deploy(dcap.address, 86400, policy)
