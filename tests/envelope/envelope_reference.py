"""Independent Python implementation of Cloister's confidential-request formats (docs/envelope.md).

It shares no code with the Swift `Enclave` module: secp256k1 comes from `coincurve` (the ECDH x
coordinate is computed as a point multiplication, not with libsecp256k1's ECDH module), HKDF-SHA256 and
AES-256-GCM from `cryptography` (OpenSSL, where Swift uses swift-crypto's BoringSSL), Keccak-256 from
`pycryptodome`. Written from the specification in docs/envelope.md, it is what the Swift code is
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
VERSION = 1
WRAP_LABEL = b"cloister/v1/envelope/wrap"
PAYLOAD_LABEL = b"cloister/v1/envelope/payload"
SALT_LABEL = b"cloister/v1/commitment-salt"
OUTPUT_LABEL = b"cloister/v1/output"
KEY_SCHEDULE_HEADER = 119  # magic .. ephemeral key
ENTRY = 68  # address 20 + wrapped key 32 + tag 16
TAG = 16
NONCE = 12
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


def address_of(public_key: bytes) -> bytes:
    """The Ethereum address of a compressed or uncompressed public key."""
    uncompressed = PublicKey(public_key).format(compressed=False)
    return keccak256(uncompressed[1:])[12:]


def ecdh_x(secret: bytes, peer: bytes) -> bytes:
    """x coordinate of secret * peer, by point multiplication."""
    return PublicKey(peer).multiply(secret).format(compressed=True)[1:]


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


def key_schedule_header(ctx: Context, ephemeral: bytes) -> bytes:
    return (ENVELOPE_MAGIC + bytes([VERSION]) + struct.pack(">Q", ctx.chain_id) + ctx.contract
            + ctx.requester + ctx.output_key + ephemeral)


def seal(payload: bytes, recipients: list[bytes], ctx: Context, data_key: bytes | None = None,
         ephemeral_secret: bytes | None = None, nonce: bytes | None = None) -> bytes:
    """Builds an envelope; recipients are enclave public keys (any encoding)."""
    data_key = data_key or os.urandom(32)
    ephemeral = PrivateKey(ephemeral_secret) if ephemeral_secret else PrivateKey()
    nonce = nonce or os.urandom(NONCE)
    ephemeral_public = ephemeral.public_key.format(compressed=True)
    salt = key_schedule_header(ctx, ephemeral_public)
    header = salt + bytes([len(recipients)])
    for recipient in recipients:
        compressed = PublicKey(recipient).format(compressed=True)
        key, wrap_nonce = message_key(ecdh_x(ephemeral.secret, compressed), salt, WRAP_LABEL + compressed)
        header += address_of(compressed) + AESGCM(key).encrypt(wrap_nonce, data_key, b"")
    sealed = AESGCM(payload_key(data_key)).encrypt(nonce, payload, header)
    return header + nonce + struct.pack(">I", len(payload)) + sealed


@dataclass(frozen=True)
class ParsedEnvelope:
    context: Context
    ephemeral: bytes
    entries: list[tuple[bytes, bytes]]  # (address, wrapped key with tag)
    header: bytes
    nonce: bytes
    sealed_payload: bytes  # ciphertext ‖ tag


def parse(data: bytes, max_recipients: int = DEFAULT_MAX_RECIPIENTS,
          max_payload: int = DEFAULT_MAX_PAYLOAD) -> ParsedEnvelope:
    if len(data) < 4:
        raise EnvelopeRejected("truncated")
    if data[:4] != ENVELOPE_MAGIC:
        raise EnvelopeRejected("badMagic")
    if len(data) >= 5 and data[4] != VERSION:
        raise EnvelopeRejected("unsupportedVersion")
    if len(data) < KEY_SCHEDULE_HEADER + 1:
        raise EnvelopeRejected("truncated")
    (chain_id,) = struct.unpack(">Q", data[5:13])
    ctx = Context(chain_id, data[13:33], data[33:53], data[53:86])
    ephemeral = data[86:119]
    count = data[119]
    if count == 0:
        raise EnvelopeRejected("noRecipients")
    if count > max_recipients:
        raise EnvelopeRejected("tooManyRecipients")
    length_at = 120 + count * ENTRY + NONCE
    if len(data) < length_at + 4 + TAG:
        raise EnvelopeRejected("truncated")
    (length,) = struct.unpack(">I", data[length_at:length_at + 4])
    if length > max_payload:
        raise EnvelopeRejected("payloadTooLarge")
    if len(data) != length_at + 4 + length + TAG:
        raise EnvelopeRejected("truncated" if len(data) < length_at + 4 + length + TAG else "trailingBytes")
    for key, field in ((ctx.output_key, "outputKey"), (ephemeral, "ephemeralKey")):
        if key[0] not in (2, 3) or not _on_curve(key):
            raise EnvelopeRejected("invalidPublicKey." + field)
    entries = [(data[120 + i * ENTRY:140 + i * ENTRY], data[140 + i * ENTRY:188 + i * ENTRY]) for i in range(count)]
    if len({address for address, _ in entries}) != count:
        raise EnvelopeRejected("duplicateRecipient")
    header_end = 120 + count * ENTRY
    return ParsedEnvelope(ctx, ephemeral, entries, data[:header_end], data[header_end:header_end + NONCE],
                          data[length_at + 4:])


def _on_curve(compressed: bytes) -> bool:
    try:
        PublicKey(compressed)
        return True
    except ValueError:
        return False


def open_envelope(data: bytes, secret: bytes, expected: Context) -> tuple[bytes, bytes]:
    """Returns (payload, commitment salt) for the recipient holding `secret`."""
    parsed = parse(data)
    for field in ("chain_id", "contract", "requester", "output_key"):
        if getattr(parsed.context, field) != getattr(expected, field):
            raise EnvelopeRejected("contextMismatch." + field)
    own = PrivateKey(secret).public_key.format(compressed=True)
    wrapped = dict(parsed.entries).get(address_of(own))
    if wrapped is None:
        raise EnvelopeRejected("notARecipient")
    key, wrap_nonce = message_key(ecdh_x(secret, parsed.ephemeral), parsed.header[:KEY_SCHEDULE_HEADER],
                                  WRAP_LABEL + own)
    try:
        data_key = AESGCM(key).decrypt(wrap_nonce, wrapped, b"")
    except InvalidTag:
        raise EnvelopeRejected("keyUnwrapFailed") from None
    try:
        payload = AESGCM(payload_key(data_key)).decrypt(parsed.nonce, parsed.sealed_payload, parsed.header)
    except InvalidTag:
        raise EnvelopeRejected("payloadAuthenticationFailed") from None
    return payload, commitment_salt(data_key)


def output_header(ctx: OutputContext, ephemeral: bytes) -> bytes:
    return OUTPUT_MAGIC + bytes([VERSION]) + struct.pack(">Q", ctx.chain_id) + ctx.contract + ctx.request_id + ephemeral


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
    if data[4] != VERSION:
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
