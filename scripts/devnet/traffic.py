"""Requests for the dev network: realistic texts in each task's canonical input, and a few malformed ones.

Half of the requests go through the example consumer (`ZeroShotClassifier.ask`, classify, with a
callback), half straight to `Cloister.request` from a dev account (every task, no callback).
"""
from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import eth_abi
from cloister_chain import view

from . import DevnetError
from .accounts import CONSUMER_USER, DIRECT_REQUESTER
from .binary import TASKS
from .chain import Chain
from .deployment import Deployment

NO_CALLBACK = "0x" + "00" * 20
ANSWER_WITHIN = 3600  # seconds: the requests' deadline, ahead of the latest block

TEXTS = [
    "The central bank raised interest rates by half a point to fight inflation.",
    "Our team won the championship after a dramatic penalty shootout.",
    "The new phone's battery lasts two full days on a single charge.",
    "Parliament passed the budget after a late-night vote.",
    "I waited forty minutes and the food arrived cold. Never again.",
    "The hotel staff were friendly and the room was spotless.",
    "Researchers found a new species of frog in the Andes.",
    "The update broke the login page; users cannot sign in since this morning.",
    "Please add a dark mode to the mobile app.",
    "I was charged twice for the same order last week.",
    "Heavy rain is expected across the north of the country on Sunday.",
    "The museum reopens next month with an exhibition of early photography.",
    "Shares of the chipmaker fell eight percent after weak guidance.",
    "The striker signed a three-year contract with the club.",
    "A firmware bug makes the thermostat reboot every hour.",
    "The recipe needs two eggs, flour, sugar and a pinch of salt.",
    "Your parcel is waiting: confirm your card details at this link to release it.",
    "The council approved a new cycle lane along the river.",
    "This novel is a slow start but the last hundred pages are brilliant.",
    "Quantum computers could one day break today's public-key cryptography.",
]
QUESTIONS = [  # for the embedded LLM: generate answers them, score weighs "yes" against "no"
    "Is the Pacific the largest ocean on Earth?",
    "Should a recipe with two eggs be called vegan?",
    "Is a refund due when an order arrives broken?",
    "Does the message 'confirm your card details at this link' look like phishing?",
    "Is twelve greater than twenty?",
]
GENERATE_TOKENS = 24  # generate's cap in the dev network's requests: short answers, a fast demo
LABEL_SETS = [
    ["finance", "sport", "politics", "technology", "science", "culture"],
    ["positive", "negative", "neutral"],
    ["bug report", "feature request", "billing", "other"],
    ["phishing", "legitimate"],
]


@dataclass(frozen=True)
class Planned:
    """One request to send: its task, its input bytes, how it is sent, and whether it is malformed on purpose."""

    task: str
    payload: bytes
    via: str  # "consumer" (ask, with a callback) or "direct" (Cloister.request)
    malformed: bool = False


@dataclass(frozen=True)
class Sent:
    id: bytes
    planned: Planned
    receipt_at: float  # time.monotonic() when the request's receipt arrived
    block: int


def canonical_input(task: str, rng: random.Random) -> bytes:
    text = rng.choice(TEXTS)
    if task == "embed":
        return eth_abi.encode(["string"], [text])
    if task == "similarity":
        return eth_abi.encode(["string", "string"], [text, rng.choice(TEXTS)])
    if task == "generate":
        return eth_abi.encode(["string", "uint256", "string[]"], [rng.choice(QUESTIONS), GENERATE_TOKENS, []])
    if task == "score":
        return eth_abi.encode(["string", "string[]"], [rng.choice(QUESTIONS), ["yes", "no"]])
    return eth_abi.encode(["string", "string[]"], [text, rng.choice(LABEL_SETS)])


def plan(count: int, malformed: int = 2, seed: int = 1, tasks: tuple[str, ...] = TASKS) -> list[Planned]:
    """`count` requests alternating consumer and direct (direct ones cycle through `tasks`); `malformed`
    of them, spread over the run, are deliberately invalid, in turn random bytes as a direct classify
    input and a consumer question with no labels."""
    rng = random.Random(seed)
    broken = {round((k + 1) * count / (malformed + 1)): k for k in range(min(malformed, count))}
    plans = []
    for i in range(count):
        if i in broken and broken[i] % 2 == 0:
            plans.append(Planned("classify", rng.randbytes(rng.randint(1, 200)), "direct", malformed=True))
        elif i in broken:
            question = eth_abi.encode(["string", "string[]"], [rng.choice(TEXTS), []])
            plans.append(Planned("classify", question, "consumer", malformed=True))
        elif i % 2 == 0:
            plans.append(Planned("classify", canonical_input("classify", rng), "consumer"))
        else:
            task = tasks[(i // 2) % len(tasks)]
            plans.append(Planned(task, canonical_input(task, rng), "direct"))
    return plans


class Sender:
    """Sends planned requests, one transaction at a time, from two dev accounts."""

    def __init__(self, chain: Chain, deployment: Deployment):
        self.chain = chain
        self.deployment = deployment
        self.direct = chain.signer(DIRECT_REQUESTER)
        self.user = chain.signer(CONSUMER_USER)
        # the consumer's callback gas is paid on top of the model fee (ZeroShotClassifier.fee())
        self.consumer_fee = view(chain.rpc, deployment.consumer, "fee")

    def signer(self, planned: Planned):
        return self.user if planned.via == "consumer" else self.direct

    def sign(self, planned: Planned, nonce: int | None = None) -> str:
        """The request's signed transaction (raw hex, not sent), priced and with `nonce`, by default the
        nonce for the pending state."""
        d = self.deployment
        fee = d.fee(planned.task)
        if planned.via == "consumer":
            return self.user.sign(d.consumer.address, d.consumer.calldata("ask", planned.payload, ANSWER_WITHIN),
                                  self.consumer_fee, nonce=nonce)
        deadline = self.chain.block_timestamp() + ANSWER_WITHIN
        return self.direct.sign(d.core.address, d.core.calldata("request", d.models[planned.task], planned.payload,
                                                                NO_CALLBACK, 0, deadline, b"", []), fee, nonce=nonce)

    def sign_burst(self, plans: list[Planned]) -> list[str]:
        """Every request's transaction signed beforehand, each sender's with consecutive nonces from its
        pending nonce, so that they can be sent together."""
        nonces: dict[str, int] = {}
        raws = []
        for planned in plans:
            signer = self.signer(planned)
            nonce = nonces.get(signer.address)
            if nonce is None:
                nonce = signer.nonce()
            raws.append(self.sign(planned, nonce))
            nonces[signer.address] = nonce + 1
        return raws

    def send(self, planned: Planned) -> Sent:
        receipt = self.direct.send_raw(self.sign(planned))
        return self.sent(planned, receipt, time.monotonic())

    def sent(self, planned: Planned, receipt: dict, receipt_at: float) -> Sent:
        """The Sent record of a mined request transaction (its `Requested` event gives the id)."""
        event = next(fields for name, fields in self.deployment.core.events(receipt) if name == "Requested")
        return Sent(event["id"], planned, receipt_at, int(receipt["blockNumber"], 16))


class TrafficThread(threading.Thread):
    """Sends every planned request in the background, `interval` seconds apart; `on_sent` sees each one, and
    `before_send(number)` (1-based) may hold the traffic back until something has happened. `join()` re-raises
    what stopped it."""

    def __init__(self, sender: Sender, plans: list[Planned], on_sent: Callable[[Sent], None], interval: float = 0.0,
                 before_send: Callable[[int], None] | None = None):
        super().__init__(name="traffic", daemon=True)
        self.sender, self.plans, self.on_sent, self.interval = sender, plans, on_sent, interval
        self.before_send = before_send
        self.sent: list[Sent] = []
        self.error: BaseException | None = None
        self.stopping = threading.Event()

    def run(self) -> None:
        for number, planned in enumerate(self.plans, 1):
            if self.stopping.is_set():
                return
            try:
                if self.before_send is not None:
                    self.before_send(number)
                sent = self.sender.send(planned)
            except Exception as error:  # handed to join() in the main thread
                self.error = DevnetError(f"traffic: request {number} ({planned.task}, {planned.via}): {error}")
                return
            self.sent.append(sent)
            self.on_sent(sent)
            if self.interval:
                self.stopping.wait(self.interval)

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if self.error is not None:
            raise self.error
