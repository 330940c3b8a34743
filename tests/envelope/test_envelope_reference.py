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
    for secret in vector["recipientSecrets"]:
        payload, salt = ref.open_envelope(h(vector["envelope"]), h(secret), context(vector))
        assert payload == h(vector["payload"])
        assert salt == h(vector["commitmentSalt"])
        commitments.add(ref.commitment(salt, h(vector["output"])))
    assert commitments == {h(vector["outputCommitment"])}


@pytest.mark.parametrize("vector", VECTORS["envelopes"], ids=lambda v: v["name"])
def test_fixture_is_what_the_reference_seals(vector):
    rebuilt = ref.seal(h(vector["payload"]), [h(k) for k in vector["recipientPublicKeys"]], context(vector),
                       h(vector["dataKey"]), h(vector["ephemeralSecret"]), h(vector["payloadNonce"]))
    assert rebuilt == h(vector["envelope"])
    assert len(rebuilt) == 152 + 68 * len(vector["recipientSecrets"]) + len(h(vector["payload"]))


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
