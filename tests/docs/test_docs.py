"""Every shell command, Python example and contract in the README and the dApp docs, run as written against
a dev network, so a stale seed, file, formula or model id fails here (issue 15, item 1).

How a fenced block is treated (the HTML comment is the line right before the fence; readers never see it):

| block | what this test does |
| --- | --- |
| ```sh / ```bash | runs it verbatim with bash (-e -u -o pipefail) in a copy of the repository whose `.state/demo` is this test's network (so `. .state/demo/env.sh` works as it does after `make demo DEMO_ARGS="--keep-running --state-dir .state/demo"`) |
| ```python | runs it verbatim with this Python, there, with the variables of `.state/demo/env.sh` in its environment |
| ```vyper after `<!-- docs-test: vyper-consumer TASK -->` | compiles it with the repository root on the search path, deploys it with (core, the TASK model), calls `ask(...)` with TASK's example values paying `fee()`, waits for the node's answer and requires the callback to have succeeded, and a callback from anyone else to be refused |
| ```solidity after `<!-- docs-test: solidity -->` | parses it (no Solidity compiler here), resolves its imports from `contracts/`, and requires every kit helper it calls to exist in the kit with the same parameter count |
| `<!-- docs-test: needs cloister SUBCOMMAND [--flag …]; cloister … -->` before ```sh | runs it like any shell block if the binary has every subcommand and flag named; otherwise skips, naming what is missing (the CLI of issue 15, item 4) |
| `<!-- docs-test: skip: REASON -->` | not run; the reason is required |

Blocks in other languages (output, TOML, tables of bytes) are not run.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests" / "contracts"))

from cloister_chain import TransactionFailed, compile_contract  # noqa: E402
from devnet.accounts import CONSUMER_USER  # noqa: E402
from devnet.network import SEED, dev_network  # noqa: E402
from devnet.userenv import write_user_environment  # noqa: E402
from solidity_ast import parse_solidity  # noqa: E402

DOCS = ["README.md", "docs/contracts.md", "docs/envelope.md", "docs/python-client.md", "docs/demo.md"]
SHELL, RUN = {"sh", "bash"}, {"sh", "bash", "python", "vyper", "solidity"}
DIRECTIVE = re.compile(r"^<!-- docs-test: (.*?) -->$")
EXAMPLES = {"classify": ("The striker signed a three-year contract", ["finance", "sport", "politics"]),
            "similarity": ("a cat sleeps", "a kitten naps"), "embed": ("a cat sleeps",)}


@dataclass(frozen=True)
class Block:
    doc: str
    line: int
    language: str
    code: str
    directive: str | None

    @property
    def name(self) -> str:
        return f"{self.doc}:{self.line}"


def blocks(doc: str) -> list[Block]:
    lines = (ROOT / doc).read_text().splitlines()
    found, i = [], 0
    while i < len(lines):
        fence = re.match(r"^```(\w*)\s*$", lines[i])
        if not fence:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        previous = next((lines[j].strip() for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        directive = DIRECTIVE.match(previous)
        found.append(Block(doc, i + 1, fence.group(1), "\n".join(lines[i + 1:end]) + "\n",
                           directive.group(1) if directive else None))
        i = end + 1
    return found


ALL = [b for doc in DOCS for b in blocks(doc) if b.language in RUN]
RUNNABLE = [b for b in ALL if not (b.directive or "").startswith("skip:")]


def test_every_block_is_run_or_skipped_for_a_stated_reason():
    assert len(ALL) >= 12 and RUNNABLE
    for block in ALL:
        d = block.directive
        if d is None:
            assert block.language in SHELL | {"python"}, f"{block.name}: a {block.language} block needs a directive"
        elif d.startswith("skip:"):
            assert len(d.removeprefix("skip:").strip()) > 10, f"{block.name}: say why it is not run"
        elif d.startswith("vyper-consumer "):
            assert block.language == "vyper" and d.split()[1] in EXAMPLES, block.name
        elif d.startswith("needs cloister "):
            assert block.language in SHELL, block.name
        else:
            assert d == "solidity" and block.language == "solidity", f"{block.name}: unknown directive {d!r}"


def test_documented_seed_is_the_dev_networks():
    """The operator's example configuration must trust the nodes the demo starts (a stale seed fails)."""
    for doc in ("docs/operations.md", "docs/configuration.md"):
        seeds = re.findall(r'simulation_seed\W+"([^"]+)"', (ROOT / doc).read_text())
        assert seeds and set(seeds) == {SEED}, (doc, seeds)


def test_no_doc_points_at_a_committed_deployment_file():
    assert not list((ROOT / "deployments").glob("*.json")) or "deployments/*.json" in (ROOT / ".gitignore").read_text()
    tracked = subprocess.run(["git", "ls-files", "deployments"], cwd=ROOT, capture_output=True, text=True).stdout
    assert tracked.strip() == "", "deployment records are written by deploy.py or the demo, never committed"


# ---- against a running network --------------------------------------------------------------------
@pytest.fixture(scope="module")
def network(tmp_path_factory):
    with dev_network(tmp_path_factory.mktemp("docs-network"), node_count=2) as net:
        user = write_user_environment(net)
        workspace = tmp_path_factory.mktemp("docs-workspace")
        for entry in ROOT.iterdir():
            if entry.name not in (".state", ".git"):
                (workspace / entry.name).symlink_to(entry)
        (workspace / ".state").mkdir()
        (workspace / ".state" / "demo").symlink_to(net.state_dir)
        yield net, user, workspace


def base_environment() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("CLOISTER_") or k == "CLOISTER_BIN"}


def run_shell(block: Block, workspace: Path) -> None:
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", block.code], cwd=workspace, env=base_environment(),
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, f"{block.name} failed ({done.returncode}):\n{block.code}\n{done.stdout}\n{done.stderr}"


def missing_feature(net, needs: str) -> str | None:
    """What the binary lacks of `cloister SUBCOMMAND [--flag …]; cloister …` (requirements separated by ";"), or None."""
    for requirement in needs.split(";"):
        words = requirement.split()[1:]  # after "cloister"
        command = [w for w in words if not w.startswith("--")]
        flags = [w for w in words if w.startswith("--")]
        if not command:  # a top-level flag such as --version
            done = subprocess.run(net.cloister.argv(*flags), capture_output=True, text=True)
            if done.returncode != 0:
                return requirement.strip()
            continue
        done = subprocess.run(net.cloister.argv(*command, "--help"), capture_output=True, text=True)
        if done.returncode != 0 or "USAGE: cloister " + " ".join(command) not in done.stdout:
            return "cloister " + " ".join(command)
        absent = [f for f in flags if f not in done.stdout]
        if absent:
            return f"cloister {' '.join(command)} {' '.join(absent)}"
    return None


def deploy_vyper_consumer(block: Block, net, tmp: Path):
    task = block.directive.split()[1]
    source = tmp / "DocConsumer.vy"
    source.write_text(block.code)
    from vyper.cli.vyper_compile import compile_files
    compiled = next(iter(compile_files([source], ("abi", "bytecode"), paths=[str(ROOT)]).values()))
    signer = net.chain.signer(CONSUMER_USER)
    consumer, _ = signer.deploy(compiled, ["address", "bytes32"], [net.deployment.core.address, net.deployment.models[task]])
    return task, signer, consumer


def wait_fulfilled(net, request_id: bytes, timeout: float = 120.0) -> dict:
    core = net.deployment.core
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        logs = net.chain.rpc.call("eth_getLogs", {"address": core.address, "fromBlock": "0x0", "toBlock": "latest",
                                                  "topics": [None, "0x" + request_id.hex()]})
        for _, fields in core.events({"logs": logs}):
            if "callbackOk" in fields:
                return fields
        time.sleep(0.2)
    raise AssertionError(f"no Fulfilled event for 0x{request_id.hex()} within {timeout:.0f} s")


def run_vyper_consumer(block: Block, net, tmp: Path) -> None:
    from cloister_chain import view
    task, signer, consumer = deploy_vyper_consumer(block, net, tmp)
    fee = view(net.chain.rpc, consumer, "fee")
    assert fee > net.deployment.fee(task)  # the model fee plus the callback's gas
    receipt = signer.transact(consumer, "ask", *EXAMPLES[task], value=fee)
    requested = next(f for n, f in net.deployment.core.events(receipt) if n == "Requested")
    fulfilled = wait_fulfilled(net, requested["id"])
    assert fulfilled["status"] == 0 and fulfilled["callbackOk"], f"{block.name}: the snippet's callback failed"
    with pytest.raises(TransactionFailed):  # only the core may call back
        signer.transact(consumer, "cloisterCallback", requested["id"], 0, b"forged", gas=200_000)


def check_solidity(block: Block) -> None:
    ast = parse_solidity(Path(block.name), block.code)
    for child in ast["children"]:
        if child["type"] == "ImportDirective":
            assert (ROOT / "contracts" / child["path"]).is_file(), f"{block.name}: import {child['path']} not found"
    kit = parse_solidity(ROOT / "contracts/kits/CloisterConsumer.sol")
    helpers = {f["name"]: len(f["parameters"]["parameters"]) for c in kit["children"] if c["type"] == "ContractDefinition"
               for f in c["subNodes"] if f["type"] == "FunctionDefinition"}
    for name, args in re.findall(r"\b(_[a-z]\w*)\(([^;{]*?)\)\s*[;{]", block.code):
        if name in helpers and not re.search(r"function\s+" + name + r"\b", block.code):
            count = len([a for a in re.split(r",(?![^(]*\))", args) if a.strip()])
            assert count == helpers[name], f"{block.name}: {name} takes {helpers[name]} arguments, the snippet passes {count}"
    assert "_onResult(bytes32 requestId, uint8 status, bytes calldata output) internal override" in block.code or \
        "_onResult" not in block.code, f"{block.name}: _onResult must override the kit's signature"


@pytest.mark.node_e2e
@pytest.mark.parametrize("block", RUNNABLE, ids=lambda b: b.name)
def test_block_runs_as_written(block, network, tmp_path):
    net, user, workspace = network
    directive = block.directive or ""
    if directive.startswith("needs "):
        missing = missing_feature(net, directive.removeprefix("needs "))
        if missing:
            pytest.skip(f"the cloister binary lacks `{missing}` (planned in issue 15, item 4)")
    if block.language in SHELL:
        run_shell(block, workspace)
    elif block.language == "python":
        script = tmp_path / "example.py"
        script.write_text(block.code)
        done = subprocess.run([sys.executable, str(script)], cwd=workspace, env={**base_environment(), **user.variables},
                              capture_output=True, text=True, timeout=240)
        assert done.returncode == 0, f"{block.name} failed:\n{done.stdout}\n{done.stderr}"
    elif block.language == "vyper":
        run_vyper_consumer(block, net, tmp_path)
    else:
        check_solidity(block)


@pytest.mark.node_e2e
def test_quickstart_table_is_the_deployment(network):
    """Each row's model id is the one the dev network deploys for its task (the engine's), and its input and
    output are the deployment record's declarations."""
    net, _, _ = network
    text = (ROOT / "docs/contracts.md").read_text()
    rows = re.findall(r"^\| (embed|similarity|classify|generate|score) \| `(0x[0-9a-f]{64})` \| `([^`]+)` \| `([^`]+)`", text, re.M)
    assert [r[0] for r in rows] == ["embed", "similarity", "classify", "generate", "score"]
    record = {m["task"]: m for m in json.loads(net.deployment.path.read_text())["models"]}
    for task, model, encoded_in, encoded_out in rows:
        assert model == "0x" + net.deployment.models[task].hex() == record[task]["id"], task
        assert (encoded_in, encoded_out) == (record[task]["input"], record[task]["output"]), task
