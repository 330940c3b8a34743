"""The adversarial scenario's cast and rules: fast parameters, the cheater's predictable wrong answers, the nodes.

Nodes 0..3 are honest; node 4 runs the test-only `cloister-adversary` (the normal node with an engine
that is wrong on a known share of inputs) with a larger stake, so that it serves and verifies often and
survives many lost disputes; node 5 is honest but goes offline once registered; node 6, the colluder,
is run by the attackers: it serves and verifies but never votes as a juror (`[duties] jury = false`),
and its operator tops up its stake to try to be drawn as the cheater's verifier. Node 0 reaches the
chain through a public mempool (mempool.py) that a relayer watches. docs/adversarial.md tells the whole
story.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from cloister_chain import view
from eth_utils import keccak

from .accounts import OWNER, RELAYER, make_wallet, operator_account
from .chain import Chain
from .deployment import Deployment, params_names, set_params  # noqa: F401 - the scenarios import them from here
from .mempool import Mempool, Relayer
from .network import SEED, Network, draws_in_force
from .nodes import Node

HONEST = 4
CHEATER, OFFLINE, COLLUDER = HONEST, HONEST + 1, HONEST + 2  # node indexes
# 2 ETH: the colluder survives several absent-juror slashes (absentSlashBps) and stays active, so its
# operator can still top up its stake.
COLLUDER_STAKE = 2 * 10**18
# 1.5 ETH against the honest nodes' 1 ETH: more work for the cheater, while the two parties of a dispute
# still leave most of the stake to draw jurors from (a seat is given up after 8 draws that hit a party).
CHEATER_STAKE = 15 * 10**17
# Every deterministic result is re-executed; windows short enough to pass with one clock jump; a lost
# dispute costs 2 % of the stake, so the cheater stays above the minimum stake for about 20 losses
# (the default 50 % would jail it at its first loss).
PARAMS = {"verifyBps": 10000, "verifyWindowBlocks": 200, "challengeWindow": 600, "jurorWindow": 300,
          "slashBps": 200}
# Honest nodes withdraw their credits early, so that withdrawals show in the final accounting.
HONEST_DUTIES = {"withdraw_above_wei": str(5 * 10**15)}
COLLUDER_DUTIES = {"jury": False}
ACTIVE, JAILED = 1, 3
STATUSES = {0: "unregistered", 1: "active", 2: "exiting", 3: "jailed"}
REASONS = {1: "timeout", 2: "dispute lost", 3: "juror absent", 4: "verifier silent"}


def wrong_for(payload: bytes, share_bps: int) -> bool:
    """Whether the cheater's engine answers `payload` wrongly: the rule `cloister-adversary` applies."""
    return int.from_bytes(keccak(payload)[:2], "big") % 10000 < share_bps


@dataclass
class Cast:
    """The running nodes by role (node ids are set: every node is registered)."""

    honest: list[Node]
    cheater: Node
    offline: Node
    colluder: Node
    relayer: Relayer  # watches node 0's transactions in the mempool
    mempool: Mempool

    @property
    def nodes(self) -> list[Node]:
        return [*self.honest, self.cheater, self.offline, self.colluder]

    @property
    def absentees(self) -> set[int]:
        """Node ids that never vote: the offline node and the colluder."""
        return {self.offline.node_id, self.colluder.node_id}

    @property
    def honest_ids(self) -> set[int]:
        return {n.node_id for n in self.honest}

    def role(self, node_id: int) -> str:
        node = next(n for n in self.nodes if n.node_id == node_id)
        kind = ("cheater" if node is self.cheater else "offline" if node is self.offline
                else "colluder" if node is self.colluder else "honest")
        return f"node {node.index} ({kind}, id {node_id})"


@contextmanager
def cast(net: Network, adversary: Path, wrong_share_bps: int, log: Callable[[str], None]):
    """Registers and starts the seven nodes (the cheater runs `adversary`, the `cloister-adversary` binary;
    node 0 sends through the relayer's mempool); yields a Cast and stops them all on exit."""
    with ExitStack() as stack:
        relayer = Relayer(net.chain.signer(RELAYER), net.deployment)
        mempool = stack.enter_context(Mempool(net.chain.url, relayer))
        nodes = []
        for index in range(HONEST + 3):
            folder = net.state_dir / f"node-{index}"
            wallet = make_wallet(net.cloister, folder, "operator", operator_account(index))
            cheater = index == CHEATER
            program = [adversary, "--wrong-share-bps", wrong_share_bps] if cheater else None
            tables = ({"duties": HONEST_DUTIES} if index < HONEST else
                      {"duties": COLLUDER_DUTIES} if index == COLLUDER else None)
            rpc = {"rpc": [mempool.url]} if index == 0 else None
            node = stack.enter_context(Node(index, net.cloister, net.chain, net.deployment.path, wallet, folder,
                                            SEED, 0, chain_settings=rpc, tables=tables, program=program))
            stake = CHEATER_STAKE if cheater else COLLUDER_STAKE if index == COLLUDER else None
            node.register(net.committee.url, stake)
            kind = ("cheater" if cheater else "goes offline later" if index == OFFLINE else
                    "colluder: never votes" if index == COLLUDER else
                    "honest, through the relayer's mempool" if index == 0 else "honest")
            log(f"node {index}: registered as node id {node.node_id} ({kind}, operator {wallet.address})")
            nodes.append(node)
        draws_in_force(net.chain, log)
        for node in nodes:
            node.start()
        log(f"nodes: {len(nodes)} ready (logs {net.state_dir}/node-*/node.log)")
        yield Cast(nodes[:HONEST], nodes[CHEATER], nodes[OFFLINE], nodes[COLLUDER], relayer, mempool)


def node_status(chain: Chain, deployment: Deployment, node_id: int) -> tuple[int, int]:
    """(stake, status) of a node as the registry holds it."""
    node = view(chain.rpc, deployment.core, "nodes", node_id)
    return node[3], node[4]
