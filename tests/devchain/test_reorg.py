"""devchain_reorg: a longer branch replaces the last blocks; orphaned transactions are dropped or put back
(docs/devchain.md, "Reorganisations"). Also txpool_content, which shows what waits in the pool."""

import pytest

from devchain.client import RPCErrorResponse
from devchain.testing import calldata


def head(rpc) -> int:
    return int(rpc.call("eth_blockNumber"), 16)


def block(rpc, number: int) -> dict:
    return rpc.call("eth_getBlockByNumber", hex(number), False)


def store(slot, amount):
    return calldata("store(uint256,uint256)", ["uint256", "uint256"], [slot, amount])


def logs(rpc, contract, from_block: int) -> list[dict]:
    return rpc.call("eth_getLogs", {"fromBlock": hex(from_block), "toBlock": "latest", "address": contract})


def test_drop_forgets_the_orphaned_transactions(rpc, wallets, contract, restore):
    wallet, fork_point = wallets[3], head(rpc)
    nonce = wallet.nonce()
    first = wallet.send(to=contract, data=store(5151, 1), gas=200_000)
    second = wallet.send(to=contract, data=store(5151, 2), gas=200_000)
    rpc.call("evm_mine")  # an empty block on top: depth 3 orphans all three
    old = [block(rpc, n) for n in range(fork_point + 1, fork_point + 4)]
    assert len(logs(rpc, contract, fork_point + 1)) == 2

    done = rpc.call("devchain_reorg", {"depth": "0x3"})

    assert done["forkPoint"] == hex(fork_point)
    assert done["orphanedBlocks"] == [b["hash"] for b in old]
    assert done["orphanedTransactions"] == [first, second] == done["dropped"]
    assert done["reinjected"] == []
    assert head(rpc) == fork_point + 4  # depth + 1 blocks by default
    new = [block(rpc, n) for n in range(fork_point + 1, fork_point + 5)]
    assert [b["hash"] for b in new] == done["newBlocks"]
    assert not {b["hash"] for b in new} & {b["hash"] for b in old}
    assert new[0]["parentHash"] == block(rpc, fork_point)["hash"]
    assert all(b["transactions"] == [] for b in new)
    assert int(new[0]["timestamp"], 16) > int(old[-1]["timestamp"], 16)  # time moves forward for a reader
    for tx in (first, second):
        assert rpc.call("eth_getTransactionReceipt", tx) is None
        assert rpc.call("eth_getTransactionByHash", tx) is None
    assert wallet.nonce() == wallet.nonce("pending") == nonce
    assert logs(rpc, contract, fork_point + 1) == []
    assert rpc.call("eth_getBlockByHash", old[0]["hash"], False)["hash"] == old[0]["hash"]  # but is kept, as geth
    rpc.call("evm_mine")
    assert rpc.call("eth_getTransactionReceipt", first) is None  # it does not come back by itself


def test_reinject_mines_the_orphaned_transactions_again_on_the_new_branch(rpc, wallets, contract, restore):
    wallet, fork_point = wallets[4], head(rpc)
    nonce = wallet.nonce()
    tx = wallet.send(to=contract, data=store(5252, 7), gas=200_000)
    old = block(rpc, fork_point + 1)

    done = rpc.call("devchain_reorg", {"depth": 1, "reinject": True})

    assert done["orphanedTransactions"] == [tx] == done["reinjected"] and done["dropped"] == []
    receipt = rpc.call("eth_getTransactionReceipt", tx)
    assert receipt is not None and receipt["status"] == "0x1"
    assert receipt["blockHash"] not in (old["hash"], *done["newBlocks"])
    assert int(receipt["blockNumber"], 16) == fork_point + 3  # after the two new blocks, under automine
    assert wallet.nonce() == nonce + 1
    found = logs(rpc, contract, fork_point + 1)
    assert [(entry["blockHash"], entry["transactionHash"]) for entry in found] == [(receipt["blockHash"], tx)]
    assert block(rpc, fork_point + 3)["transactions"] == [tx]
    assert rpc.call("eth_getTransactionByHash", tx)["blockHash"] == receipt["blockHash"]


def test_reinject_with_automine_off_puts_them_back_in_the_pool(rpc, wallets, restore):
    wallet, fork_point = wallets[5], head(rpc)
    mined = wallet.send(to=wallets[6].address, value=1, gas=21000)
    assert rpc.call("evm_setAutomine", False) is True
    pooled = wallet.send(to=wallets[6].address, value=2, gas=21000)

    done = rpc.call("devchain_reorg", {"depth": 1, "blocks": 3, "reinject": True})

    assert done["reinjected"] == [mined, pooled] and head(rpc) == fork_point + 3
    content = rpc.call("txpool_content")
    waiting = content["pending"][wallet.address.lower()]
    assert [waiting[n]["hash"] for n in sorted(waiting, key=int)] == [mined, pooled]
    assert content["queued"] == {}
    assert rpc.call("txpool_status") == {"pending": "0x2", "queued": "0x0"}
    rpc.call("evm_mine")
    assert block(rpc, fork_point + 4)["transactions"] == [mined, pooled]
    assert rpc.call("txpool_content") == {"pending": {}, "queued": {}}


def test_drop_also_empties_the_pool(rpc, wallets, restore):
    """Whatever was sent after the fork point is forgotten, mined or not (a transaction of the pool would
    otherwise wait forever behind the dropped nonces)."""
    wallet, fork_point = wallets[7], head(rpc)
    nonce = wallet.nonce()
    wallet.send(to=wallets[8].address, value=1, gas=21000)
    assert rpc.call("evm_setAutomine", False) is True
    pooled = wallet.send(to=wallets[8].address, value=2, gas=21000)
    done = rpc.call("devchain_reorg", "0x1")
    assert pooled in done["dropped"] and rpc.call("txpool_content") == {"pending": {}, "queued": {}}
    assert rpc.call("eth_getTransactionByHash", pooled) is None
    assert wallet.nonce("pending") == nonce and head(rpc) == fork_point + 2


def test_queued_transactions_show_in_txpool_content(rpc, wallets, restore):
    wallet = wallets[8]
    nonce = wallet.nonce()
    later = wallet.send(to=wallets[0].address, value=1, gas=21000, nonce=nonce + 2)
    content = rpc.call("txpool_content")
    assert content["queued"][wallet.address.lower()][str(nonce + 2)]["hash"] == later
    assert wallet.nonce("pending") == nonce  # a gap: the pending count does not see it


def test_snapshots_above_the_fork_point_are_used_up(rpc, wallets, restore):
    below = rpc.call("evm_snapshot")
    wallets[2].send(to=wallets[1].address, value=1, gas=21000)
    above = rpc.call("evm_snapshot")
    wallets[2].send(to=wallets[1].address, value=1, gas=21000)
    rpc.call("devchain_reorg", 2)
    assert rpc.call("evm_revert", above) is False
    assert rpc.call("evm_revert", below) is True


@pytest.mark.parametrize("params, words", [
    (["0x0"], "depth"),
    ([{"depth": "0x100"}], "depth"),
    ([{"depth": 2, "blocks": 2}], "longer"),
    ([{"depth": 1, "sideways": True}], "unknown"),
    ([{}], "depth is required"),
])
def test_bad_reorg_parameters(rpc, params, words):
    before = block(rpc, head(rpc))["hash"]
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("devchain_reorg", *params)
    assert caught.value.code == -32602 and words in caught.value.message
    assert block(rpc, head(rpc))["hash"] == before


def test_deeper_than_the_chain_is_refused(rpc):
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("devchain_reorg", head(rpc) + 1)
    assert caught.value.code == -32602
