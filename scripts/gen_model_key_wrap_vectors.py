#!/usr/bin/env python3
"""Writes fixtures/model_sealing/key_wrap_vectors.json: model keys wrapped to enclave keys by the independent
Python implementation (tests/model_sealing/model_key_wrap_reference.py, written from docs/model-sealing.md)
from fixed secrets, and KeyWrap EIP-712 digests and signatures made by eth-account, so the Swift tests check
that they unwrap Python's wraps, that wrapping with the same ephemeral key gives the same bytes, and that the
enclave signs the digest the vault recovers. Run: .venv/bin/python scripts/gen_model_key_wrap_vectors.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests/model_sealing"))

import model_key_wrap_reference as ref  # noqa: E402
from eth_account import Account  # noqa: E402
from eth_hash.auto import keccak  # noqa: E402

OUT = REPO / "fixtures/model_sealing/key_wrap_vectors.json"
VAULT = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"


def secret(label: str) -> bytes:
    """A fixed secp256k1 scalar (keccak256 of a label is below the group order for these labels)."""
    return keccak(b"cloister test vector: " + label.encode())


def wrap_case(name: str, epoch: int) -> dict:
    recipient_secret, ephemeral_secret = secret(name + " recipient"), secret(name + " ephemeral")
    model_key, model = secret(name + " model key"), keccak(name.encode() + b" model id")
    recipient_xy = ref.point(ref.private_key(recipient_secret).public_key())
    wrapped = ref.wrap(model_key, recipient_xy, model, epoch, ephemeral_secret)
    assert len(wrapped) == ref.WRAPPED_LENGTH and ref.unwrap(wrapped, recipient_secret, model, epoch) == model_key
    return {
        "name": name,
        "recipientSecret": "0x" + recipient_secret.hex(),
        "recipientKey": "0x" + recipient_xy.hex(),
        "recipient": Account.from_key(recipient_secret).address,
        "ephemeralSecret": "0x" + ephemeral_secret.hex(),
        "modelKey": "0x" + model_key.hex(),
        "model": "0x" + model.hex(),
        "epoch": str(epoch),  # a decimal string: epochs are uint256
        "wrapped": "0x" + wrapped.hex(),
    }


def signature_case(name: str, chain_id: int, epoch: int) -> dict:
    holder = secret(name + " holder")
    recipient = Account.from_key(secret(name + " recipient")).address
    model, wrapped = keccak(name.encode() + b" model id"), bytes((i * 41 + 7) % 256 for i in range(ref.WRAPPED_LENGTH))
    typed = ref.key_wrap_typed_data(chain_id, VAULT, model, epoch, recipient, wrapped)
    signed = ref.sign_key_wrap(typed, holder)
    digest = ref.key_wrap_digest(typed)
    assert Account._recover_hash(digest, signature=signed.signature) == Account.from_key(holder).address
    return {
        "name": name,
        "chainId": chain_id,
        "vault": VAULT,
        "model": "0x" + model.hex(),
        "epoch": str(epoch),
        "recipient": recipient,
        "wrapped": "0x" + wrapped.hex(),
        "wrappedHash": "0x" + keccak(wrapped).hex(),
        "holderSecret": "0x" + holder.hex(),
        "holder": Account.from_key(holder).address,
        "digest": "0x" + digest.hex(),
        "signature": "0x" + bytes(signed.signature).hex(),
    }


def main() -> None:
    vectors = {
        "wraps": [wrap_case("first enclave", 1), wrap_case("after a rotation", 7), wrap_case("a large epoch", 2**255 + 3)],
        "signatures": [signature_case("local chain", 31337, 1), signature_case("mainnet", 1, 12),
                       signature_case("large values", 2**63 + 5, 2**256 - 1)],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(vectors, indent=1) + "\n")
    print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
