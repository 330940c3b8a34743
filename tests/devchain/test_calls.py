"""eth_call and eth_estimateGas: no funds needed, revert data like geth, estimates that are tight."""

import os

import pytest
from eth_abi import decode, encode
from eth_account import Account

from devchain.client import RPCErrorResponse
from devchain.testing import calldata

STORE = "store(uint256,uint256)"


def store_data(slot, amount):
    return calldata(STORE, ["uint256", "uint256"], [slot, amount])


def test_call_from_an_account_without_funds(rpc, contract):
    pauper = Account.from_key(os.urandom(32)).address
    assert rpc.call("eth_getBalance", pauper) == "0x0"
    result = rpc.call("eth_call", {"from": pauper, "to": contract, "data": calldata("caller_balance()", [], []),
                                   "gas": hex(5_000_000)})
    assert int(result, 16) == 0
    # Even a state-changing call runs (and is discarded) for a sender with no ether.
    assert rpc.call("eth_call", {"from": pauper, "to": contract, "data": store_data(3, 4)}) == "0x"
    assert rpc.call("eth_getTransactionCount", pauper) == "0x0"


def test_call_without_from_uses_the_zero_address(rpc, contract):
    result = rpc.call("eth_call", {"to": contract, "data": calldata("caller_balance()", [], [])})
    assert int(result, 16) == int(rpc.call("eth_getBalance", "0x" + "00" * 20), 16)


def test_call_at_an_earlier_block(rpc, wallets, contract):
    receipt = wallets[2].transact(to=contract, data=store_data(77, 1))
    number = int(receipt["blockNumber"], 16)
    wallets[2].transact(to=contract, data=store_data(77, 2))
    read = {"to": contract, "data": calldata("values(uint256)", ["uint256"], [77])}
    assert int(rpc.call("eth_call", read, hex(number)), 16) == 1
    assert int(rpc.call("eth_call", read, "latest"), 16) == 2


def test_revert_gives_code_3_with_reason_and_data(rpc, contract):
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("eth_call", {"to": contract, "data": store_data(1, 13)})
    error = caught.value
    assert error.code == 3
    assert error.message == "execution reverted: unlucky value"
    revert = bytes.fromhex(error.data[2:])
    assert revert[:4] == bytes.fromhex("08c379a0")
    assert decode(["string"], revert[4:]) == ("unlucky value",)
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("eth_estimateGas", {"to": contract, "data": store_data(1, 13)})
    assert caught.value.code == 3 and caught.value.data == error.data


def test_call_to_unknown_selector_reverts_without_data(rpc, contract):
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("eth_call", {"to": contract, "data": "0xdeadbeef"})
    assert caught.value.code == 3 and caught.value.message == "execution reverted"
    assert caught.value.data == "0x"


def test_plain_transfer_estimate_is_exact(rpc, wallets):
    estimate = rpc.call("eth_estimateGas", {"from": wallets[1].address, "to": wallets[2].address, "value": "0x1"})
    assert estimate == hex(21000)


def test_contract_estimate_is_sufficient_and_tight(rpc, wallets, contract):
    wallet = wallets[3]
    for slot, amount in ((900, 5), (900, 6), (901, 0)):  # fresh slot, overwrite, zero write
        request = {"from": wallet.address, "to": contract, "data": store_data(slot, amount)}
        estimate = int(rpc.call("eth_estimateGas", request), 16)
        # The search stops within 0.5% of the minimum, so 1% less must run out of gas on-chain
        # (sent first: the failed attempt leaves the slot as the estimate saw it).
        short = wallet.transact(to=contract, data=store_data(slot, amount), gas=int(estimate / 1.01))
        assert short["status"] == "0x0"
        receipt = wallet.transact(to=contract, data=store_data(slot, amount), gas=estimate)
        assert receipt["status"] == "0x1"
        used = int(receipt["gasUsed"], 16)
        assert used <= estimate <= used * 1.25 + 2300, (used, estimate)

def test_estimate_for_deployment(rpc, wallets, compiled):
    estimate = int(rpc.call("eth_estimateGas", {"from": wallets[3].address, "data": compiled["bytecode"]}), 16)
    receipt = wallets[3].transact(data=compiled["bytecode"], gas=estimate)
    assert receipt["status"] == "0x1"
    assert int(receipt["gasUsed"], 16) <= estimate <= int(receipt["gasUsed"], 16) * 1.01


def test_call_rejects_bad_requests(rpc, contract):
    bad = [
        [{"to": "0x12"}],
        [{"to": contract, "data": "0x00", "input": "0x01"}],
        [{"to": contract, "gasPrice": "0x1", "maxFeePerGas": "0x1"}],
        ["not an object"],
        [{"to": contract}, "latest", {"0x00": {}}],
    ]
    for params in bad:
        with pytest.raises(RPCErrorResponse) as caught:
            rpc.call("eth_call", *params)
        assert caught.value.code == -32602, params


def test_a_priced_call_needs_funds_and_an_estimate_is_capped_by_them(rpc, wallets, contract):
    pauper = Account.from_key(os.urandom(32)).address
    read = {"from": pauper, "to": contract, "data": calldata("values(uint256)", ["uint256"], [1]), "gasPrice": "0x1"}
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("eth_call", read)
    assert caught.value.code == -32000 and "insufficient funds for gas * price + value" in caught.value.message
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("eth_estimateGas", read)
    assert caught.value.code == -32000 and "gas required exceeds allowance (0)" in caught.value.message
    rich = {**read, "from": wallets[1].address, "gas": hex(100_000)}
    assert int(rpc.call("eth_call", rich), 16) >= 0
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("eth_call", {**rich, "gas": hex(20_000)})
    assert "intrinsic gas too low" in caught.value.message
