"""Raw transactions of both types, their receipts, and geth-style rejections."""

import os

import pytest
import rlp
from eth_bloom import BloomFilter
from eth_utils import keccak
from eth_utils import to_checksum_address as checksum

from devchain.client import RPCErrorResponse
from devchain.testing import Wallet, calldata


def rejection(wallet: Wallet, **kwargs) -> RPCErrorResponse:
    with pytest.raises(RPCErrorResponse) as caught:
        wallet.send(**kwargs)
    assert caught.value.code == -32000
    return caught.value


def create_address(sender: str, nonce: int) -> str:
    return "0x" + keccak(rlp.encode([bytes.fromhex(sender[2:]), nonce]))[12:].hex()


def test_legacy_eip155_transfer(rpc, wallets):
    sender, recipient = wallets[4], wallets[5]
    before = int(rpc.call("eth_getBalance", recipient.address), 16)
    receipt = sender.transact(to=recipient.address, value=12345, legacy=True)
    assert receipt["status"] == "0x1" and receipt["type"] == "0x0"
    assert receipt["gasUsed"] == hex(21000) and receipt["from"] == sender.address.lower()
    assert int(rpc.call("eth_getBalance", recipient.address), 16) == before + 12345
    tx = rpc.call("eth_getTransactionByHash", receipt["transactionHash"])
    assert tx["type"] == "0x0" and tx["chainId"] == hex(31337)
    assert int(tx["v"], 16) in (31337 * 2 + 35, 31337 * 2 + 36)
    assert tx["blockHash"] == receipt["blockHash"] and tx["value"] == hex(12345)
    assert receipt["effectiveGasPrice"] == tx["gasPrice"]


def test_dynamic_fee_transfer_pays_base_fee_plus_tip(rpc, wallets):
    receipt = wallets[4].transact(to=wallets[6].address, value=1, tip=3 * 10**9)
    block = rpc.call("eth_getBlockByNumber", receipt["blockNumber"], True)
    base_fee = int(block["baseFeePerGas"], 16)
    tx = block["transactions"][int(receipt["transactionIndex"], 16)]
    assert tx["type"] == "0x2" and tx["maxPriorityFeePerGas"] == hex(3 * 10**9)
    expected = min(int(tx["maxFeePerGas"], 16), base_fee + 3 * 10**9)
    assert int(receipt["effectiveGasPrice"], 16) == expected
    assert receipt["cumulativeGasUsed"] == receipt["gasUsed"] == hex(21000)
    assert receipt["contractAddress"] is None and receipt["logs"] == []


def test_deployment_receipt_and_logs_bloom(rpc, wallets, compiled):
    deployer = wallets[7]
    nonce = deployer.nonce()
    receipt = deployer.transact(data=compiled["bytecode"])
    assert receipt["contractAddress"] == create_address(deployer.address, nonce)
    assert receipt["to"] is None
    call = deployer.transact(to=receipt["contractAddress"], data=calldata("store(uint256,uint256)", ["uint256", "uint256"], [1, 2]))
    (log,) = call["logs"]
    bloom = BloomFilter(int(call["logsBloom"], 16))
    assert bytes.fromhex(log["address"][2:]) in bloom
    assert all(bytes.fromhex(topic[2:]) in bloom for topic in log["topics"])
    assert bytes.fromhex("11" * 20) not in bloom
    block = rpc.call("eth_getBlockByHash", call["blockHash"], False)
    assert int(block["logsBloom"], 16) & int(call["logsBloom"], 16) == int(call["logsBloom"], 16)


def test_reverting_transaction_is_mined_with_status_zero(rpc, wallets, contract):
    receipt = wallets[7].transact(to=contract, gas=100_000,
                                  data=calldata("store(uint256,uint256)", ["uint256", "uint256"], [1, 13]))
    assert receipt["status"] == "0x0" and receipt["logs"] == []
    assert 21000 < int(receipt["gasUsed"], 16) < 100_000


def test_wrong_and_missing_chain_id_are_rejected(rpc, wallets):
    wallet = wallets[8]
    nonce = wallet.nonce()
    error = rejection(wallet, to=wallets[0].address, value=1, chain_id=1, gas=21000)
    assert "invalid chain id" in error.message and "have 1 want 31337" in error.message
    error = rejection(wallet, to=wallets[0].address, value=1, chain_id=1, gas=21000, legacy=True)
    assert "invalid chain id" in error.message
    error = rejection(wallet, to=wallets[0].address, value=1, chain_id=None, gas=21000, legacy=True)
    assert "replay-protected" in error.message
    assert wallet.nonce() == nonce


def test_nonce_fee_funds_and_gas_rejections(rpc, wallets):
    wallet = wallets[8]
    wallet.transact(to=wallets[0].address, value=1)
    assert "nonce too low" in rejection(wallet, to=wallets[0].address, value=1, nonce=0, gas=21000).message
    next_base_fee = int(rpc.call("eth_feeHistory", "0x1", "latest", [])["baseFeePerGas"][-1], 16)
    error = rejection(wallet, to=wallets[0].address, gas=21000, max_fee=next_base_fee - 1, tip=0)
    assert "max fee per gas less than block base fee" in error.message
    error = rejection(wallet, to=wallets[0].address, gas=21000, max_fee=10**9, tip=2 * 10**9)
    assert "max priority fee per gas higher than max fee per gas" in error.message
    assert "intrinsic gas too low" in rejection(wallet, to=wallets[0].address, gas=20_000).message
    assert "exceeds block gas limit" in rejection(wallet, to=wallets[0].address, gas=40_000_000).message
    pauper = Wallet(rpc, os.urandom(32), 31337)
    error = rejection(pauper, to=wallets[0].address, value=1, gas=21000)
    assert "insufficient funds for gas * price + value" in error.message
    assert pauper.address.lower() in error.message


def test_resent_and_malformed_raw_transactions(rpc, wallets):
    raw = wallets[9].sign(to=wallets[0].address, value=1, gas=21000)
    assert rpc.call("eth_sendRawTransaction", raw) == "0x" + keccak(bytes.fromhex(raw[2:])).hex()
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("eth_sendRawTransaction", raw)
    assert caught.value.code == -32000 and "nonce too low" in caught.value.message
    for garbage in ("0x", "0x02", "0xf800", "0x" + "ff" * 40, raw[:-10]):
        with pytest.raises(RPCErrorResponse) as caught:
            rpc.call("eth_sendRawTransaction", garbage)
        assert caught.value.code == -32000
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("eth_sendRawTransaction", "0x0g")
    assert caught.value.code == -32602


def test_unknown_hashes_give_null(rpc):
    missing = "0x" + "42" * 32
    assert rpc.call("eth_getTransactionByHash", missing) is None
    assert rpc.call("eth_getTransactionReceipt", missing) is None



def test_access_list_transaction(rpc, wallets, contract):
    wallet = wallets[9]
    tx = {"type": 1, "chainId": 31337, "nonce": wallet.nonce(), "gas": 100_000, "gasPrice": 10**10,
          "to": checksum(contract), "value": 0,
          "data": calldata("store(uint256,uint256)", ["uint256", "uint256"], [55, 66]),
          "accessList": [{"address": checksum(contract), "storageKeys": ["0x" + "00" * 32]}]}
    raw = "0x" + bytes(wallet.account.sign_transaction(tx).raw_transaction).hex()
    receipt = rpc.call("eth_getTransactionReceipt", rpc.call("eth_sendRawTransaction", raw))
    assert receipt["status"] == "0x1" and receipt["type"] == "0x1"
    mined = rpc.call("eth_getTransactionByHash", receipt["transactionHash"])
    assert mined["accessList"] == [{"address": contract, "storageKeys": ["0x" + "00" * 32]}]
    assert mined["gasPrice"] == hex(10**10) == receipt["effectiveGasPrice"]


def test_high_s_signatures_are_rejected(rpc, wallets):
    """EIP-2: (r, n - s) with the other parity recovers the same sender but must be refused."""
    order = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    raw = bytes.fromhex(wallets[9].sign(to=wallets[0].address, value=1, gas=21000, legacy=True)[2:])
    nonce, gas_price, gas, to, value, data, v, r, s = rlp.decode(raw)
    flipped_v = int.from_bytes(v, "big") ^ 1  # 2 * chain_id + 35/36: the low bit is the parity
    malleable = rlp.encode([nonce, gas_price, gas, to, value, data, flipped_v, r,
                            order - int.from_bytes(s, "big")])
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("eth_sendRawTransaction", "0x" + malleable.hex())
    assert caught.value.code == -32000
    assert rpc.call("eth_sendRawTransaction", "0x" + raw.hex()) == "0x" + keccak(raw).hex()
