"""The whole dev network in order: chain, contracts, committee, registered and ready nodes.

    with dev_network(state_dir, node_count=2) as net:
        ...  # net.chain, net.deployment, net.nodes
    # every child process is stopped here, nodes first, the chain last
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from .accounts import COMMITTEE_MEMBER, make_wallet, operator_account
from .binary import Cloister
from .chain import Chain, block_ticker, local_chain
from .committee import Committee
from .deployment import Deployment, deploy_network
from .nodes import Node

SEED = "cloister-dev"  # the simulated TEE's seed: the committee's and every node's; `cloister`'s default (--simulation-seed, enclave.simulation_seed)


@dataclass
class Network:
    state_dir: Path
    cloister: Cloister
    chain: Chain
    deployment: Deployment
    committee: Committee
    nodes: list[Node]
    confirmations: int


def draws_in_force(chain: Chain, log: Callable[[str], None] = lambda line: None) -> None:
    """After registrations (or stake changes) up to the head: mines into the next draw epoch, so that
    the new stakes are the ones verifiers and jurors are drawn from (requests see them at once)."""
    head = chain.block_number()
    mined = chain.into_draw_epoch(head)
    log(f"chain: {mined} empty blocks mined (to block {head + mined}), so the stakes as they are now are the "
        "ones verifiers and jurors are drawn from")


@contextmanager
def dev_network(state_dir: Path, node_count: int = 2, confirmations: int = 0, cloister: Cloister | None = None,
                log: Callable[[str], None] = lambda line: None, chain_settings: dict | None = None):
    """Yields a running Network whose files live in `state_dir`; stops every process on exit. `chain_settings`
    goes to every node's `[chain]` table (e.g. `{"ws": ""}`: poll only, no new-heads subscription)."""
    cloister = cloister or Cloister()
    cloister.check()
    operators = [operator_account(i) for i in range(node_count)]  # refuses too many nodes before anything starts
    state_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        chain = stack.enter_context(local_chain())
        log(f"chain: {chain.url} (chain id {chain.chain_id}), new heads at {chain.ws_url}")
        if confirmations:
            stack.enter_context(block_ticker(chain))
            log("chain: an empty block every second, so that requests get buried")
        models = cloister.model_ids()
        workload = cloister.workload_id(SEED, chain.chain_id)
        member = make_wallet(cloister, state_dir / "committee", "member", COMMITTEE_MEMBER)
        deployment = deploy_network(chain, models, workload, member.address, state_dir / "deployment.json")
        log(f"contracts: Cloister {deployment.core.address}, consumer {deployment.consumer.address}; "
            f"record {deployment.path}")
        committee = stack.enter_context(Committee(cloister, deployment.path, member, SEED, state_dir / "committee"))
        log(f"committee: {committee.url} (member {member.address})")
        nodes = []
        for index, account in enumerate(operators):
            folder = state_dir / f"node-{index}"
            wallet = make_wallet(cloister, folder, "operator", account)
            node = stack.enter_context(Node(index, cloister, chain, deployment.path, wallet, folder, SEED,
                                            confirmations, chain_settings=chain_settings))
            node.register(committee.url)
            log(f"node {index}: registered as node id {node.node_id} (operator {wallet.address})")
            nodes.append(node)
        if nodes:
            draws_in_force(chain, log)
        for node in nodes:
            node.start()
            log(f"node {node.index}: ready at {node.url} (log {node.child.log_path})")
        yield Network(state_dir, cloister, chain, deployment, committee, nodes, confirmations)
