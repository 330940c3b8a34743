"""An independent implementation of docs/privacy.md: the keyed generator, the exact discrete samplers
and the release of MiniLM task outputs, written from the specification with Python integers,
hmac/hashlib and eth-abi (no code shared with the Swift implementation)."""

import hashlib
import hmac
import math

from eth_abi import decode, encode

LN10_Q64 = 42475197918399869020  # ceil(ln 10 * 2**64)
GAUSSIAN_DENOMINATOR = 1 << 16
LIMIT = 1 << 62
SCORE_BOUND = 1_000_000
EMBEDDING_BOUND = 127


class Stream:
    """block(c, i) = HMAC-SHA256(K_r, "cloister/v1/dp-noise/block" || be32(c) || be64(i)), read byte by byte."""

    def __init__(self, request_key: bytes, coordinate: int):
        self.key = request_key
        self.coordinate = coordinate
        self.index = 0
        self.buffer = b""
        self.position = 0

    def byte(self) -> int:
        if self.position == len(self.buffer):
            message = b"cloister/v1/dp-noise/block" + self.coordinate.to_bytes(4, "big") + self.index.to_bytes(8, "big")
            self.buffer = hmac.new(self.key, message, hashlib.sha256).digest()
            self.index += 1
            self.position = 0
        value = self.buffer[self.position]
        self.position += 1
        return value


def request_key(model_key: bytes, task: str, request_id: bytes, input_hash: bytes) -> bytes:
    message = b"cloister/v1/dp-noise/request" + b"\x00" + task.encode() + b"\x00" + request_id + input_hash
    return hmac.new(model_key, message, hashlib.sha256).digest()


class Sampler:
    def __init__(self, stream):
        self.stream = stream

    def uniform(self, n: int) -> int:
        width = (n - 1).bit_length()
        if width == 0:
            return 0
        count = (width + 7) // 8
        while True:
            value = int.from_bytes(bytes(self.stream.byte() for _ in range(count)), "big") & ((1 << width) - 1)
            if value < n:
                return value

    def bernoulli(self, num: int, den: int) -> bool:
        return self.uniform(den) < num

    def bernoulli_exp_at_most_one(self, num: int, den: int) -> bool:
        k = 1
        while self.bernoulli(num, den * k):
            k += 1
        return k % 2 == 1

    def bernoulli_exp(self, num: int, den: int) -> bool:
        quotient, remainder = divmod(num, den)
        for _ in range(quotient):
            if not self.bernoulli_exp_at_most_one(1, 1):
                return False
        return self.bernoulli_exp_at_most_one(remainder, den)

    def laplace(self, s: int, t: int) -> int:
        while True:
            u = self.uniform(t)
            if not self.bernoulli_exp(u, t):
                continue
            v = 0
            while self.bernoulli_exp(1, 1):
                v += 1
            x = u + t * v
            if x >= LIMIT:
                raise OverflowError("sample out of range")
            y = x // s
            negative = self.bernoulli(1, 2)
            if negative and y == 0:
                continue
            return -y if negative else y

    def gaussian(self, a: int, b: int) -> int:
        t = math.isqrt(a // b) + 1
        while True:
            y = self.laplace(1, t)
            difference = abs(y) * b * t - a
            if self.bernoulli_exp(difference * difference, 2 * a * b * t * t):
                return y


def ceil_sqrt(n: int) -> int:
    root = math.isqrt(n)
    return root if root * root == n else root + 1


def calibration(mechanism: str, epsilon_micros: int, sensitivity: int, delta_exponent: int = 0):
    """('laplace', s, t) with scale t/s, or ('gaussian', a, b) with sigma^2 = a/b."""
    if mechanism == "laplace":
        return ("laplace", epsilon_micros, sensitivity * 10**6)
    lq = delta_exponent * LN10_Q64
    epsilon_shifted = -(-(epsilon_micros << 96) // 10**6)
    d = ceil_sqrt(lq << 32) + ceil_sqrt((lq << 32) + epsilon_shifted)
    a = -(-(sensitivity**2 * 10**12 * d * d) // (epsilon_micros**2 << 81))
    return ("gaussian", a, GAUSSIAN_DENOMINATOR)


def noise(cal, stream) -> int:
    sampler = Sampler(stream)
    if cal[0] == "laplace":
        return sampler.laplace(cal[1], cal[2])
    return sampler.gaussian(cal[1], cal[2])


def clamp(value: int, bound: int) -> int:
    return max(-bound, min(bound, value))


def release(output: bytes, task: str, model_key: bytes, request_id: bytes, input_hash: bytes, cal) -> bytes:
    key = request_key(model_key, task, request_id, input_hash)
    draw = lambda c: noise(cal, Stream(key, c))
    if task == "embed":
        (values,) = decode(["bytes"], output)
        signed = [v - 256 if v > 127 else v for v in values]
        noisy = [clamp(v + draw(i), EMBEDDING_BOUND) for i, v in enumerate(signed)]
        return encode(["bytes"], [bytes(v & 0xFF for v in noisy)])
    if task == "similarity":
        (score,) = decode(["int256"], output)
        return encode(["int256"], [clamp(score + draw(0), SCORE_BOUND)])
    if task == "classify":
        _, scores = decode(["uint256", "int256[]"], output)
        noisy = [clamp(s + draw(i), SCORE_BOUND) for i, s in enumerate(scores)]
        best = noisy.index(max(noisy))
        return encode(["uint256", "int256[]"], [best, noisy])
    raise ValueError(task)
