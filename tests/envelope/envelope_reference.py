"""Independent Python implementation of Cloister's confidential-request formats (docs/envelope.md).

It shares no code with the Swift `Enclave` module: secp256k1 comes from `coincurve` (the ECDH x
coordinate is computed as a point multiplication, not with libsecp256k1's ECDH module), HKDF-SHA256 and
AES-256-GCM from `cryptography` (OpenSSL, where Swift uses swift-crypto's BoringSSL), Keccak-256 from
`pycryptodome`; the full shared point of the version 2 wrap is a coincurve multiplication too. Written from the specification in docs/envelope.md, it is what the Swift code is
checked against, in both directions.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

from coincurve import PrivateKey, PublicKey
from Crypto.Hash import keccak
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ENVELOPE_MAGIC = b"CLEN"
OUTPUT_MAGIC = b"CLOU"
ENVELOPE_VERSION = 2
OUTPUT_VERSION = 1
WRAP_LABEL = b"cloister/v2/envelope/wrap"
KEY_LABEL = b"cloister/v2/envelope/key"
PAYLOAD_LABEL = b"cloister/v1/envelope/payload"
SALT_LABEL = b"cloister/v1/commitment-salt"
OUTPUT_LABEL = b"cloister/v1/output"
KEY_HEADER = 119  # magic .. recipient count
ENTRY = 160  # recipient key 64 + ephemeral key 64 + wrapped key 32
TAG = 16
NONCE = 12
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
DEFAULT_MAX_RECIPIENTS = 16  # the contract's MAX_RECIPIENTS
DEFAULT_MAX_PAYLOAD = 8192  # the contract's MAX_INPUT


class EnvelopeRejected(Exception):
    """An envelope or output that must not be opened; `reason` names the check that failed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Context:
    chain_id: int
    contract: bytes  # 20
    requester: bytes  # 20
    output_key: bytes  # 33, compressed


@dataclass(frozen=True)
class OutputContext:
    chain_id: int
    contract: bytes  # 20
    request_id: bytes  # 32


def keccak256(data: bytes) -> bytes:
    return keccak.new(digest_bits=256, data=data).digest()


def point64(public_key: bytes) -> bytes:
    """x ‖ y (64 bytes) of a compressed or uncompressed public key."""
    return PublicKey(public_key).format(compressed=False)[1:]


def address_of(public_key: bytes) -> bytes:
    """The Ethereum address of a public key (33, 65 or 64 bytes)."""
    if len(public_key) == 64:
        public_key = b"\x04" + public_key
    return keccak256(point64(public_key))[12:]


def ecdh_x(secret: bytes, peer: bytes) -> bytes:
    """x coordinate of secret * peer, by point multiplication."""
    return PublicKey(peer).multiply(secret).format(compressed=True)[1:]


def shared_address(secret: bytes, peer: bytes) -> bytes:
    """address(secret * peer): the Ethereum address of the full shared point."""
    return keccak256(PublicKey(peer).multiply(secret).format(compressed=False)[1:])[12:]


def hkdf(ikm: bytes, salt: bytes | None, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def message_key(ikm: bytes, salt: bytes, info: bytes) -> tuple[bytes, bytes]:
    okm = hkdf(ikm, salt, info, 44)
    return okm[:32], okm[32:]


def payload_key(data_key: bytes) -> bytes:
    return hkdf(data_key, None, PAYLOAD_LABEL, 32)


def commitment_salt(data_key: bytes) -> bytes:
    return hkdf(data_key, None, SALT_LABEL, 32)


def commitment(salt: bytes, output: bytes) -> bytes:
    return keccak256(salt + output)


def key_commitment(data_key: bytes) -> bytes:
    """C = keccak256("cloister/v2/envelope/key" ‖ D)."""
    return keccak256(KEY_LABEL + data_key)


def kek(key_header: bytes, shared: bytes, ephemeral64: bytes, recipient64: bytes) -> bytes:
    """KEK = keccak256(wrap label ‖ keccak256(KH) ‖ address(S) ‖ E ‖ P)."""
    return keccak256(WRAP_LABEL + keccak256(key_header) + shared + ephemeral64 + recipient64)


def xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def key_header(ctx: Context, data_key: bytes, count: int) -> bytes:
    return (ENVELOPE_MAGIC + bytes([ENVELOPE_VERSION]) + struct.pack(">Q", ctx.chain_id) + ctx.contract
            + ctx.requester + ctx.output_key + key_commitment(data_key) + bytes([count]))


def seal(payload: bytes, recipients: list[bytes], ctx: Context, data_key: bytes | None = None,
         ephemeral_secrets: list[bytes] | None = None, nonce: bytes | None = None,
         broken: int | None = None) -> bytes:
    """Builds a version 2 envelope; recipients are enclave public keys (any encoding).

    `broken` is for tests only: the index of a recipient whose wrapped key gets its lowest bit flipped
    before the payload is encrypted (what a griefing requester does: that recipient cannot open the
    envelope while every other recipient can)."""
    data_key = data_key or os.urandom(32)
    ephemeral_secrets = ephemeral_secrets or [PrivateKey().secret for _ in recipients]
    assert len(ephemeral_secrets) == len(recipients)
    nonce = nonce or os.urandom(NONCE)
    kh = key_header(ctx, data_key, len(recipients))
    header = kh
    for index, (recipient, secret) in enumerate(zip(recipients, ephemeral_secrets)):
        p64 = point64(recipient)
        e64 = PrivateKey(secret).public_key.format(compressed=False)[1:]
        wrapped = xor(data_key, kek(kh, shared_address(secret, recipient), e64, p64))
        if index == broken:
            wrapped = wrapped[:31] + bytes([wrapped[31] ^ 0x01])
        header += p64 + e64 + wrapped
    sealed = AESGCM(payload_key(data_key)).encrypt(nonce, payload, header)
    return header + nonce + struct.pack(">I", len(payload)) + sealed


@dataclass(frozen=True)
class Entry:
    recipient: bytes  # 64, x ‖ y
    ephemeral: bytes  # 64, x ‖ y
    wrapped: bytes  # 32


@dataclass(frozen=True)
class ParsedEnvelope:
    context: Context
    key_commitment: bytes
    entries: list[Entry]
    header: bytes  # AH
    nonce: bytes
    sealed_payload: bytes  # ciphertext ‖ tag

    @property
    def key_header(self) -> bytes:
        return self.header[:KEY_HEADER]


def parse(data: bytes, max_recipients: int = DEFAULT_MAX_RECIPIENTS,
          max_payload: int = DEFAULT_MAX_PAYLOAD) -> ParsedEnvelope:
    if len(data) < 4:
        raise EnvelopeRejected("truncated")
    if data[:4] != ENVELOPE_MAGIC:
        raise EnvelopeRejected("badMagic")
    if len(data) >= 5 and data[4] != ENVELOPE_VERSION:
        raise EnvelopeRejected("unsupportedVersion")
    if len(data) < KEY_HEADER:
        raise EnvelopeRejected("truncated")
    (chain_id,) = struct.unpack(">Q", data[5:13])
    ctx = Context(chain_id, data[13:33], data[33:53], data[53:86])
    count = data[118]
    if count == 0:
        raise EnvelopeRejected("noRecipients")
    if count > max_recipients:
        raise EnvelopeRejected("tooManyRecipients")
    header_end = KEY_HEADER + count * ENTRY
    length_at = header_end + NONCE
    if len(data) < length_at + 4 + TAG:
        raise EnvelopeRejected("truncated")
    (length,) = struct.unpack(">I", data[length_at:length_at + 4])
    if length > max_payload:
        raise EnvelopeRejected("payloadTooLarge")
    if len(data) != length_at + 4 + length + TAG:
        raise EnvelopeRejected("truncated" if len(data) < length_at + 4 + length + TAG else "trailingBytes")
    if ctx.output_key[0] not in (2, 3) or not _on_curve(ctx.output_key):
        raise EnvelopeRejected("invalidPublicKey.outputKey")
    entries = []
    for i in range(count):
        at = KEY_HEADER + i * ENTRY
        entry = Entry(data[at:at + 64], data[at + 64:at + 128], data[at + 128:at + 160])
        if not _on_curve(b"\x04" + entry.recipient):
            raise EnvelopeRejected("invalidPublicKey.recipientKey")
        if not _on_curve(b"\x04" + entry.ephemeral):
            raise EnvelopeRejected("invalidPublicKey.ephemeralKey")
        entries.append(entry)
    if len({entry.recipient for entry in entries}) != count:
        raise EnvelopeRejected("duplicateRecipient")
    return ParsedEnvelope(ctx, data[86:118], entries, data[:header_end], data[header_end:length_at],
                          data[length_at + 4:])


def _on_curve(encoded: bytes) -> bool:
    try:
        PublicKey(encoded)
        return True
    except ValueError:
        return False


def unwrap(parsed: ParsedEnvelope, entry: Entry, shared: bytes) -> bytes:
    """D' = W XOR KEK for the entry, given address(S); raises keyCommitmentMismatch unless it matches C."""
    data_key = xor(entry.wrapped, kek(parsed.key_header, shared, entry.ephemeral, entry.recipient))
    if key_commitment(data_key) != parsed.key_commitment:
        raise EnvelopeRejected("keyCommitmentMismatch")
    return data_key


def open_envelope(data: bytes, secret: bytes, expected: Context) -> tuple[bytes, bytes]:
    """Returns (payload, commitment salt) for the recipient holding `secret`."""
    parsed = parse(data)
    for field in ("chain_id", "contract", "requester", "output_key"):
        if getattr(parsed.context, field) != getattr(expected, field):
            raise EnvelopeRejected("contextMismatch." + field)
    own = PrivateKey(secret).public_key.format(compressed=False)[1:]
    entry = next((entry for entry in parsed.entries if entry.recipient == own), None)
    if entry is None:
        raise EnvelopeRejected("notARecipient")
    data_key = unwrap(parsed, entry, shared_address(secret, b"\x04" + entry.ephemeral))
    try:
        payload = AESGCM(payload_key(data_key)).decrypt(parsed.nonce, parsed.sealed_payload, parsed.header)
    except InvalidTag:
        raise EnvelopeRejected("payloadAuthenticationFailed") from None
    return payload, commitment_salt(data_key)


def ecrecover_address(digest: bytes, v: int, r: int, s: int) -> bytes:
    """What the EVM's ecrecover precompile returns (as 20 bytes), computed with libsecp256k1 recovery."""
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big") + bytes([v - 27])
    return address_of(PublicKey.from_signature_and_message(signature, digest, hasher=None).format(compressed=False))


def wrap_proof(envelope: bytes, index: int, ephemeral_secret: bytes) -> dict:
    """What `Arbiter.proveWrap(req, ful, node, input, index, ephemeralSecret)` needs for entry `index`,
    and what the contract computes from it, the way it computes it: E == e·G, address(e·P) with one
    ecrecover (ecrecover(0, 27 + parity(P.y), P.x, e·P.x mod n) = address(e·P)), D' = W XOR KEK, and
    whether keccak256(key label ‖ D') == C, i.e. whether the wrap was good (then the node lied)."""
    parsed = parse(envelope)
    entry = parsed.entries[index]
    e = int.from_bytes(ephemeral_secret, "big")
    if PrivateKey(ephemeral_secret).public_key.format(compressed=False)[1:] != entry.ephemeral:
        raise EnvelopeRejected("ephemeralKeyMismatch")
    px, py = int.from_bytes(entry.recipient[:32], "big"), int.from_bytes(entry.recipient[32:], "big")
    shared = ecrecover_address(bytes(32), 27 + (py & 1), px, (e * px) % SECP256K1_N)
    assert shared == shared_address(ephemeral_secret, b"\x04" + entry.recipient)
    data_key = xor(entry.wrapped, kek(parsed.key_header, shared, entry.ephemeral, entry.recipient))
    return {
        "input": envelope,
        "index": index,
        "ephemeralSecret": e,
        "recipientKey": entry.recipient,
        "recipientAddress": address_of(entry.recipient),
        "sharedAddress": shared,
        "opens": key_commitment(data_key) == parsed.key_commitment,
    }


def output_header(ctx: OutputContext, ephemeral: bytes) -> bytes:
    return OUTPUT_MAGIC + bytes([OUTPUT_VERSION]) + struct.pack(">Q", ctx.chain_id) + ctx.contract + ctx.request_id + ephemeral


def seal_output(output: bytes, requester_key: bytes, ctx: OutputContext, ephemeral_secret: bytes | None = None) -> bytes:
    ephemeral = PrivateKey(ephemeral_secret) if ephemeral_secret else PrivateKey()
    compressed = PublicKey(requester_key).format(compressed=True)
    header = output_header(ctx, ephemeral.public_key.format(compressed=True))
    key, nonce = message_key(ecdh_x(ephemeral.secret, compressed), header, OUTPUT_LABEL + compressed)
    return header + AESGCM(key).encrypt(nonce, output, header)


def open_output(data: bytes, secret: bytes, expected: OutputContext) -> bytes:
    if len(data) < 98 + TAG:
        raise EnvelopeRejected("truncated")
    if data[:4] != OUTPUT_MAGIC:
        raise EnvelopeRejected("badMagic")
    if data[4] != OUTPUT_VERSION:
        raise EnvelopeRejected("unsupportedVersion")
    header = data[:98]
    if header[65] not in (2, 3) or not _on_curve(header[65:98]):
        raise EnvelopeRejected("invalidEphemeralKey")
    (chain_id,) = struct.unpack(">Q", header[5:13])
    if OutputContext(chain_id, header[13:33], header[33:65]) != expected:
        raise EnvelopeRejected("contextMismatch")
    own = PrivateKey(secret).public_key.format(compressed=True)
    key, nonce = message_key(ecdh_x(secret, header[65:98]), header, OUTPUT_LABEL + own)
    try:
        return AESGCM(key).decrypt(nonce, data[98:], header)
    except InvalidTag:
        raise EnvelopeRejected("authenticationFailed") from None
