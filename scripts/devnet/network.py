"""The whole dev network in order: chain, contracts, committee, registered and ready nodes.

    with dev_network(state_dir, node_count=2) as net:
        ...  # net.chain, net.deployment, net.nodes
    # every child process is stopped here, nodes first, the chain last
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .accounts import COMMITTEE_MEMBER, MODEL_OWNER, make_wallet, operator_account
from .binary import Cloister
from .chain import Chain, block_ticker, local_chain
from .committee import Committee
from .deployment import Deployment, deploy_network
from .nodes import Node
from .sealed import OwnerKeyService, SealedModel, register_models, seal_models, serve_folder

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
    # the sealed models (issue 18) and the owner's key service, when asked for
    sealed: list[SealedModel] = field(default_factory=list)
    owner: OwnerKeyService | None = None


def draws_in_force(chain: Chain, log: Callable[[str], None] = lambda line: None) -> None:
    """After registrations (or stake changes) up to the head: mines into the next draw epoch, so that
    the new stakes are the ones verifiers and jurors are drawn from (requests see them at once)."""
    head = chain.block_number()
    mined = chain.into_draw_epoch(head)
    log(f"chain: {mined} empty blocks mined (to block {head + mined}), so the stakes as they are now are the "
        "ones verifiers and jurors are drawn from")


@contextmanager
def dev_network(state_dir: Path, node_count: int = 2, confirmations: int = 0, cloister: Cloister | None = None,
                log: Callable[[str], None] = lambda line: None, chain_settings: dict | None = None, sealed: bool = False):
    """Yields a running Network whose files live in `state_dir`; stops every process on exit. `chain_settings`
    goes to every node's `[chain]` table (e.g. `{"ws": ""}`: poll only, no new-heads subscription). With
    `sealed`, a model owner seals MiniLM's weights twice (`scripts/devnet/sealed.py`), registers them in the
    vault, and wraps their keys for the first node only: node 0 starts before the others register, and
    passes the keys on to them."""
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
        sealed_models: list[SealedModel] = []
        owner = None
        if sealed:
            owner_wallet = make_wallet(cloister, state_dir / "model-owner", "owner", MODEL_OWNER)
            sealed_models = seal_models(cloister, state_dir / "model-owner" / "published", owner_wallet.address)
            base_url = stack.enter_context(serve_folder(state_dir / "model-owner" / "published"))
            register_models(chain, deployment, sealed_models, base_url)
            owner = stack.enter_context(OwnerKeyService(cloister, chain, deployment, sealed_models))
            log("model owner: " + ", ".join(f"{m.name} {m.task} model {m.hex_id}" + (" (private)" if m.private else "")
                                            for m in sealed_models) + f" sealed and registered; files at {base_url}")
        nodes = []
        for index, account in enumerate(operators):
            folder = state_dir / f"node-{index}"
            wallet = make_wallet(cloister, folder, "operator", account)
            node = stack.enter_context(Node(index, cloister, chain, deployment.path, wallet, folder, SEED,
                                            confirmations, chain_settings=chain_settings,
                                            sealed=[m.hex_id for m in sealed_models]))
            node.register(committee.url, key_wait_seconds=60 if sealed else None)
            log(f"node {index}: registered as node id {node.node_id} (operator {wallet.address})")
            nodes.append(node)
            if sealed and index == 0:  # the first key holder: it passes the keys on to the nodes after it
                node.start()
                log(f"node 0: ready at {node.url}, holding the sealed models' keys (log {node.child.log_path})")
        if nodes:
            draws_in_force(chain, log)
        for node in nodes:
            if node.child.alive():
                continue
            node.start()
            log(f"node {node.index}: ready at {node.url} (log {node.child.log_path})")
        yield Network(state_dir, cloister, chain, deployment, committee, nodes, confirmations, sealed_models, owner)
