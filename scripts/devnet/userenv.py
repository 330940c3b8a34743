"""What a person (or the docs test) needs to use a running dev network from a shell: `STATE/env.sh`.

    . STATE/env.sh    # CLOISTER_RPC, CLOISTER_DEPLOYMENT, a requester wallet, the simulated TEE's anchor, cloister on PATH

The README and the dApp docs run their commands after sourcing it (`make demo DEMO_ARGS="--keep-running
--state-dir .state/demo"` writes `.state/demo/env.sh`), and tests/docs runs them verbatim the same way.
"""
from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from .accounts import DIRECT_REQUESTER, Wallet, make_wallet
from .network import SEED, Network


@dataclass(frozen=True)
class UserEnvironment:
    path: Path  # STATE/env.sh
    variables: dict[str, str]
    requester: Wallet


def write_user_environment(net: Network) -> UserEnvironment:
    """Writes the requester wallet (dev account DIRECT_REQUESTER), the simulated TEE's trust anchor and
    collateral (`STATE/simulated-tee/`) and `STATE/env.sh` exporting where everything is."""
    requester = make_wallet(net.cloister, net.state_dir / "requester", "requester", DIRECT_REQUESTER)
    trust = net.cloister.simulated_trust(SEED, net.chain.chain_id, net.state_dir / "simulated-tee")
    variables = {
        "CLOISTER_RPC": net.chain.url,
        "CLOISTER_CHAIN_ID": str(net.chain.chain_id),
        "CLOISTER_DEPLOYMENT": str(net.deployment.path),
        "CLOISTER_CONSUMER": net.deployment.consumer.address,
        "CLOISTER_KEYSTORE": str(requester.keystore),
        "CLOISTER_PASSWORD_FILE": str(requester.password_file),
        "CLOISTER_SIMULATED_TEE": str(trust),
        "CLOISTER_SIMULATION_SEED": SEED,
    }
    if net.nodes:
        variables["CLOISTER_NODE_URL"] = net.nodes[0].url
    lines = ["# The running dev network (written by scripts/devnet/userenv.py); source it: . THIS_FILE",
             *(f"export {name}={shlex.quote(value)}" for name, value in variables.items()),
             f"export PATH={shlex.quote(str(net.cloister.path.parent))}:\"$PATH\"", ""]
    path = net.state_dir / "env.sh"
    path.write_text("\n".join(lines))
    return UserEnvironment(path, variables, requester)
