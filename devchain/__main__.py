"""Command line: python -m devchain --port 8545 --chain-id 31337 [--port-file F] [--accounts N] [--block-time S] [--ws-port P]."""

import argparse
import signal
import sys
import threading
from pathlib import Path

from .accounts import DEFAULT_ACCOUNT_COUNT, DEFAULT_BALANCE_WEI, dev_accounts
from .chain import DevChain
from .interval import MAX_BLOCK_TIME
from .server import RPCServer
from .websocket import WebSocketServer


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="devchain", description="Local Ethereum JSON-RPC chain over py-evm.")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8545, help="TCP port; 0 picks a free one (default 8545)")
    parser.add_argument("--chain-id", type=int, default=31337, help="chain id (default 31337)")
    parser.add_argument("--accounts", type=int, default=DEFAULT_ACCOUNT_COUNT, help="funded dev accounts (default 10)")
    parser.add_argument("--balance-eth", type=int, default=DEFAULT_BALANCE_WEI // 10**18,
                        help="each dev account's starting balance in ether (default 10000)")
    parser.add_argument("--port-file", type=Path, help="also write the chosen port to this file")
    parser.add_argument("--no-automine", action="store_true", help="start with automine off")
    parser.add_argument("--block-time", type=int, metavar="SECONDS",
                        help="seal a block every SECONDS with what the pool holds, timestamps SECONDS apart "
                             "(automine off; default: one block per transaction)")
    parser.add_argument("--ws-port", type=int, metavar="PORT",
                        help="also serve JSON-RPC and eth_subscribe(\"newHeads\") over WebSocket on PORT; 0 picks a free one "
                             "(default: no WebSocket endpoint)")
    parser.add_argument("--show-keys", action="store_true", help="also print the dev accounts' (public, test-only) keys")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error("--port must be between 0 and 65535")
    if args.ws_port is not None and not 0 <= args.ws_port <= 65535:
        parser.error("--ws-port must be between 0 and 65535")
    if not 0 < args.chain_id < 2**63:
        parser.error("--chain-id must be positive")
    if not 1 <= args.accounts <= 1000:
        parser.error("--accounts must be between 1 and 1000")
    if args.block_time is not None and not 1 <= args.block_time <= MAX_BLOCK_TIME:
        parser.error(f"--block-time must be a whole number of seconds from 1 to {MAX_BLOCK_TIME}")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    accounts = dev_accounts(args.accounts)
    chain = DevChain(args.chain_id, accounts, args.balance_eth * 10**18)
    chain.automine = not args.no_automine
    try:
        server = RPCServer(args.host, args.port, chain)
    except OSError as error:
        print(f"devchain: cannot listen on {args.host}:{args.port}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"devchain: {len(accounts)} dev accounts with {args.balance_eth} ETH each; "
          f'key i = keccak256("cloister-dev-<i>")')
    for account in accounts:
        key = f" key 0x{account.private_key.hex()}" if args.show_keys else ""
        print(f"  ({account.index}) {account.checksum_address}{key}")
    if args.port_file:
        try:
            args.port_file.write_text(f"{server.port}\n")
        except OSError as error:
            print(f"devchain: cannot write the port file {args.port_file}: {error.strerror}", file=sys.stderr)
            server.server_close()
            return 1
    if args.block_time:
        with server.dispatcher.lock:
            server.dispatcher.interval_miner.set(args.block_time)
        print(f"devchain: a block every {args.block_time} s")
    websocket = None
    if args.ws_port is not None:
        try:
            websocket = WebSocketServer(args.host, args.ws_port, server.dispatcher)
        except OSError as error:
            print(f"devchain: cannot listen on {args.host}:{args.ws_port} for WebSocket: {error.strerror}", file=sys.stderr)
            server.server_close()
            return 1
        websocket.start()
        # Before the "listening" line, which is the one readers wait for.
        print(f"devchain: websocket on ws://{args.host}:{websocket.port}")
    url = f"http://{args.host}:{server.port}"
    print(f"devchain: listening on {url} chain_id={args.chain_id}", flush=True)

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever(poll_interval=0.2)
    server.dispatcher.interval_miner.stop()
    if websocket is not None:
        websocket.stop()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
