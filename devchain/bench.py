"""Benchmark of the local chain over real HTTP: python -m devchain.bench

Prints start-up time, transactions per second (raw transfers, contract calls), read
latencies, eth_getLogs over 1000 logs and the server's resident memory.
"""

import os
import statistics
import time

import vyper

from .testing import Wallet, calldata, running_devchain

TRANSFERS = 300
CONTRACT_CALLS = 1000
READ_SAMPLES = 200
EMITTER_SOURCE = """
# pragma version 0.4.3
event Stored:
    sender: indexed(address)
    slot: indexed(uint256)
    value: uint256

values: public(HashMap[uint256, uint256])

@external
def store(slot: uint256, amount: uint256):
    self.values[slot] = amount
    log Stored(sender=msg.sender, slot=slot, value=amount)
"""


def resident_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def throughput(client, pid: int, raw_transactions: list[str]) -> str:
    """Wall-clock rate, and the rate per second of server CPU (which a busy shared machine distorts less)."""
    cpu_before, started = cpu_seconds(pid), time.perf_counter()
    for raw in raw_transactions:
        client.call("eth_sendRawTransaction", raw)
    wall, cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu_before
    count = len(raw_transactions)
    return f"{count / wall:.0f} tx/s wall, {count / cpu:.0f} tx per server CPU-second"


def presign(wallets: list[Wallet], count: int, **fields) -> list[str]:
    """Round-robin over the wallets with explicit nonces and gas, so signing stays out of the timing."""
    nonces = [w.nonce("pending") for w in wallets]
    raws = []
    for i in range(count):
        k = i % len(wallets)
        call_fields = {key: (value(i) if callable(value) else value) for key, value in fields.items()}
        raws.append(wallets[k].sign(nonce=nonces[k], max_fee=50 * 10**9, **call_fields))
        nonces[k] += 1
    return raws


def latency_ms(client, method: str, params: list, samples: int) -> tuple[float, float]:
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        client.call(method, *params)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main() -> None:
    emitter = vyper.compile_code(EMITTER_SOURCE, output_formats=["bytecode"])["bytecode"]
    with running_devchain() as node:
        client = node.client
        rss_start = resident_mb(node.process.pid)
        wallets = [Wallet(client, a.private_key, node.chain_id) for a in node.accounts]
        rows = [("start-up to ready line", f"{node.startup_seconds:.2f} s"),
                ("RSS after start", f"{rss_start:.0f} MB")]

        transfers = presign(wallets[:4], TRANSFERS, to=wallets[9].address, value=1, gas=21000)
        rows.append((f"raw transfers ({TRANSFERS}, one block each)", throughput(client, node.process.pid, transfers)))

        contract = wallets[0].transact(data=emitter)["contractAddress"]
        first_block = int(client.call("eth_blockNumber"), 16) + 1
        store = presign(wallets[:4], CONTRACT_CALLS, to=contract, gas=120_000,
                        data=lambda i: calldata("store(uint256,uint256)", ["uint256", "uint256"], [i, i + 1]))
        rows.append((f"contract calls with a log ({CONTRACT_CALLS})", throughput(client, node.process.pid, store)))

        window = {"fromBlock": hex(first_block), "toBlock": "latest", "address": contract}
        started = time.perf_counter()
        logs = client.call("eth_getLogs", window)
        first_ms = (time.perf_counter() - started) * 1000
        assert len(logs) == CONTRACT_CALLS, len(logs)
        median, _ = latency_ms(client, "eth_getLogs", [window], 10)
        rows.append((f"eth_getLogs over {len(logs)} logs / 1000 blocks", f"{first_ms:.1f} ms first, {median:.1f} ms median"))

        tx_hash = logs[-1]["transactionHash"]
        read = {"to": contract, "data": calldata("values(uint256)", ["uint256"], [7])}
        write = {"from": wallets[5].address, "to": contract,
                 "data": calldata("store(uint256,uint256)", ["uint256", "uint256"], [10**6, 1])}
        reads = [
            ("eth_blockNumber", []),
            ("eth_getBalance", [wallets[9].address, "latest"]),
            ("eth_getTransactionReceipt", [tx_hash]),
            ("eth_getBlockByNumber", ["latest", False]),
            ("eth_call", [read, "latest"]),
            ("eth_estimateGas", [write]),
        ]
        for method, params in reads:
            median, p95 = latency_ms(client, method, params, READ_SAMPLES)
            rows.append((f"{method} latency", f"{median:.2f} ms median, {p95:.2f} ms p95"))
        rows.append(("RSS after the run", f"{resident_mb(node.process.pid):.0f} MB"))

    with open("/proc/loadavg") as loadavg:
        rows.append(("machine load average (1 min) at the end", loadavg.read().split()[0]))
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  result")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
