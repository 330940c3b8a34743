"""The Python reference against the committed vectors, and its own rejection paths.

The Swift side of the same vectors is Tests/EnclaveTests/EnvelopeVectorTests.swift."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from coincurve import PrivateKey

sys.path.insert(0, str(Path(__file__).resolve().parent))
import envelope_reference as ref  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
VECTORS = json.loads((REPO / "fixtures/envelope/vectors.json").read_text())


def h(text: str) -> bytes:
    return bytes.fromhex(text.removeprefix("0x"))


def context(vector: dict) -> ref.Context:
    return ref.Context(vector["chainId"], h(vector["contract"]), h(vector["requester"]), h(vector["outputKey"]))


@pytest.mark.parametrize("vector", VECTORS["envelopes"], ids=lambda v: v["name"])
def test_every_recipient_opens_and_commits_identically(vector):
    commitments = set()
    for index, secret in enumerate(vector["recipientSecrets"]):
        if index == vector["brokenRecipient"]:
            with pytest.raises(ref.EnvelopeRejected, match="keyCommitmentMismatch"):
                ref.open_envelope(h(vector["envelope"]), h(secret), context(vector))
            continue
        payload, salt = ref.open_envelope(h(vector["envelope"]), h(secret), context(vector))
        assert payload == h(vector["payload"])
        assert salt == h(vector["commitmentSalt"])
        commitments.add(ref.commitment(salt, h(vector["output"])))
    assert commitments == {h(vector["outputCommitment"])}


@pytest.mark.parametrize("vector", VECTORS["envelopes"], ids=lambda v: v["name"])
def test_fixture_is_what_the_reference_seals(vector):
    rebuilt = ref.seal(h(vector["payload"]), [h(k) for k in vector["recipientPublicKeys"]], context(vector),
                       h(vector["dataKey"]), [h(e) for e in vector["ephemeralSecrets"]], h(vector["payloadNonce"]),
                       vector["brokenRecipient"])
    assert rebuilt == h(vector["envelope"])
    assert len(rebuilt) == 151 + 160 * len(vector["recipientSecrets"]) + len(h(vector["payload"]))
    parsed = ref.parse(rebuilt)
    assert parsed.key_commitment == h(vector["keyCommitment"]) == ref.keccak256(b"cloister/v2/envelope/key" + h(vector["dataKey"]))
    for entry, key, ephemeral in zip(parsed.entries, vector["recipientPublicKeys"], vector["ephemeralPublicKeys"]):
        assert entry.recipient == ref.point64(h(key)) and entry.ephemeral == h(ephemeral)


@pytest.mark.parametrize("vector", VECTORS["envelopes"], ids=lambda v: v["name"])
def test_wrap_proof_opens_exactly_the_good_wraps(vector):
    """What proveWrap checks on chain: a revealed e_i proves a good wrap, and cannot make a broken one open."""
    envelope = h(vector["envelope"])
    for index, e in enumerate(vector["ephemeralSecrets"]):
        proof = ref.wrap_proof(envelope, index, h(e))
        assert proof["opens"] == (index != vector["brokenRecipient"])
        assert proof["sharedAddress"] == h(vector["sharedAddresses"][index])
        assert proof["recipientAddress"] == ref.address_of(h(vector["recipientPublicKeys"][index]))
        assert proof["ephemeralSecret"] == int(e, 16)
    with pytest.raises(ref.EnvelopeRejected, match="ephemeralKeyMismatch"):
        ref.wrap_proof(envelope, 0, h(vector["ephemeralSecrets"][-1]) if len(vector["ephemeralSecrets"]) > 1 else PrivateKey().secret)


def test_ecrecover_gives_the_shared_address():
    """The contract's trick: ecrecover(0, 27 + parity(P.y), P.x, e·P.x mod n) = address(e·P), for many keys."""
    for _ in range(50):
        recipient, e = PrivateKey(), PrivateKey().secret
        point = recipient.public_key.format(compressed=False)[1:]
        x, y = int.from_bytes(point[:32], "big"), int.from_bytes(point[32:], "big")
        recovered = ref.ecrecover_address(bytes(32), 27 + (y & 1), x, (int.from_bytes(e, "big") * x) % ref.SECP256K1_N)
        assert recovered == ref.shared_address(e, recipient.public_key.format())


def test_broken_wrap_fails_only_for_its_recipient():
    requester = PrivateKey()
    output_key = requester.public_key.format(compressed=True)
    ctx = ref.Context(31337, bytes(range(20)), ref.address_of(output_key), output_key)
    secrets = [PrivateKey().secret for _ in range(4)]
    envelope = ref.seal(b"grief", [PrivateKey(s).public_key.format() for s in secrets], ctx, broken=2)
    for index, secret in enumerate(secrets):
        if index == 2:
            with pytest.raises(ref.EnvelopeRejected, match="keyCommitmentMismatch"):
                ref.open_envelope(envelope, secret, ctx)
        else:
            assert ref.open_envelope(envelope, secret, ctx)[0] == b"grief"


@pytest.mark.parametrize("vector", VECTORS["outputs"], ids=lambda v: v["name"])
def test_requester_opens_output(vector):
    ctx = ref.OutputContext(vector["chainId"], h(vector["contract"]), h(vector["requestId"]))
    assert ref.open_output(h(vector["encryptedOutput"]), h(vector["requesterSecret"]), ctx) == h(vector["output"])


def fresh_envelope(recipients: int = 2) -> tuple[bytes, list[bytes], ref.Context]:
    requester = PrivateKey()
    output_key = requester.public_key.format(compressed=True)
    ctx = ref.Context(31337, bytes(range(20)), ref.address_of(output_key), output_key)
    secrets = [PrivateKey().secret for _ in range(recipients)]
    envelope = ref.seal(b"confidential prompt", [PrivateKey(s).public_key.format() for s in secrets], ctx)
    return envelope, secrets, ctx


def test_every_flipped_byte_is_rejected():
    envelope, secrets, ctx = fresh_envelope()
    for index in range(len(envelope)):
        tampered = bytearray(envelope)
        tampered[index] ^= 0x01
        with pytest.raises(ref.EnvelopeRejected):
            ref.open_envelope(bytes(tampered), secrets[0], ctx)


def test_every_truncation_and_extension_is_rejected():
    envelope, secrets, ctx = fresh_envelope()
    for length in range(len(envelope)):
        with pytest.raises(ref.EnvelopeRejected, match="truncated"):
            ref.open_envelope(envelope[:length], secrets[0], ctx)
    with pytest.raises(ref.EnvelopeRejected, match="trailingBytes"):
        ref.open_envelope(envelope + b"\0", secrets[0], ctx)


def test_wrong_context_and_wrong_recipient_are_rejected():
    envelope, secrets, ctx = fresh_envelope()
    for field, value in (("chain_id", 1), ("contract", bytes(20)), ("requester", bytes(20)),
                         ("output_key", PrivateKey().public_key.format())):
        other = ref.Context(**{**ctx.__dict__, field: value})
        with pytest.raises(ref.EnvelopeRejected, match="contextMismatch." + field):
            ref.open_envelope(envelope, secrets[0], other)
    with pytest.raises(ref.EnvelopeRejected, match="notARecipient"):
        ref.open_envelope(envelope, PrivateKey().secret, ctx)


def test_duplicate_recipients_and_invalid_points_are_rejected():
    envelope, secrets, ctx = fresh_envelope()
    duplicated = bytearray(envelope)
    duplicated[ref.KEY_HEADER + ref.ENTRY:ref.KEY_HEADER + ref.ENTRY + 64] = envelope[ref.KEY_HEADER:ref.KEY_HEADER + 64]
    with pytest.raises(ref.EnvelopeRejected, match="duplicateRecipient"):
        ref.open_envelope(bytes(duplicated), secrets[0], ctx)
    for offset, field in ((ref.KEY_HEADER, "recipientKey"), (ref.KEY_HEADER + 64, "ephemeralKey")):
        off_curve = bytearray(envelope)
        off_curve[offset + 63] ^= 0x01  # y no longer matches x
        with pytest.raises(ref.EnvelopeRejected, match="invalidPublicKey." + field):
            ref.open_envelope(bytes(off_curve), secrets[0], ctx)
