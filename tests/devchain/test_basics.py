"""Identity, accounts, blocks and block tags, JSON-RPC envelopes and error codes."""

import json

from devchain.accounts import dev_private_key
from devchain.client import RPCErrorResponse
from devchain.testing import running_devchain
from eth_account import Account
from eth_utils import keccak
import pytest

from devchain.testing import Wallet, calldata


def error_of(rpc, method, *params) -> RPCErrorResponse:
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call(method, *params)
    return caught.value


def test_identity(rpc):
    assert rpc.call("eth_chainId") == "0x7a69"
    assert rpc.call("net_version") == "31337"
    assert rpc.call("web3_clientVersion").startswith("cloister-devchain/")


def test_dev_accounts_are_funded_and_derived_from_the_documented_seed(rpc):
    accounts = rpc.call("eth_accounts")
    assert len(accounts) == 10
    for index, address in enumerate(accounts):
        expected = Account.from_key(keccak(text=f"cloister-dev-{index}")).address
        assert address == expected.lower()
        assert dev_private_key(index) == keccak(text=f"cloister-dev-{index}")
        assert int(rpc.call("eth_getBalance", address, "earliest"), 16) == 10_000 * 10**18


def test_block_tags_and_lookup_by_hash(rpc, wallets):
    wallets[1].transact(to=wallets[2].address, value=1)
    head = int(rpc.call("eth_blockNumber"), 16)
    latest = rpc.call("eth_getBlockByNumber", "latest", False)
    assert int(latest["number"], 16) == head
    for tag in ("safe", "finalized", hex(head)):
        assert rpc.call("eth_getBlockByNumber", tag, False)["hash"] == latest["hash"]
    assert rpc.call("eth_getBlockByNumber", "earliest", False)["number"] == "0x0"
    assert rpc.call("eth_getBlockByNumber", hex(head + 100), False) is None
    pending = rpc.call("eth_getBlockByNumber", "pending", False)
    assert pending["number"] == hex(head + 1) and pending["hash"] is None
    by_hash = rpc.call("eth_getBlockByHash", latest["hash"], True)
    assert by_hash["number"] == latest["number"]
    assert by_hash["transactions"][0]["hash"] == latest["transactions"][0]
    assert by_hash["transactions"][0]["blockHash"] == latest["hash"]
    parent = rpc.call("eth_getBlockByNumber", hex(head - 1), False)
    assert latest["parentHash"] == parent["hash"]
    assert rpc.call("eth_getBlockByHash", "0x" + "ab" * 32, False) is None


def test_batch_answers_each_request_in_order(rpc):
    responses = rpc.batch([("eth_chainId", []), ("no_such_method", []), ("eth_blockNumber", [])])
    assert responses[0]["result"] == "0x7a69"
    assert responses[1]["error"]["code"] == -32601
    assert responses[2]["result"].startswith("0x")


def test_envelope_errors_and_the_server_survives(rpc):
    assert json.loads(rpc.post_bytes(b"{not json"))["error"]["code"] == -32700
    assert json.loads(rpc.post_bytes(b"\xff\xfe"))["error"]["code"] == -32700
    assert rpc.post([])["error"]["code"] == -32600
    assert rpc.post({"jsonrpc": "2.0", "id": 1})["error"]["code"] == -32600
    assert rpc.post([1, "x"])[0]["error"]["code"] == -32600
    assert error_of(rpc, "eth_nothing").code == -32601
    assert error_of(rpc, "eth_getBalance", "0x1234").code == -32602
    assert error_of(rpc, "eth_getBalance").code == -32602
    assert error_of(rpc, "eth_getBlockByNumber", "0xzz", False).code == -32602
    assert error_of(rpc, "eth_getBlockByNumber", "latest", "yes").code == -32602
    assert error_of(rpc, "eth_getLogs", {"topics": [1]}).code == -32602
    assert rpc.post({"jsonrpc": "2.0", "id": 7, "method": "eth_chainId", "params": {"a": 1}})["error"]["code"] == -32602
    assert rpc.call("eth_chainId") == "0x7a69"


def test_state_reads_at_past_blocks(rpc, wallets):
    recipient = "0x" + "77" * 20
    receipt = wallets[3].transact(to=recipient, value=5)
    number = int(receipt["blockNumber"], 16)
    assert rpc.call("eth_getBalance", recipient, hex(number - 1)) == "0x0"
    assert rpc.call("eth_getBalance", recipient, hex(number)) == "0x5"
    assert rpc.call("eth_getBalance", recipient, {"blockHash": receipt["blockHash"]}) == "0x5"
    assert error_of(rpc, "eth_getBalance", recipient, hex(number + 1000)).code == -32000


def test_code_and_storage(rpc, contract, wallets, compiled):
    wallets[0].transact(to=contract, data=calldata("store(uint256,uint256)", ["uint256", "uint256"], [5, 99]))
    code = rpc.call("eth_getCode", contract, "latest")
    assert len(code) > 2 and code != compiled["bytecode"]  # runtime code, not the init code
    # values is the first storage variable; Vyper puts a HashMap entry at keccak(slot . key)
    slot = keccak((0).to_bytes(32, "big") + (5).to_bytes(32, "big"))
    assert int(rpc.call("eth_getStorageAt", contract, "0x" + slot.hex(), "latest"), 16) == 99
    assert int(rpc.call("eth_call", {"to": contract, "data": calldata("values(uint256)", ["uint256"], [5])}), 16) == 99


def test_chain_id_is_configurable_down_to_the_chainid_opcode(compiled):
    with running_devchain(chain_id=1337) as other:
        client = other.client
        assert client.call("eth_chainId") == hex(1337)
        wallet = Wallet(client, other.accounts[0].private_key, 1337)
        receipt = wallet.transact(data=compiled["bytecode"])
        result = client.call("eth_call", {"to": receipt["contractAddress"], "data": calldata("chain_id()", [], [])})
        assert int(result, 16) == 1337


def test_block_transaction_helpers_and_sha3(rpc, wallets):
    receipt = wallets[2].transact(to=wallets[3].address, value=3)
    number, block_hash = receipt["blockNumber"], receipt["blockHash"]
    assert rpc.call("eth_getBlockTransactionCountByNumber", number) == "0x1"
    assert rpc.call("eth_getBlockTransactionCountByHash", block_hash) == "0x1"
    tx = rpc.call("eth_getTransactionByBlockNumberAndIndex", number, "0x0")
    assert tx["hash"] == receipt["transactionHash"]
    assert rpc.call("eth_getTransactionByBlockNumberAndIndex", number, "0x1") is None
    assert rpc.call("eth_getBlockReceipts", number) == [receipt]
    assert rpc.call("eth_getBlockReceipts", block_hash) == [receipt]
    assert rpc.call("web3_sha3", "0x68656c6c6f") == "0x" + keccak(b"hello").hex()


def test_block_hash_is_the_keccak_of_the_json_header_fields(rpc, wallets):
    """Recomputing the hash from the JSON fields (rlp + keccak, not py-evm) proves the header is complete."""
    import rlp

    wallets[4].transact(to=wallets[5].address, value=9)
    block = rpc.call("eth_getBlockByNumber", "latest", False)

    def raw(name):
        return bytes.fromhex(block[name][2:])

    def number(name):
        return int(block[name], 16)

    fields = [raw("parentHash"), raw("sha3Uncles"), raw("miner"), raw("stateRoot"), raw("transactionsRoot"),
              raw("receiptsRoot"), raw("logsBloom"), number("difficulty"), number("number"), number("gasLimit"),
              number("gasUsed"), number("timestamp"), raw("extraData"), raw("mixHash"), raw("nonce"),
              number("baseFeePerGas"), raw("withdrawalsRoot"), number("blobGasUsed"), number("excessBlobGas"),
              raw("parentBeaconBlockRoot"), raw("requestsHash")]
    assert "0x" + keccak(rlp.encode(fields)).hex() == block["hash"]


def test_notifications_get_no_answer(rpc):
    assert rpc.post_bytes(b'{"jsonrpc":"2.0","method":"eth_chainId"}') == b""
    assert rpc.post_bytes(b'[{"jsonrpc":"2.0","method":"eth_chainId"},{"jsonrpc":"2.0","method":"nope"}]') == b""
    mixed = rpc.post([{"jsonrpc": "2.0", "method": "eth_chainId"}, {"jsonrpc": "2.0", "id": "a", "method": "eth_chainId"}])
    assert mixed == [{"jsonrpc": "2.0", "id": "a", "result": "0x7a69"}]
