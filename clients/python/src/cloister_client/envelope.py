"""Confidential requests (docs/envelope.md): sealing an input to enclaves (envelope version 2), opening
the output the enclave encrypted to the requester, the output commitment, and the wrap secrets file.

secp256k1 from coincurve, HKDF-SHA256 and AES-256-GCM from cryptography, Keccak-256 from eth-hash.
"""
from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field

from coincurve import PrivateKey, PublicKey
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from eth_utils import keccak

MAGIC_ENVELOPE = b"CLEN"
MAGIC_OUTPUT = b"CLOU"
VERSION_ENVELOPE = 2
VERSION_OUTPUT = 1
LABEL_KEY = b"cloister/v2/envelope/key"
LABEL_WRAP = b"cloister/v2/envelope/wrap"
LABEL_PAYLOAD = b"cloister/v1/envelope/payload"
LABEL_SALT = b"cloister/v1/commitment-salt"
LABEL_OUTPUT = b"cloister/v1/output"
LABEL_WRAP_SECRETS = b"cloister/v2/wrap-secrets"
KEY_HEADER_SIZE = 119
ENTRY_SIZE = 160
NONCE_SIZE = 12
TAG_SIZE = 16
OUTPUT_HEADER_SIZE = 98
MAX_RECIPIENTS = 16  # the contract's MAX_RECIPIENTS


class EnvelopeError(ValueError):
    """An envelope or encrypted output that does not open; the message names the check."""


@dataclass(frozen=True)
class EnvelopeContext:
    """What an envelope's header binds: chain, contract (the core), requester and its output key."""

    chain_id: int
    contract: bytes  # 20 bytes
    requester: bytes  # 20 bytes
    output_key: bytes  # 33 bytes, compressed


@dataclass(frozen=True)
class OutputContext:
    chain_id: int
    contract: bytes
    request_id: bytes


@dataclass
class Sealed:
    """A sealed input: the envelope bytes (the request's input), the commitment salt to check the result
    with, and the per-recipient ephemeral secrets (only for proving a wrap on chain; they decrypt the input)."""

    envelope: bytes
    commitment_salt: bytes = field(repr=False)
    wrap_secrets: list[bytes] = field(repr=False)


def xy(public_key: bytes) -> bytes:
    """The 64-byte x ‖ y of a public key given compressed (33), uncompressed (65) or as x ‖ y (64)."""
    if len(public_key) == 64:
        public_key = b"\x04" + public_key
    return PublicKey(public_key).format(compressed=False)[1:]


def compressed(public_key: bytes) -> bytes:
    if len(public_key) == 64:
        public_key = b"\x04" + public_key
    return PublicKey(public_key).format(compressed=True)


def address_of_point(point64: bytes) -> bytes:
    """address(X): the last 20 bytes of keccak256(X.x ‖ X.y)."""
    return keccak(point64)[12:]


def _multiply(secret: bytes, public_key: bytes) -> bytes:
    """secret·P as x ‖ y."""
    return PublicKey(b"\x04" + xy(public_key)).multiply(secret).format(compressed=False)[1:]


def _hkdf(ikm: bytes, salt: bytes | None, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def commitment_salt(data_key: bytes) -> bytes:
    """The salt of an encrypted request's output commitment: HKDF(D, "", "cloister/v1/commitment-salt", 32)."""
    return _hkdf(data_key, None, LABEL_SALT, 32)


def output_commitment(salt: bytes, status: int, output: bytes) -> bytes:
    """keccak256(salt ‖ uint8(status) ‖ output). The salt is the request id for a plaintext request (and for
    an error posted in clear), the commitment salt of the data key for an encrypted one."""
    return keccak(salt + bytes([status]) + output)


def _key_commitment(data_key: bytes) -> bytes:
    return keccak(LABEL_KEY + data_key)


def _kek(key_header: bytes, shared_point: bytes, ephemeral64: bytes, recipient64: bytes) -> bytes:
    return keccak(LABEL_WRAP + keccak(key_header) + address_of_point(shared_point) + ephemeral64 + recipient64)


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def seal(payload: bytes, recipients: list[bytes], context: EnvelopeContext, *, data_key: bytes | None = None,
         ephemeral_secrets: list[bytes] | None = None, nonce: bytes | None = None) -> Sealed:
    """Seals `payload` to the enclave public keys `recipients` (distinct; any encoding). The optional secrets
    are for test vectors only: leave them out and fresh random ones are drawn."""
    if not 1 <= len(recipients) <= 255:
        raise EnvelopeError(f"an envelope names 1 to 255 recipients, not {len(recipients)}")
    points = [xy(r) for r in recipients]
    if len(set(points)) != len(points):
        raise EnvelopeError("recipients must be distinct")
    if len(context.output_key) != 33:
        raise EnvelopeError("the output key must be a compressed public key (33 bytes)")
    data_key = data_key or os.urandom(32)
    ephemeral_secrets = ephemeral_secrets or [PrivateKey().secret for _ in points]
    nonce = nonce or os.urandom(NONCE_SIZE)
    key_header = (MAGIC_ENVELOPE + bytes([VERSION_ENVELOPE]) + struct.pack(">Q", context.chain_id) + context.contract
                  + context.requester + context.output_key + _key_commitment(data_key) + bytes([len(points)]))
    header = bytearray(key_header)
    for point, secret in zip(points, ephemeral_secrets, strict=True):
        ephemeral = PrivateKey(secret).public_key.format(compressed=False)[1:]
        header += point + ephemeral + _xor(data_key, _kek(key_header, _multiply(secret, point), ephemeral, point))
    payload_key = _hkdf(data_key, None, LABEL_PAYLOAD, 32)
    sealed = AESGCM(payload_key).encrypt(nonce, payload, bytes(header))
    envelope = bytes(header) + nonce + struct.pack(">I", len(payload)) + sealed
    return Sealed(envelope, commitment_salt(data_key), list(ephemeral_secrets))


@dataclass(frozen=True)
class ParsedEnvelope:
    context: EnvelopeContext
    key_commitment: bytes
    entries: list[tuple[bytes, bytes, bytes]]  # (P_i, E_i, W_i)
    authenticated_header: bytes
    nonce: bytes
    ciphertext: bytes  # with its tag


def parse(envelope: bytes) -> ParsedEnvelope:
    """Reads an envelope's fields, checking sizes (not keys or the payload)."""
    if len(envelope) < KEY_HEADER_SIZE or envelope[:4] != MAGIC_ENVELOPE:
        raise EnvelopeError("not an envelope (magic or size)")
    if envelope[4] != VERSION_ENVELOPE:
        raise EnvelopeError(f"envelope version {envelope[4]} is not supported")
    count = envelope[118]
    if not 1 <= count <= MAX_RECIPIENTS:
        raise EnvelopeError(f"recipient count {count} outside 1..{MAX_RECIPIENTS}")
    end = KEY_HEADER_SIZE + ENTRY_SIZE * count
    if len(envelope) < end + NONCE_SIZE + 4 + TAG_SIZE:
        raise EnvelopeError("truncated envelope")
    (length,) = struct.unpack(">I", envelope[end + NONCE_SIZE:end + NONCE_SIZE + 4])
    if len(envelope) != end + NONCE_SIZE + 4 + length + TAG_SIZE:
        raise EnvelopeError("envelope size does not match its payload length")
    context = EnvelopeContext(struct.unpack(">Q", envelope[5:13])[0], envelope[13:33], envelope[33:53], envelope[53:86])
    entries = [(envelope[at:at + 64], envelope[at + 64:at + 128], envelope[at + 128:at + 160])
               for at in range(KEY_HEADER_SIZE, end, ENTRY_SIZE)]
    return ParsedEnvelope(context, envelope[86:118], entries, envelope[:end], envelope[end:end + NONCE_SIZE],
                          envelope[end + NONCE_SIZE + 4:])


def _data_key(parsed: ParsedEnvelope, index: int, shared_point: bytes) -> bytes:
    recipient, ephemeral, wrapped = parsed.entries[index]
    data_key = _xor(wrapped, _kek(parsed.authenticated_header[:KEY_HEADER_SIZE], shared_point, ephemeral, recipient))
    if _key_commitment(data_key) != parsed.key_commitment:
        raise EnvelopeError(f"the wrap of entry {index} does not open (key commitment mismatch)")
    return data_key


def _decrypt_payload(parsed: ParsedEnvelope, data_key: bytes) -> bytes:
    try:
        return AESGCM(_hkdf(data_key, None, LABEL_PAYLOAD, 32)).decrypt(parsed.nonce, parsed.ciphertext,
                                                                         parsed.authenticated_header)
    except InvalidTag:
        raise EnvelopeError("the payload does not authenticate") from None


def open_as_recipient(envelope: bytes, recipient_secret: bytes, expected: EnvelopeContext) -> tuple[bytes, bytes]:
    """What an enclave holding `recipient_secret` reads: (payload, commitment salt)."""
    parsed = parse(envelope)
    if parsed.context != expected:
        raise EnvelopeError("the envelope is bound to another chain, contract, requester or output key")
    own = PrivateKey(recipient_secret).public_key.format(compressed=False)[1:]
    index = next((i for i, entry in enumerate(parsed.entries) if entry[0] == own), None)
    if index is None:
        raise EnvelopeError("not a recipient of this envelope")
    data_key = _data_key(parsed, index, _multiply(recipient_secret, parsed.entries[index][1]))
    return _decrypt_payload(parsed, data_key), commitment_salt(data_key)


def open_with_wrap_secret(envelope: bytes, index: int, ephemeral_secret: bytes) -> tuple[bytes, bytes]:
    """What the requester reads back from its own envelope with entry `index`'s ephemeral secret:
    (payload, commitment salt), S = e_i·P_i."""
    parsed = parse(envelope)
    recipient, ephemeral, _ = parsed.entries[index]
    if PrivateKey(ephemeral_secret).public_key.format(compressed=False)[1:] != ephemeral:
        raise EnvelopeError(f"the secret is not entry {index}'s ephemeral key")
    data_key = _data_key(parsed, index, _multiply(ephemeral_secret, recipient))
    return _decrypt_payload(parsed, data_key), commitment_salt(data_key)


def _output_key_and_nonce(shared_x: bytes, header: bytes, requester_key: bytes) -> tuple[bytes, bytes]:
    material = _hkdf(shared_x, header, LABEL_OUTPUT + requester_key, 44)
    return material[:32], material[32:]


def seal_output(output: bytes, requester_key: bytes, context: OutputContext, ephemeral_secret: bytes | None = None) -> bytes:
    """What an enclave posts for an encrypted request (here for tests and vectors)."""
    ephemeral = PrivateKey(ephemeral_secret) if ephemeral_secret else PrivateKey()
    requester = compressed(requester_key)
    header = (MAGIC_OUTPUT + bytes([VERSION_OUTPUT]) + struct.pack(">Q", context.chain_id) + context.contract
              + context.request_id + ephemeral.public_key.format(compressed=True))
    shared_x = _multiply(ephemeral.secret, requester)[:32]
    key, nonce = _output_key_and_nonce(shared_x, header, requester)
    return header + AESGCM(key).encrypt(nonce, output, header)


def is_encrypted_output(posted: bytes) -> bool:
    return len(posted) >= OUTPUT_HEADER_SIZE + TAG_SIZE and posted[:4] == MAGIC_OUTPUT


def open_output(posted: bytes, output_secret: bytes, expected: OutputContext) -> bytes:
    """Decrypts an output encrypted to the requester's output key (docs/envelope.md, encrypted output)."""
    if not is_encrypted_output(posted):
        raise EnvelopeError("not an encrypted output")
    if posted[4] != VERSION_OUTPUT:
        raise EnvelopeError(f"encrypted output version {posted[4]} is not supported")
    header = posted[:OUTPUT_HEADER_SIZE]
    found = OutputContext(struct.unpack(">Q", header[5:13])[0], header[13:33], header[33:65])
    if found != expected:
        raise EnvelopeError("the output names another chain, contract or request")
    own = PrivateKey(output_secret).public_key.format(compressed=True)
    shared_x = _multiply(output_secret, header[65:98])[:32]
    key, nonce = _output_key_and_nonce(shared_x, header, own)
    try:
        return AESGCM(key).decrypt(nonce, posted[OUTPUT_HEADER_SIZE:], header)
    except InvalidTag:
        raise EnvelopeError("the output does not decrypt with this key") from None


def open_wrap_secrets(document: dict, wallet_secret: bytes) -> tuple[bytes, list[dict]]:
    """Opens a wrap secrets file (`cloister request --encrypt --save-wrap-secrets`) with the requester's
    wallet key: returns (request id, [{"index", "node", "publicKey", "secret"}]). Raises EnvelopeError if the
    file was sealed to another key or altered."""
    request_id = bytes.fromhex(document["requestId"].removeprefix("0x"))
    wallet = PrivateKey(wallet_secret)
    shared_x = _multiply(wallet.secret, wallet.public_key.format(compressed=True))[:32]
    file_key = keccak(LABEL_WRAP_SECRETS + shared_x + request_id)
    entries = []
    for position, entry in enumerate(document["recipients"]):
        sealed = bytes.fromhex(entry["sealedSecret"].removeprefix("0x"))
        secret = _xor(sealed, keccak(file_key + struct.pack(">I", position)))
        entries.append({"index": entry["index"], "node": int(entry["node"]),
                        "publicKey": bytes.fromhex(entry["publicKey"].removeprefix("0x")), "secret": secret})
    mac = keccak(file_key + b"mac" + b"".join(e["secret"] for e in entries))
    if mac.hex() != document["mac"].removeprefix("0x").lower():
        raise EnvelopeError("the wrap secrets file was sealed to another wallet key, or altered")
    return request_id, entries
