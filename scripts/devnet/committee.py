"""The attestation committee service (`cloister committee serve`): vouches for simulated quotes at registration."""
from __future__ import annotations

from pathlib import Path

from .accounts import Wallet
from .binary import Cloister
from .processes import Child

READY = r"committee: listening on (http://\S+)"


class Committee:
    """The single committee member's service; `url` is set once it is listening."""

    def __init__(self, cloister: Cloister, deployment_file: Path, wallet: Wallet, seed: str, folder: Path):
        self.wallet = wallet
        self.url: str | None = None
        self.child = Child("committee", cloister.argv(
            "committee", "serve", "--deployment", deployment_file,
            "--keystore", wallet.keystore, "--password-file", wallet.password_file,
            "--host", "127.0.0.1", "--port", 0, "--allow-simulated", "--simulation-seed", seed),
            folder / "committee.log", ready=READY)

    def __enter__(self) -> Committee:
        self.url = self.child.start(timeout=60).group(1)
        return self

    def __exit__(self, *exc) -> None:
        self.child.stop()
