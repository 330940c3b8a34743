"""Records a backlog of real requests for `cloister bench node --recorded FILE`.

Starts the dev network with one registered node, stops the node (so nothing is answered), sends N
plaintext classify requests to the core from a dev account, and writes their `Requested` logs as the
chain returned them from `eth_getLogs`, with the core's address and the node id, to FILE (JSON).
The requests' deadline is the chain's maximum (`maxDeadline`), so the recording can be replayed for
that long.

    .venv/bin/python scripts/record_backlog.py --requests 10000 --out state/backlog.json
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import eth_abi  # noqa: E402

from devnet.accounts import DIRECT_REQUESTER  # noqa: E402
from devnet.network import dev_network  # noqa: E402
from devnet.observer import topic  # noqa: E402
from devnet.traffic import LABEL_SETS, NO_CALLBACK, TEXTS  # noqa: E402

GAS = 400_000  # a classify request with a short text uses about 200,000


def send_backlog(net, count: int) -> tuple[int, int]:
    """Sends `count` requests back to back (nonces counted here, one fee for all); returns the block range."""
    chain, deployment = net.chain, net.deployment
    signer = chain.signer(DIRECT_REQUESTER)
    model, fee = deployment.models["classify"], deployment.fee("classify")
    deadline = chain.block_timestamp() + deployment.params()["maxDeadline"] - 60
    first_block, nonce = chain.block_number() + 1, signer.nonce()
    hashes = []
    for index in range(count):
        text = f"{TEXTS[index % len(TEXTS)]} (#{index})"
        payload = eth_abi.encode(["string", "string[]"], [text, LABEL_SETS[index % len(LABEL_SETS)]])
        data = deployment.core.calldata("request", model, payload, NO_CALLBACK, 0, deadline, b"", [])
        hashes.append(chain.rpc.call("eth_sendRawTransaction", signer.sign(deployment.core.address, data, fee, GAS, nonce + index)))
        if index % 1000 == 999:
            print(f"record: {index + 1} requests sent", flush=True)
    for tx_hash in hashes[-1:]:
        while chain.rpc.call("eth_getTransactionReceipt", tx_hash) is None:
            time.sleep(0.1)
    return first_block, chain.block_number()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cloister-record-") as state, dev_network(Path(state), node_count=1) as net:
        node = net.nodes[0]
        node.stop()
        started = time.monotonic()
        first, last = send_backlog(net, args.requests)
        logs = net.chain.rpc.call("eth_getLogs", {"address": net.deployment.core.address, "fromBlock": hex(first),
                                                  "toBlock": hex(last), "topics": [topic(net.deployment.core, "Requested")]})
        ok = sum(1 for log in logs if int(log["topics"][2], 16) == node.node_id)
        if ok != args.requests:
            print(f"record: {ok} Requested logs for node {node.node_id}, expected {args.requests}", file=sys.stderr)
            return 1
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"chainId": net.chain.chain_id, "contract": net.deployment.core.address,
                                        "node": node.node_id, "logs": logs}))
        print(f"record: {len(logs)} Requested logs in blocks {first}..{last} ({time.monotonic() - started:.0f} s) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
