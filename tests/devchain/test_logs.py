"""eth_getLogs filters and block-wide log indexes."""

import pytest
from eth_utils import keccak

from devchain.client import RPCErrorResponse
from devchain.testing import calldata

STORED = "0x" + keccak(text="Stored(address,uint256,uint256)").hex()


def word(value: int) -> str:
    return "0x" + value.to_bytes(32, "big").hex()


def padded(address: str) -> str:
    return "0x" + "00" * 12 + address[2:].lower()


def store(wallet, contract, slot, amount):
    return wallet.send(to=contract, data=calldata("store(uint256,uint256)", ["uint256", "uint256"], [slot, amount]),
                       gas=200_000)


@pytest.fixture(scope="module")
def second_contract(wallets, compiled):
    return wallets[6].transact(data=compiled["bytecode"])["contractAddress"]


@pytest.fixture(scope="module")
def emitted(rpc, wallets, contract, second_contract):
    """Five logs over four blocks: two in one block from different senders and contracts."""
    first = int(rpc.call("eth_blockNumber"), 16) + 1
    store(wallets[5], contract, 1000, 1)
    store(wallets[6], second_contract, 1001, 2)
    rpc.call("evm_setAutomine", False)
    try:
        store(wallets[5], contract, 1002, 3)
        store(wallets[6], second_contract, 1000, 4)
        rpc.call("evm_mine")
    finally:
        rpc.call("evm_setAutomine", True)
    store(wallets[5], second_contract, 1003, 5)
    last = int(rpc.call("eth_blockNumber"), 16)
    return {"from": hex(first), "to": hex(last), "senders": (wallets[5].address, wallets[6].address)}


def slots(logs):
    return [int(log["topics"][2], 16) for log in logs]


def test_range_and_address_filters(rpc, contract, second_contract, emitted):
    window = {"fromBlock": emitted["from"], "toBlock": emitted["to"]}
    assert slots(rpc.call("eth_getLogs", window)) == [1000, 1001, 1002, 1000, 1003]
    assert slots(rpc.call("eth_getLogs", {**window, "address": contract})) == [1000, 1002]
    assert slots(rpc.call("eth_getLogs", {**window, "address": [contract, second_contract]})) == [1000, 1001, 1002, 1000, 1003]
    narrower = {"fromBlock": emitted["from"], "toBlock": hex(int(emitted["from"], 16) + 1)}
    assert slots(rpc.call("eth_getLogs", narrower)) == [1000, 1001]
    assert rpc.call("eth_getLogs", {"fromBlock": hex(10**6), "toBlock": "latest"}) == []


def test_topic_wildcards_and_alternatives(rpc, emitted):
    first_sender, second_sender = emitted["senders"]
    window = {"fromBlock": emitted["from"], "toBlock": emitted["to"]}
    by_sender = rpc.call("eth_getLogs", {**window, "topics": [STORED, padded(second_sender)]})
    assert slots(by_sender) == [1001, 1000]
    by_slot = rpc.call("eth_getLogs", {**window, "topics": [None, None, word(1000)]})
    assert slots(by_slot) == [1000, 1000]
    either = rpc.call("eth_getLogs", {**window, "topics": [[STORED, "0x" + "00" * 32], None, [word(1002), word(1003)]]})
    assert slots(either) == [1002, 1003]
    assert rpc.call("eth_getLogs", {**window, "topics": ["0x" + "00" * 32]}) == []
    assert rpc.call("eth_getLogs", {**window, "topics": [None, None, None, None]}) == []  # only 3 topics


def test_log_index_counts_across_the_block(rpc, emitted):
    logs = rpc.call("eth_getLogs", {"fromBlock": emitted["from"], "toBlock": emitted["to"]})
    shared_block = [log for log in logs if log["blockNumber"] == logs[2]["blockNumber"]]
    assert [log["logIndex"] for log in shared_block] == ["0x0", "0x1"]
    assert [log["transactionIndex"] for log in shared_block] == ["0x0", "0x1"]
    receipt = rpc.call("eth_getTransactionReceipt", shared_block[1]["transactionHash"])
    assert receipt["logs"][0]["logIndex"] == "0x1"
    assert receipt["cumulativeGasUsed"] != receipt["gasUsed"]


def test_block_hash_filter(rpc, emitted, contract):
    logs = rpc.call("eth_getLogs", {"fromBlock": emitted["from"], "toBlock": emitted["to"]})
    block_hash = logs[2]["blockHash"]
    in_block = rpc.call("eth_getLogs", {"blockHash": block_hash})
    assert slots(in_block) == [1002, 1000]
    assert slots(rpc.call("eth_getLogs", {"blockHash": block_hash, "address": contract})) == [1002]
    for bad in ({"blockHash": block_hash, "fromBlock": "0x1"}, {"fromBlock": emitted["to"], "toBlock": emitted["from"]},
                {"address": "0x12"}, {"topics": [["0x12"]]}, {"topics": [None] * 5}):
        with pytest.raises(RPCErrorResponse) as caught:
            rpc.call("eth_getLogs", bad)
        assert caught.value.code == -32602, bad
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("eth_getLogs", {"blockHash": "0x" + "ee" * 32})
    assert caught.value.code == -32000
