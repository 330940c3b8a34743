"""The attackers' moves against the running nodes: timeout farming, a relayer in the mempool, stake steering
(and, in adversary_griefing, broken envelope wraps and a gas-burning callback).

Three dev accounts play the attackers (accounts.py): the adversarial requester, the relayer, and the
colluder's operator (node 6, which also never votes as a juror). Each move is recorded for
adversary_checks, which judges it from the chain; the attackers' money is their balances, credits and
the colluder's stake, read before the colluder registers and after the run.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cloister_chain import RpcError, Signer, view

from . import DevnetError
from .accounts import ADVERSARY_REQUESTER, RELAYER, operator_account
from .adversary import COLLUDER, wrong_for
from .adversary_griefing import CallbackGas, Envelope
from .adversary_waits import wait
from .binary import TASKS
from .chain import Chain
from .deployment import Deployment
from .settlement import request_tuple
from .traffic import NO_CALLBACK

TOP_UP = 10**18  # each of the colluder's stake top-ups
STEERING_TRIES, MAX_STEERING_REQUESTS = 2, 16
RELAYED = 3  # requests the relayer attacks: one tampered with, then a batch with one item front-run


@dataclass
class Farming:
    """Timeout farming: a deadline below minResponseTime (refused), and a request to the attackers' own
    stopped node, refunded after its deadline."""

    refused: str | None = None  # the revert reason of the short deadline
    request_id: bytes | None = None
    fee: int = 0
    refunded_fee: int = 0  # Refunded.fee
    credited: int = 0  # what the refund credited to the requester
    slashed: int = 0  # Refunded.slashed
    burned: int = 0  # how much ledger.burned grew in the refund


@dataclass
class Steering:
    """(request id, verifier sampled at the block after the fulfilment, verifier after the top-up)."""

    attempts: list[tuple[bytes, int, int]] = field(default_factory=list)
    requests: list[bytes] = field(default_factory=list)

    @property
    def steered(self) -> int:
        return sum(1 for _, before, after in self.attempts if before != after)


@dataclass
class Attacks:
    accounts: dict[str, str]  # role -> address
    start: dict[str, int]  # address -> ETH balance before the attackers' first move (the colluder's registration)
    farming: Farming = field(default_factory=Farming)
    steering: Steering = field(default_factory=Steering)
    relayed: list[bytes] = field(default_factory=list)  # requests sent for the relayer to attack
    envelopes: list[Envelope] = field(default_factory=list)  # confidential requests, broken wraps and the control
    callback: CallbackGas = field(default_factory=CallbackGas)  # the gas-burning callback's requests


def attackers(chain: Chain, deployment: Deployment) -> Attacks:
    """The attackers' accounts and balances, before the colluder registers."""
    accounts = {"requester": chain.signer(ADVERSARY_REQUESTER).address, "relayer": chain.signer(RELAYER).address,
                "colluder": chain.signer(operator_account(COLLUDER)).address}
    start = {a: int(chain.rpc.call("eth_getBalance", a, "latest"), 16) for a in accounts.values()}
    return Attacks(accounts, start)


def request_call(deployment: Deployment, task: str, payload: bytes, deadline: int, recipients: list[int]) -> str:
    return deployment.core.calldata("request", deployment.models[task], payload, NO_CALLBACK, 0, deadline, b"",
                                    recipients)


def send_request(chain: Chain, deployment: Deployment, signer: Signer, task: str, payload: bytes, deadline: int,
                 recipients: list[int]) -> dict:
    """A direct request from `signer`; returns its `Requested` fields."""
    receipt = signer.send_raw(signer.sign(deployment.core.address, request_call(deployment, task, payload, deadline,
                                                                                  recipients), deployment.fee(task)))
    return next(f for name, f in deployment.core.events(receipt) if name == "Requested")


def timeout_farming(stage, attacks: Attacks) -> None:
    """The requester asks for a deadline below minResponseTime (refused before any money moves), then names
    the colluder, stops it, waits out the deadline and refunds: only the fee comes back; the colluder's
    timeout slash is burned."""
    net, colluder, farming = stage.net, stage.actors.colluder, attacks.farming
    chain, deployment = net.chain, net.deployment
    requester = chain.signer(ADVERSARY_REQUESTER)
    minimum = deployment.params()["minResponseTime"]
    short = chain.block_timestamp() + minimum - 1
    try:
        requester.sign(deployment.core.address, request_call(deployment, "classify", b"farm", short, [colluder.node_id]),
                       deployment.fee("classify"))
    except RpcError as error:
        farming.refused = str(error)
    colluder.stop()
    try:
        deadline = chain.block_timestamp() + minimum + 30
        requested = send_request(chain, deployment, requester, "classify", b"farm: sealed for the colluder only",
                                 deadline, [colluder.node_id])
        farming.request_id, farming.fee = requested["id"], requested["fee"]
        if requested["node"] != colluder.node_id:
            raise DevnetError(f"farming: the request naming node {colluder.node_id} went to {requested['node']}")
        chain.advance(deadline - chain.block_timestamp() + 1, 1)
        burned = view(chain.rpc, deployment.core, "burned")
        receipt = requester.transact(deployment.core, "refund", request_tuple(requested))
        events = deployment.core.events(receipt)
        refunded = next(f for name, f in events if name == "Refunded")
        farming.refunded_fee, farming.slashed = refunded["fee"], refunded["slashed"]
        farming.credited = sum(f["amount"] for name, f in events if name == "Credited"
                               and f["account"].lower() == requester.address.lower())
        farming.burned = view(chain.rpc, deployment.core, "burned") - burned
    finally:
        colluder.start(standing=False)  # the farmed timeout slashed it: it may be jailed, and runs anyway
    stage.log(f"timeout farming: a deadline {minimum - 1} s ahead refused ({farming.refused}); a request naming the "
              f"stopped colluder refunded {farming.credited} wei (fee {farming.fee}), its slash of {farming.slashed} "
              f"wei burned; colluder back online")


def relayer_attacks(stage, attacks: Attacks, timeout: float) -> None:
    """The requester sends RELAYED requests to node 0 alone (recipients = [node 0]: sealed inputs nobody else
    may verify, so node 0 answers with signed error results); the relayer, watching node 0's
    transactions in the mempool, tampers with the first and front-runs one item of the batch that follows."""
    net, target = stage.net, stage.actors.honest[0]
    requester = net.chain.signer(ADVERSARY_REQUESTER)
    stage.actors.relayer.requester = requester.address
    deadline = net.chain.block_timestamp() + 3600
    for i in range(RELAYED):
        requested = send_request(net.chain, net.deployment, requester, "classify",
                                 f"relay #{i}: sealed for node {target.node_id} only".encode(), deadline,
                                 [target.node_id])
        attacks.relayed.append(requested["id"])
    done = wait(lambda: not stage.outstanding.unfulfilled(attacks.relayed), timeout,
                report=lambda: stage.events.poll())
    log = stage.actors.relayer.log
    stage.log(f"relayer: {len(log.tampered)} tampered copies of node {target.index}'s results sent "
              f"(statuses {[a.status for a in log.tampered]}), "
              + (f"one batch item front-run (status {log.front_run.status})" if log.front_run else "no batch seen")
              + ("" if done else f"; {len(stage.outstanding.unfulfilled(attacks.relayed))} requests unanswered"))


def stake_steering(stage, attacks: Attacks) -> None:
    """Requests with inputs the cheater gets wrong until STEERING_TRIES of them reach the cheater; for each,
    as soon as blockhash(fulfilledBlock) is known, the colluder's operator tops up its stake, hoping to
    become the result's verifier (the colluder pauses for it, a few seconds of its 200-block window). A
    draw is steered if the sampled verifier changed with the top-up."""
    net, cheater, colluder = stage.net, stage.actors.cheater, stage.actors.colluder
    requester, operator = net.chain.signer(ADVERSARY_REQUESTER), net.chain.signer(operator_account(COLLUDER))
    steering = attacks.steering
    for n in range(MAX_STEERING_REQUESTS):
        if len(steering.attempts) >= STEERING_TRIES:
            break
        task = TASKS[n % len(TASKS)]
        payload = stage.inputs.take(task, lambda p: wrong_for(p, stage.options.wrong_share_bps))
        requested = send_request(net.chain, net.deployment, requester, task, payload,
                                 net.chain.block_timestamp() + 3600, [])
        steering.requests.append(requested["id"])
        if requested["node"] != cheater.node_id:
            continue
        if not wait(lambda: stage.events.poll().first("Fulfilled", requested["id"]) is not None, 60):
            stage.log(f"steering: the cheater did not answer 0x{requested['id'].hex()[:12]}…")
            continue
        fulfilled = stage.events.first("Fulfilled", requested["id"])
        wait(lambda: net.chain.block_number() > fulfilled.block, 10, every=0.1)
        before = stage.outstanding.verifier_at(fulfilled, hex(fulfilled.block + 1))
        top_up(net.chain, net.deployment, colluder, operator, TOP_UP)
        after = stage.outstanding.verifier_at(fulfilled, "latest")
        steering.attempts.append((requested["id"], before, after))
        stage.log(f"steering: colluder +{TOP_UP // 10**18} ETH after the cheater's 0x{requested['id'].hex()[:12]}… "
                  f"(block {fulfilled.block}); verifier {before} before, {after} after")
    stage.await_judged(steering.requests, "steering requests")


def top_up(chain: Chain, deployment: Deployment, node, operator: Signer, amount: int) -> None:
    """`addStake` from the node's operator account, which the running node also sends from: the node is
    stopped for it (its submitter owns the account's nonces and takes the chain's count again at start)."""
    node.stop()
    try:
        if not wait(lambda: len(set(chain.nonces(operator.address))) == 1, 10, every=0.1):
            raise DevnetError(f"top-up: node {node.index}'s transactions still pending after it stopped")
        operator.transact(deployment.core, "addStake", node.node_id, value=amount)
    finally:
        node.start(standing=False)


def attacker_money(chain: Chain, deployment: Deployment, attacks: Attacks, colluder_id: int,
                   wages: int) -> dict[str, int]:
    """Each attacker's gain in wei: balance change + credits held (+ the colluder's stake, which it can take
    back by exiting, less what it paid in as stake) - `wages`, what the colluder's node was paid for
    honest work (fees, verifier fees, slash shares), which is no gain from any attack."""
    gains = {}
    for role, address in attacks.accounts.items():
        balance = int(chain.rpc.call("eth_getBalance", address, "latest"), 16)
        gain = balance - attacks.start[address] + view(chain.rpc, deployment.core, "credits", address)
        if role == "colluder":
            stake = view(chain.rpc, deployment.core, "nodes", colluder_id)[3]
            gain += stake - wages
        gains[role] = gain
    return gains

