"""The funded dev accounts: deterministic keys anyone can recompute.

Key i is keccak256(b"cloister-dev-<i>") (no mnemonic, no HD path). These keys are
public by construction: they exist only for local tests and must never hold real value.
"""

from dataclasses import dataclass, field

from eth_hash.auto import keccak
from eth_keys import keys
from eth_utils import to_checksum_address

DEFAULT_ACCOUNT_COUNT = 10
DEFAULT_BALANCE_WEI = 10_000 * 10**18


@dataclass(frozen=True)
class DevAccount:
    index: int
    address: bytes
    private_key: bytes = field(repr=False)

    @property
    def checksum_address(self) -> str:
        return to_checksum_address(self.address)


def dev_private_key(index: int) -> bytes:
    return keccak(f"cloister-dev-{index}".encode())


def dev_accounts(count: int = DEFAULT_ACCOUNT_COUNT) -> list[DevAccount]:
    accounts = []
    for index in range(count):
        key = dev_private_key(index)
        address = keys.PrivateKey(key).public_key.to_canonical_address()
        accounts.append(DevAccount(index=index, address=address, private_key=key))
    return accounts
