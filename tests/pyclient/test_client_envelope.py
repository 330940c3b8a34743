"""cloister_client's envelope code against the published vectors (fixtures/envelope/vectors.json) and the
Swift `Enclave` module through `cloister envelope`, both ways. No chain needed."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from coincurve import PrivateKey
from eth_utils import keccak

from cloister_client import envelope as env

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "envelope"))
from test_envelope_swift_cli import cloister, keyring_args, run  # noqa: E402, F401  (the Swift CLI fixture and helpers)

VECTORS = json.loads((ROOT / "fixtures/envelope/vectors.json").read_text())
CONTRACT = bytes.fromhex("5fbdb2315678afecb367f032d93f642f64180aa3")


def h(text: str) -> bytes:
    return bytes.fromhex(text.removeprefix("0x"))


@pytest.mark.parametrize("vector", VECTORS["envelopes"], ids=lambda v: v["name"])
def test_envelope_vectors(vector):
    context = env.EnvelopeContext(vector["chainId"], h(vector["contract"]), h(vector["requester"]), h(vector["outputKey"]))
    if vector["brokenRecipient"] is None:
        sealed = env.seal(h(vector["payload"]), [h(k) for k in vector["recipientPublicKeys"]], context,
                          data_key=h(vector["dataKey"]), ephemeral_secrets=[h(e) for e in vector["ephemeralSecrets"]],
                          nonce=h(vector["payloadNonce"]))
        assert sealed.envelope == h(vector["envelope"]) and sealed.commitment_salt == h(vector["commitmentSalt"])
    for index, secret in enumerate(vector["recipientSecrets"]):
        if index == vector["brokenRecipient"]:
            with pytest.raises(env.EnvelopeError, match="key commitment"):
                env.open_as_recipient(h(vector["envelope"]), h(secret), context)
            continue
        payload, salt = env.open_as_recipient(h(vector["envelope"]), h(secret), context)
        assert payload == h(vector["payload"]) and salt == h(vector["commitmentSalt"])
        # the fixture's outputCommitment is the salted hash keccak256(salt ‖ bytes) of its `output` bytes; what a
        # node posts commits to uint8(status) ‖ output (docs/envelope.md), so the two differ
        output = h(vector["output"])
        assert keccak(salt + output) == h(vector["outputCommitment"]) != env.output_commitment(salt, 0, output)


@pytest.mark.parametrize("vector", VECTORS["outputs"], ids=lambda v: v["name"])
def test_output_vectors(vector):
    context = env.OutputContext(vector["chainId"], h(vector["contract"]), h(vector["requestId"]))
    sealed = env.seal_output(h(vector["output"]), h(vector["requesterPublicKey"]), context, h(vector["ephemeralSecret"]))
    assert sealed == h(vector["encryptedOutput"])
    assert env.open_output(sealed, h(vector["requesterSecret"]), context) == h(vector["output"])
    with pytest.raises(env.EnvelopeError, match="another chain"):
        env.open_output(sealed, h(vector["requesterSecret"]), env.OutputContext(context.chain_id + 1, context.contract, context.request_id))


def test_python_client_opens_swift_envelopes_and_swift_opens_the_clients(cloister, tmp_path):
    requester = PrivateKey()
    context = env.EnvelopeContext(31337, CONTRACT, env.address_of_point(requester.public_key.format(compressed=False)[1:]),
                                  requester.public_key.format(compressed=True))
    args = ["--chain-id", "31337", "--contract", "0x" + CONTRACT.hex(), "--requester", "0x" + context.requester.hex(),
            "--output-key", "0x" + context.output_key.hex()]
    nodes = [PrivateKey() for _ in range(2)]
    swift = json.loads(run(cloister, "seal", *args, *[a for n in nodes for a in ("--recipient", n.public_key.format().hex())],
                           "--wrap-secrets", stdin=b"sealed by Swift").stdout)
    for node in nodes:
        assert env.open_as_recipient(h(swift["envelope"]), node.secret, context) == (b"sealed by Swift", h(swift["commitmentSalt"]))
    for index, secret in enumerate(swift["wrapSecrets"].split(",")):
        assert env.open_with_wrap_secret(h(swift["envelope"]), index, h(secret))[0] == b"sealed by Swift"

    key = json.loads(run(cloister, "key", *keyring_args(tmp_path)).stdout)
    sealed = env.seal(b"sealed by Python", [nodes[0].public_key.format(), h(key["publicKey"])], context)
    opened = json.loads(run(cloister, "open", *args, *keyring_args(tmp_path), "--output", "0x" + b"\x00label".hex(),
                            stdin=("0x" + sealed.envelope.hex()).encode()).stdout)
    assert h(opened["payload"]) == b"sealed by Python"
    assert h(opened["commitment"]) == env.output_commitment(sealed.commitment_salt, 0, b"label")

    output_context = env.OutputContext(31337, CONTRACT, b"\x42" * 32)
    out_args = ["--chain-id", "31337", "--contract", "0x" + CONTRACT.hex(), "--request-id", "0x" + "42" * 32]
    from_swift = json.loads(run(cloister, "seal-output", *out_args, "--to", requester.public_key.format().hex(),
                                stdin=b"positive").stdout)
    assert env.open_output(h(from_swift["encryptedOutput"]), requester.secret, output_context) == b"positive"
    key_file = tmp_path / "requester.key"
    key_file.write_text(requester.secret.hex())
    key_file.chmod(0o600)
    from_python = env.seal_output(b"negative", requester.public_key.format(), output_context)
    opened = json.loads(run(cloister, "open-output", *out_args, "--key-file", str(key_file),
                            stdin=("0x" + from_python.hex()).encode()).stdout)
    assert h(opened["output"]) == b"negative"
