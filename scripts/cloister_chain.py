"""Minimal JSON-RPC plumbing shared by deploy.py, gas.py and the contract integration tests.

Transactions are signed with eth-account and sent raw; calldata and logs are encoded and
decoded from the compiled ABI with eth-abi. Works with any Ethereum JSON-RPC endpoint.
"""
from __future__ import annotations

import json
import time
import urllib.request
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import eth_abi
from eth_account import Account
from eth_utils import keccak, to_checksum_address

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"


class RpcError(RuntimeError):
    def __init__(self, method: str, error: dict):
        super().__init__(f"{method}: {error.get('message')} ({error.get('code')})")
        self.error = error


class Rpc:
    def __init__(self, url: str, timeout: float = 60.0):
        self.url = url
        self.timeout = timeout
        self._ids = count(1)

    def call(self, method: str, *params):
        body = json.dumps({"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": list(params)}).encode()
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            reply = json.loads(response.read())
        if "error" in reply:
            raise RpcError(method, reply["error"])
        return reply["result"]

    def chain_id(self) -> int:
        return int(self.call("eth_chainId"), 16)


COMPILE_CACHE = ROOT / ".build" / "vyper-cache"


def _sources_digest() -> str:
    """SHA-256 over every Vyper source and interface under contracts/ (paths and contents) and the compiler's
    version: a contract's output depends on the modules it imports, so any change anywhere invalidates all."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256(version("vyper").encode())
    for path in sorted(p for p in CONTRACTS.rglob("*") if p.suffix in (".vy", ".vyi")):
        digest.update(str(path.relative_to(CONTRACTS)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def compile_contract(relative: str) -> dict:
    """ABI and deployment bytecode of contracts/<relative>, compiled with the pinned Vyper. Compiling every contract
    takes about ten seconds and every dev network deploys them all, so the output is kept in .build/vyper-cache
    under a digest of all the sources (`_sources_digest`): the same sources never compile twice."""
    cached = COMPILE_CACHE / _sources_digest() / (relative.replace("/", "__") + ".json")
    if cached.exists():
        return json.loads(cached.read_text())
    from vyper.cli.vyper_compile import compile_files

    path = CONTRACTS / relative
    out = compile_files([path], ("abi", "bytecode"), paths=[str(ROOT)])
    entry = next(iter(out.values()))
    compiled = {"abi": entry["abi"], "bytecode": entry["bytecode"]}
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{time.monotonic_ns()}.part")  # written whole, then renamed: readers never see half
    partial.write_text(json.dumps(compiled))
    partial.replace(cached)
    return compiled


def abi_type(item: dict) -> str:
    kind = item["type"]
    if kind.startswith("tuple"):
        return "(" + ",".join(abi_type(c) for c in item["components"]) + ")" + kind[5:]
    return kind


@dataclass
class Contract:
    address: str
    abi: list

    def _function(self, name: str) -> dict:
        return next(f for f in self.abi if f.get("type") == "function" and f["name"] == name)

    def calldata(self, name: str, *args) -> str:
        fn = self._function(name)
        types = [abi_type(i) for i in fn["inputs"]]
        selector = keccak(text=f"{name}({','.join(types)})")[:4]
        return "0x" + (selector + eth_abi.encode(types, list(args))).hex()

    def decode_output(self, name: str, data: str):
        types = [abi_type(o) for o in self._function(name)["outputs"]]
        values = eth_abi.decode(types, bytes.fromhex(data[2:]))
        return values[0] if len(values) == 1 else values

    def events(self, receipt: dict) -> list[tuple[str, dict]]:
        """(name, fields) for every log this contract emitted in the receipt."""
        decoded = []
        by_topic = {}
        for ev in (e for e in self.abi if e.get("type") == "event"):
            sig = f"{ev['name']}({','.join(abi_type(i) for i in ev['inputs'])})"
            by_topic[keccak(text=sig)] = ev
        for log in receipt["logs"]:
            if log["address"].lower() != self.address.lower():
                continue
            topics = [bytes.fromhex(t[2:]) for t in log["topics"]]
            ev = by_topic.get(topics[0])
            if ev is None:
                continue
            indexed = [i for i in ev["inputs"] if i.get("indexed")]
            plain = [i for i in ev["inputs"] if not i.get("indexed")]
            fields = {}
            for item, topic in zip(indexed, topics[1:]):
                fields[item["name"]] = eth_abi.decode([abi_type(item)], topic)[0]
            values = eth_abi.decode([abi_type(i) for i in plain], bytes.fromhex(log["data"][2:]))
            fields.update({i["name"]: v for i, v in zip(plain, values)})
            decoded.append((ev["name"], fields))
        return decoded


class TransactionFailed(RuntimeError):
    def __init__(self, receipt: dict):
        super().__init__(f"transaction {receipt['transactionHash']} reverted (gas used {int(receipt['gasUsed'], 16)})")
        self.receipt = receipt


class Signer:
    """An EOA that signs EIP-1559 transactions locally and waits for their receipts."""

    def __init__(self, rpc: Rpc, private_key: bytes, chain_id: int | None = None):
        self.rpc = rpc
        self.account = Account.from_key(private_key)
        self.address = self.account.address
        self.chain_id = chain_id if chain_id is not None else rpc.chain_id()

    def nonce(self) -> int:
        return int(self.rpc.call("eth_getTransactionCount", self.address, "pending"), 16)

    def sign(self, to: str | None, data: str, value: int = 0, gas: int | None = None, nonce: int | None = None) -> str:
        call = {"from": self.address, "data": data, "value": hex(value)}
        if to:
            call["to"] = to
        if gas is None:
            gas = int(self.rpc.call("eth_estimateGas", call), 16) * 5 // 4 + 50_000
        base_fee = int(self.rpc.call("eth_getBlockByNumber", "latest", False)["baseFeePerGas"], 16)
        tx = {"type": 2, "chainId": self.chain_id, "nonce": self.nonce() if nonce is None else nonce, "gas": gas,
              "maxFeePerGas": 2 * base_fee + 10**9, "maxPriorityFeePerGas": 10**9, "value": value, "data": data}
        if to:
            tx["to"] = to_checksum_address(to)
        return "0x" + bytes(self.account.sign_transaction(tx).raw_transaction).hex()

    def send_raw(self, raw: str, timeout: float = 60.0) -> dict:
        tx_hash = self.rpc.call("eth_sendRawTransaction", raw)
        deadline = time.monotonic() + timeout
        while True:
            receipt = self.rpc.call("eth_getTransactionReceipt", tx_hash)
            if receipt is not None:
                if int(receipt["status"], 16) != 1:
                    raise TransactionFailed(receipt)
                return receipt
            if time.monotonic() > deadline:
                raise TimeoutError(f"no receipt for {tx_hash}")
            time.sleep(0.05)

    def transact(self, contract: Contract, name: str, *args, value: int = 0, gas: int | None = None) -> dict:
        return self.send_raw(self.sign(contract.address, contract.calldata(name, *args), value, gas))

    def deploy(self, compiled: dict, ctor_types: list[str] | None = None, ctor_args: list | None = None) -> tuple[Contract, dict]:
        data = compiled["bytecode"] + (eth_abi.encode(ctor_types, ctor_args).hex() if ctor_types else "")
        receipt = self.send_raw(self.sign(None, data))
        return Contract(to_checksum_address(receipt["contractAddress"]), compiled["abi"]), receipt


def view(rpc: Rpc, contract: Contract, name: str, *args, sender: str | None = None):
    call = {"to": contract.address, "data": contract.calldata(name, *args)}
    if sender:
        call["from"] = sender
    return contract.decode_output(name, rpc.call("eth_call", call, "latest"))
