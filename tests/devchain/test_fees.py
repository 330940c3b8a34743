"""Fee methods: eth_feeHistory as geth defines it, gas price suggestions."""

import pytest

from devchain.client import RPCErrorResponse
from devchain.testing import calldata

GWEI = 10**9


def test_fee_history_window_and_base_fees(rpc, wallets):
    for _ in range(3):
        wallets[1].transact(to=wallets[2].address, value=1)
    newest = int(rpc.call("eth_blockNumber"), 16)
    history = rpc.call("eth_feeHistory", "0x3", hex(newest), [])
    assert history["oldestBlock"] == hex(newest - 2)
    blocks = [rpc.call("eth_getBlockByNumber", hex(n), False) for n in range(newest - 2, newest + 1)]
    assert history["baseFeePerGas"][:3] == [b["baseFeePerGas"] for b in blocks]
    assert history["gasUsedRatio"] == [int(b["gasUsed"], 16) / int(b["gasLimit"], 16) for b in blocks]
    assert len(history["baseFeePerGas"]) == 4 and "reward" not in history
    rpc.call("evm_mine")  # the extra entry is the next block's base fee
    assert rpc.call("eth_getBlockByNumber", hex(newest + 1), False)["baseFeePerGas"] == history["baseFeePerGas"][3]
    whole = rpc.call("eth_feeHistory", hex(newest + 500), "latest", None)
    assert whole["oldestBlock"] == "0x0" and len(whole["gasUsedRatio"]) == newest + 2
    assert rpc.call("eth_feeHistory", 2, "latest")["oldestBlock"] == hex(newest)  # a JSON number works too


def test_fee_history_rewards_are_gas_weighted_tip_percentiles(rpc, wallets, contract, restore):
    rpc.call("evm_setAutomine", False)
    big_fee = 100 * GWEI
    small = wallets[3].send(to=wallets[4].address, value=1, gas=21000, tip=1 * GWEI, max_fee=big_fee)
    heavy = wallets[4].send(to=contract, gas=200_000, tip=3 * GWEI, max_fee=big_fee,
                            data=calldata("store(uint256,uint256)", ["uint256", "uint256"], [31337, 1]))
    middle = wallets[5].send(to=wallets[4].address, value=1, gas=21000, tip=2 * GWEI, max_fee=big_fee)
    rpc.call("evm_mine")
    heavy_gas = int(rpc.call("eth_getTransactionReceipt", heavy)["gasUsed"], 16)
    assert heavy_gas > 30_000  # a fresh storage slot: the block's gas is mostly the 3 gwei transaction
    assert {rpc.call("eth_getTransactionReceipt", h)["status"] for h in (small, middle)} == {"0x1"}
    history = rpc.call("eth_feeHistory", "0x1", "latest", [0, 10, 25, 50, 99.5, 100])
    # Sorted by tip: 21000 gas at 1 gwei, 21000 at 2 gwei, the rest at 3 gwei.
    # 25% of the gas lies past the first 21000, 50% past 42000.
    assert history["reward"] == [[hex(GWEI), hex(GWEI), hex(2 * GWEI), hex(3 * GWEI), hex(3 * GWEI), hex(3 * GWEI)]]
    rpc.call("evm_mine")
    assert rpc.call("eth_feeHistory", "0x1", "latest", [50])["reward"] == [["0x0"]]  # an empty block


def test_fee_history_rejects_bad_arguments(rpc):
    for params in (["0x1", "latest", [50, 10]], ["0x1", "latest", [101]], ["0x1", "latest", ["x"]], ["zz", "latest"]):
        with pytest.raises(RPCErrorResponse) as caught:
            rpc.call("eth_feeHistory", *params)
        assert caught.value.code == -32602, params
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("eth_feeHistory", "0x1", "0xffffff")
    assert caught.value.code == -32000 and "beyond head" in caught.value.message


def test_price_suggestions_track_the_next_base_fee(rpc):
    next_base_fee = int(rpc.call("eth_getBlockByNumber", "pending", False)["baseFeePerGas"], 16)
    tip = int(rpc.call("eth_maxPriorityFeePerGas"), 16)
    assert tip == GWEI
    assert int(rpc.call("eth_gasPrice"), 16) == next_base_fee + tip
