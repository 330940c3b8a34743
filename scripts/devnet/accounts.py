"""Which dev account plays which role, and the operators' keystores and password files.

Dev account i has the private key keccak256("cloister-dev-<i>") (docs/devchain.md): 0 owns the
contracts, 1..MAX_NODES operate the nodes, 9 is the attestation committee's single member,
10 and 11 send requests (directly and through the example consumer), and in the adversarial scenario
12 is the adversarial requester and 13 the relayer that copies results from the mempool; 14 owns the
sealed models (issue 18) and 15 requests the private one.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from devchain.accounts import dev_private_key

from . import DevnetError
from .binary import Cloister

OWNER = 0
MAX_NODES = 8
COMMITTEE_MEMBER = 9
DIRECT_REQUESTER = 10
CONSUMER_USER = 11
ADVERSARY_REQUESTER = 12
RELAYER = 13
MODEL_OWNER = 14
PRIVATE_REQUESTER = 15
ACCOUNT_COUNT = 16


def operator_account(node_index: int) -> int:
    """Dev account of node `node_index` (0-based)."""
    if not 0 <= node_index < MAX_NODES:
        raise DevnetError(f"at most {MAX_NODES} nodes (dev accounts 1..{MAX_NODES} operate them)")
    return node_index + 1


@dataclass(frozen=True)
class Wallet:
    """A keystore v3 file, its password file, and the address inside."""

    keystore: Path
    password_file: Path
    address: str


def make_wallet(cloister: Cloister, folder: Path, name: str, account: int) -> Wallet:
    """Writes `folder/name.json` (dev key `account`) and `folder/name.password` (random, mode 0600);
    keeps both if an earlier run in the same state folder wrote them."""
    folder.mkdir(parents=True, exist_ok=True)
    keystore, password_file = folder / f"{name}.json", folder / f"{name}.password"
    if keystore.exists() and password_file.exists():
        return Wallet(keystore, password_file, cloister.key_address(keystore, password_file))
    keystore.unlink(missing_ok=True)
    password_file.touch(mode=0o600)
    password_file.write_text(secrets.token_hex(16) + "\n")
    address = cloister.import_key(dev_private_key(account), keystore, password_file)
    return Wallet(keystore, password_file, address)
