# pragma version 0.4.3
"""
@title Checking one recipient's key wrap of an envelope (version 2) on chain
@notice Stateless: given the envelope bytes, a recipient index and the ephemeral secret the requester
        reveals for that recipient's wrap, says whose key the wrap is for and whether it opens to the
        data key the envelope commits to. The arbiter's `proveWrap` uses it; it is a contract of its own
        to keep the arbiter under the 24,576-byte code limit. docs/envelope.md specifies the bytes.
"""

# secp256k1: group order and generator.
SECP_N: constant(uint256) = 115792089237316195423570985008687907852837564279074904382605163141518161494337
GX: constant(uint256) = 55066263022277343669578718895168534326250603453777594175500187360389116729240
GY: constant(uint256) = 32670510020758816978083085130507043184471273380659243275938904335757337482424
WRAP_LABEL: constant(Bytes[25]) = b"cloister/v2/envelope/wrap"
KEY_LABEL: constant(Bytes[24]) = b"cloister/v2/envelope/key"
HEADER: constant(uint256) = 119
ENTRY: constant(uint256) = 160
COMMITMENT_AT: constant(uint256) = 86
COUNT_AT: constant(uint256) = 118
MAX_INPUT: constant(uint256) = 8192


@view
def _mul_address(k: uint256, x: uint256, y: uint256) -> address:
    """@dev address(k·(x, y)) with one ecrecover: ecrecover(0, 27 + parity(y), x, k·x mod n) = k·(x, y)."""
    assert x < SECP_N and k % SECP_N != 0, "wrap: point out of range"
    return ecrecover(empty(bytes32), 27 + y % 2, x, uint256_mulmod(k, x, SECP_N))


@pure
def _point_address(point: Bytes[64]) -> address:
    return convert(convert(slice(keccak256(point), 12, 20), bytes20), address)


@view
@external
def wrapOpens(envelope: Bytes[MAX_INPUT], index: uint256, ephemeralSecret: uint256) -> (address, bool):
    """
    @return (the signer address of recipient `index`'s public key, whether its wrap opens)
    @dev Reverts if the bytes are not an envelope v2 with that recipient, or if `ephemeralSecret` is
         not the secret of the entry's ephemeral key.
    """
    assert len(envelope) > COUNT_AT and convert(slice(envelope, 4, 1), uint256) == 2, "wrap: not an envelope v2"
    count: uint256 = convert(slice(envelope, COUNT_AT, 1), uint256)
    assert index < count and len(envelope) >= HEADER + ENTRY * count, "wrap: no such recipient"
    at: uint256 = HEADER + ENTRY * index
    recipient: Bytes[64] = slice(envelope, at, 64)
    ephemeral: Bytes[64] = slice(envelope, at + 64, 64)
    assert self._mul_address(ephemeralSecret, GX, GY) == self._point_address(ephemeral), "wrap: wrong secret"
    shared: address = self._mul_address(ephemeralSecret, extract32(recipient, 0, output_type=uint256), extract32(recipient, 32, output_type=uint256))
    kek: uint256 = convert(keccak256(concat(WRAP_LABEL, keccak256(slice(envelope, 0, HEADER)), convert(shared, bytes20), ephemeral, recipient)), uint256)
    data_key: uint256 = extract32(envelope, at + 128, output_type=uint256) ^ kek
    opens: bool = keccak256(concat(KEY_LABEL, convert(data_key, bytes32))) == extract32(envelope, COMMITMENT_AT)
    return self._point_address(recipient), opens
