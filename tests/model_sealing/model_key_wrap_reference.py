"""The model key wrap of docs/model-sealing.md ("Releasing the key to enclaves"), written from that page alone
with Python's `cryptography` (ECDH on SECP256K1, HKDF-SHA256, AES-256-GCM) and eth-account for the KeyWrap
signature: the independent implementation the Swift code is checked against."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_hash.auto import keccak

LABEL = b"cloister/v1/model-key/wrap"
WRAPPED_LENGTH = 112
CURVE = ec.SECP256K1()


def private_key(secret: bytes) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(int.from_bytes(secret, "big"), CURVE)


def point(public: ec.EllipticCurvePublicKey) -> bytes:
    """x ‖ y, 64 bytes."""
    return public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)[1:]


def public_key(xy: bytes) -> ec.EllipticCurvePublicKey:
    assert len(xy) == 64
    return ec.EllipticCurvePublicKey.from_encoded_point(CURVE, b"\x04" + xy)


def compressed(public: ec.EllipticCurvePublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)


def address(xy: bytes) -> bytes:
    return keccak(xy)[12:]


def header(model: bytes, epoch: int, recipient: bytes, ephemeral: bytes) -> bytes:
    assert len(model) == 32 and len(recipient) == 20 and len(ephemeral) == 64
    return model + epoch.to_bytes(32, "big") + recipient + ephemeral


def message_key(shared_x: bytes, salt: bytes, recipient: ec.EllipticCurvePublicKey) -> tuple[bytes, bytes]:
    okm = HKDF(algorithm=hashes.SHA256(), length=44, salt=salt, info=LABEL + compressed(recipient)).derive(shared_x)
    return okm[:32], okm[32:]


def wrap(model_key: bytes, recipient_xy: bytes, model: bytes, epoch: int, ephemeral_secret: bytes | None = None) -> bytes:
    assert len(model_key) == 32
    recipient = public_key(recipient_xy)
    ephemeral = private_key(ephemeral_secret) if ephemeral_secret else ec.generate_private_key(CURVE)
    e = point(ephemeral.public_key())
    h = header(model, epoch, address(recipient_xy), e)
    key, nonce = message_key(ephemeral.exchange(ec.ECDH(), recipient), h, recipient)
    return e + AESGCM(key).encrypt(nonce, model_key, h)  # ciphertext (32) ‖ tag (16)


def unwrap(wrapped: bytes, recipient_secret: bytes, model: bytes, epoch: int) -> bytes:
    """Raises cryptography's InvalidTag when the wrap is not for this key, model and epoch, or was changed."""
    assert len(wrapped) == WRAPPED_LENGTH
    recipient = private_key(recipient_secret)
    e = wrapped[:64]
    h = header(model, epoch, address(point(recipient.public_key())), e)
    key, nonce = message_key(recipient.exchange(ec.ECDH(), public_key(e)), h, recipient.public_key())
    return AESGCM(key).decrypt(nonce, wrapped[64:], h)


KEY_WRAP_TYPES = [{"name": "model", "type": "bytes32"}, {"name": "epoch", "type": "uint256"},
                  {"name": "recipient", "type": "address"}, {"name": "wrappedHash", "type": "bytes32"}]
DOMAIN_TYPES = [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}]


def key_wrap_typed_data(chain_id: int, vault: str, model: bytes, epoch: int, recipient: str, wrapped: bytes) -> dict:
    return {"types": {"EIP712Domain": DOMAIN_TYPES, "KeyWrap": KEY_WRAP_TYPES}, "primaryType": "KeyWrap",
            "domain": {"name": "Cloister ModelVault", "version": "1", "chainId": chain_id, "verifyingContract": vault},
            "message": {"model": model, "epoch": epoch, "recipient": recipient, "wrappedHash": keccak(wrapped)}}


def key_wrap_digest(typed: dict) -> bytes:
    signable = encode_typed_data(full_message=typed)
    return keccak(b"\x19" + signable.version + signable.header + signable.body)


def sign_key_wrap(typed: dict, secret: bytes):
    return Account.sign_message(encode_typed_data(full_message=typed), secret)
