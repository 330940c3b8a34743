"""Dev methods: snapshots, a staged reorg, automine off, time control, account state."""

import pytest

from devchain.client import RPCErrorResponse
from devchain.testing import calldata


def head(rpc) -> int:
    return int(rpc.call("eth_blockNumber"), 16)


def store(slot, amount):
    return calldata("store(uint256,uint256)", ["uint256", "uint256"], [slot, amount])


def test_snapshot_and_revert(rpc, wallets, restore):
    start, balance = head(rpc), rpc.call("eth_getBalance", wallets[1].address)
    snapshot = rpc.call("evm_snapshot")
    wallets[1].transact(to=wallets[2].address, value=10**18)
    assert head(rpc) == start + 1
    assert rpc.call("evm_revert", snapshot) is True
    assert head(rpc) == start
    assert rpc.call("eth_getBalance", wallets[1].address) == balance
    assert rpc.call("evm_revert", snapshot) is False  # used up
    assert rpc.call("evm_revert", "0x999") is False


def test_staged_reorg_replaces_blocks_receipts_and_logs(rpc, wallets, contract, restore):
    fork_point = head(rpc)
    snapshot = rpc.call("evm_snapshot")
    raw = wallets[3].sign(to=contract, data=store(4242, 1), gas=200_000)
    old_hash = rpc.call("eth_sendRawTransaction", raw)
    old_block = rpc.call("eth_getBlockByNumber", hex(fork_point + 1), False)
    window = {"fromBlock": hex(fork_point + 1), "toBlock": "latest", "address": contract}
    assert len(rpc.call("eth_getLogs", window)) == 1

    assert rpc.call("evm_revert", snapshot) is True
    assert head(rpc) == fork_point
    assert rpc.call("eth_getTransactionReceipt", old_hash) is None
    assert rpc.call("eth_getTransactionByHash", old_hash) is None
    assert rpc.call("eth_getBlockByNumber", hex(fork_point + 1), False) is None
    assert rpc.call("eth_getLogs", window) == []

    # The other branch: a different transaction, then more blocks, to a greater height.
    new_receipt = wallets[3].transact(to=contract, data=store(4242, 2), gas=200_000)
    rpc.call("evm_mine")
    rpc.call("evm_mine")
    assert head(rpc) == fork_point + 3
    new_block = rpc.call("eth_getBlockByNumber", hex(fork_point + 1), False)
    assert new_block["hash"] != old_block["hash"]
    assert new_block["parentHash"] == old_block["parentHash"]
    assert new_receipt["blockHash"] == new_block["hash"]
    logs = rpc.call("eth_getLogs", window)
    assert [int(log["data"], 16) for log in logs] == [2]
    assert logs[0]["blockHash"] == new_block["hash"]
    assert rpc.call("eth_getTransactionReceipt", old_hash) is None
    # The orphaned transaction cannot come back on this branch: its nonce is taken.
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("eth_sendRawTransaction", raw)
    assert "nonce too low" in caught.value.message


def test_reorged_transaction_can_be_reincluded(rpc, wallets, restore):
    snapshot = rpc.call("evm_snapshot")
    raw = wallets[4].sign(to=wallets[5].address, value=7, gas=21000)
    tx_hash = rpc.call("eth_sendRawTransaction", raw)
    first_block = rpc.call("eth_getTransactionReceipt", tx_hash)["blockHash"]
    rpc.call("evm_revert", snapshot)
    rpc.call("evm_mine")
    assert rpc.call("eth_sendRawTransaction", raw) == tx_hash
    receipt = rpc.call("eth_getTransactionReceipt", tx_hash)
    assert receipt["blockHash"] != first_block
    assert rpc.call("eth_getTransactionByHash", tx_hash)["blockHash"] == receipt["blockHash"]


def test_automine_off_holds_transactions_until_mined(rpc, wallets, restore):
    wallet, start = wallets[6], head(rpc)
    latest_nonce = wallet.nonce()
    assert rpc.call("evm_setAutomine", False) is True
    assert rpc.call("anvil_getAutomine") is False
    first = wallet.send(to=wallets[7].address, value=1, gas=21000)
    second = wallet.send(to=wallets[7].address, value=2, gas=21000)
    assert head(rpc) == start
    assert wallet.nonce("pending") == latest_nonce + 2 and wallet.nonce() == latest_nonce
    assert rpc.call("eth_getTransactionReceipt", first) is None
    pooled = rpc.call("eth_getTransactionByHash", second)
    assert pooled["blockHash"] is None and pooled["nonce"] == hex(latest_nonce + 1)
    assert rpc.call("eth_getBlockByNumber", "pending", False)["transactions"] == [first, second]
    rpc.call("evm_mine")
    assert head(rpc) == start + 1
    block = rpc.call("eth_getBlockByNumber", "latest", False)
    assert block["transactions"] == [first, second]
    assert rpc.call("eth_getTransactionReceipt", second)["transactionIndex"] == "0x1"


def test_future_nonce_waits_for_the_gap(rpc, wallets, restore):
    wallet, start = wallets[8], head(rpc)
    nonce = wallet.nonce()
    later = wallet.send(to=wallets[0].address, value=1, gas=21000, nonce=nonce + 1)
    assert head(rpc) == start and rpc.call("eth_getTransactionReceipt", later) is None
    wallet.send(to=wallets[0].address, value=1, gas=21000, nonce=nonce)
    assert head(rpc) == start + 2
    assert rpc.call("eth_getTransactionReceipt", later)["status"] == "0x1"


def test_time_control(rpc, restore):
    def timestamp():
        return int(rpc.call("eth_getBlockByNumber", "latest", False)["timestamp"], 16)

    before = timestamp()
    rpc.call("evm_increaseTime", hex(3600))
    rpc.call("evm_mine")
    assert timestamp() >= before + 3600
    target = timestamp() + 10_000
    assert rpc.call("evm_setNextBlockTimestamp", hex(target)) is None
    rpc.call("evm_mine")
    assert timestamp() == target
    rpc.call("evm_mine", hex(target + 50))
    assert timestamp() == target + 50
    rpc.call("evm_mine")
    assert target + 51 <= timestamp() < target + 120  # time continues from the jump
    for method, params in (("evm_setNextBlockTimestamp", [hex(target)]), ("evm_mine", [hex(1)])):
        with pytest.raises(RPCErrorResponse) as caught:
            rpc.call(method, *params)
        assert caught.value.code == -32602


def test_mine_several_blocks(rpc, restore):
    start = head(rpc)
    rpc.call("evm_mine", {"blocks": "0x3"})
    rpc.call("anvil_mine", "0x2")
    assert head(rpc) == start + 5


def test_set_account_state(rpc, contract, restore):
    target = "0x" + "5a" * 20
    rpc.call("anvil_setBalance", target, hex(123 * 10**18))
    assert rpc.call("eth_getBalance", target, "latest") == hex(123 * 10**18)
    rpc.call("anvil_setNonce", target, "0x9")
    assert rpc.call("eth_getTransactionCount", target, "latest") == "0x9"
    rpc.call("anvil_setCode", target, "0x6001600055")
    assert rpc.call("eth_getCode", target, "latest") == "0x6001600055"
    rpc.call("anvil_setStorageAt", contract, "0x0", "0x" + "00" * 31 + "2a")
    assert rpc.call("eth_getStorageAt", contract, "0x0", "latest") == "0x" + "00" * 31 + "2a"


def test_pool_replacement_rules(rpc, wallets, restore):
    wallet = wallets[9]
    rpc.call("evm_setAutomine", False)
    nonce = wallet.nonce()
    cheap = wallet.sign(to=wallets[0].address, value=1, gas=21000, nonce=nonce, max_fee=10 * 10**9, tip=10**9)
    first = rpc.call("eth_sendRawTransaction", cheap)
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("eth_sendRawTransaction", cheap)
    assert caught.value.message == "already known"
    slightly = wallet.sign(to=wallets[0].address, value=2, gas=21000, nonce=nonce, max_fee=10 * 10**9 + 1, tip=10**9 + 1)
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("eth_sendRawTransaction", slightly)
    assert caught.value.message == "replacement transaction underpriced"
    bumped = wallet.sign(to=wallets[0].address, value=3, gas=21000, nonce=nonce, max_fee=12 * 10**9, tip=2 * 10**9)
    second = rpc.call("eth_sendRawTransaction", bumped)
    assert rpc.call("eth_getTransactionByHash", first) is None
    assert rpc.call("evm_setAutomine", True) is True  # turning automine on mines what waits
    assert rpc.call("eth_getTransactionReceipt", second)["status"] == "0x1"
    assert rpc.call("eth_getTransactionReceipt", first) is None


def test_unexecutable_pooled_transactions_are_dropped_at_mining(rpc, wallets, restore):
    wallet = wallets[9]
    rpc.call("evm_setAutomine", False)
    doomed = wallet.send(to=wallets[0].address, value=1, gas=21000)
    follower = wallet.send(to=wallets[0].address, value=1, gas=21000)
    rpc.call("anvil_setBalance", wallet.address, "0x0")  # seals an empty block; the pool stays
    assert rpc.call("eth_getTransactionByHash", doomed)["blockHash"] is None
    rpc.call("evm_mine")
    assert rpc.call("eth_getBlockByNumber", "latest", False)["transactions"] == []
    for tx_hash in (doomed, follower):
        assert rpc.call("eth_getTransactionByHash", tx_hash) is None
