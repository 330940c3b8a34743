"""A local Ethereum JSON-RPC chain for Cloister's tests and demo.

A threaded HTTP server answers JSON-RPC over a real EVM (py-evm, set up the way
eth-tester sets it up), with anvil-style dev methods. Run it with
``python -m devchain --port 8545 --chain-id 31337``; see docs/devchain.md.
"""

CLIENT_VERSION = "cloister-devchain/0.1.0"
