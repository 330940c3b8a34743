"""Shared fixtures: one devchain server per session, a tiny Vyper contract, eth-account signing."""

import pytest
import vyper

from devchain.client import RPCClient
from devchain.testing import Wallet, running_devchain

CONTRACT_SOURCE = """
# pragma version 0.4.3
event Stored:
    sender: indexed(address)
    slot: indexed(uint256)
    value: uint256

values: public(HashMap[uint256, uint256])

@external
def store(slot: uint256, amount: uint256):
    assert amount != 13, "unlucky value"
    self.values[slot] = amount
    log Stored(sender=msg.sender, slot=slot, value=amount)

@external
@view
def chain_id() -> uint256:
    return chain.id

@external
@view
def caller_balance() -> uint256:
    return msg.sender.balance
"""


@pytest.fixture(scope="session")
def compiled():
    output = vyper.compile_code(CONTRACT_SOURCE, output_formats=["bytecode", "abi"])
    return output


@pytest.fixture(scope="session")
def node():
    with running_devchain() as running:
        yield running


@pytest.fixture(scope="session")
def rpc(node) -> RPCClient:
    return node.client


@pytest.fixture(scope="session")
def wallets(node, rpc) -> list[Wallet]:
    return [Wallet(rpc, account.private_key, node.chain_id) for account in node.accounts]


@pytest.fixture(scope="session")
def contract(wallets, compiled) -> str:
    receipt = wallets[0].transact(data=compiled["bytecode"])
    assert receipt["status"] == "0x1"
    return receipt["contractAddress"]


@pytest.fixture
def restore(rpc, contract):
    """Reverts the shared chain to how the test found it (automine back on).

    Depends on `contract` so the session's contract is deployed before the snapshot, never inside it.
    """
    snapshot = rpc.call("evm_snapshot")
    yield
    rpc.call("evm_setAutomine", True)
    assert rpc.call("evm_revert", snapshot) is True
