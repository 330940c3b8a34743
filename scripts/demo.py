"""The local dev network end to end (`make demo`): chain, contracts, committee, nodes, a stream of requests.

    .venv/bin/python scripts/demo.py [--requests 40] [--nodes 2] [--confirmations 0] [--block-time S]
                                     [--state-dir DIR] [--timeout 300] [--keep-running]

Before them, issue 18's two lines (a model owner's sealed copy of MiniLM served end to end, and a private
copy released with differential privacy under a per-requester budget):
    demo: sealed model: R requested, F fulfilled, V verified by sampling, plaintext weights on disk N
    demo: privacy budget: ε spent X of Y, N refused over budget
Ends with two lines:
    demo: R requested, F fulfilled, S settled, E failed
    latency: p50 X ms, p95 Y ms, max Z ms (N requests, confirmations C)
the second followed, with --block-time, by "; next block P% at S s blocks" (the share of requests fulfilled in
the block after theirs, plus confirmations; the chain mines every S seconds while the requests flow)
and exits 1 if a request was left unfulfilled or a settlement failed. docs/demo.md explains each step.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from devnet import DevnetError  # noqa: E402
from devnet.processes import unwind_on_signals  # noqa: E402
from devnet.accounts import MAX_NODES  # noqa: E402
from devnet.network import SEED, Network, dev_network  # noqa: E402
from devnet.scenario import Run, run_traffic  # noqa: E402
from devnet.settlement import Settlement, await_settlement, credits, pass_windows  # noqa: E402
from devnet.summary import Summary  # noqa: E402
from devnet.binary import LLM_TASKS, TASKS  # noqa: E402
from devnet.traffic import GENERATE_TOKENS, plan  # noqa: E402
from devnet.userenv import UserEnvironment, write_user_environment  # noqa: E402
from devnet.accounts import MODEL_OWNER  # noqa: E402
from devnet.sealed import PRIVATE_POLICY, key_handoffs, run_private_requests, run_sealed_requests  # noqa: E402

SEALED_REQUESTS = 6
PRIVATE_REQUESTS = PRIVATE_POLICY["budget_micros"] // PRIVATE_POLICY["epsilon_micros"] + 2  # two past the budget


def say(line: str) -> None:
    print(f"demo: {line}", flush=True)


class Progress:
    """The progress line: printed when it changed, and every 30 s while nothing moves."""

    def __init__(self):
        self.last, self.printed_at = "", 0.0

    def __call__(self, sent: int, fulfilled: int) -> None:
        line = f"{sent} requested / {fulfilled} fulfilled / 0 settled"
        if line != self.last or time.monotonic() - self.printed_at >= 30:
            say(line)
            self.last, self.printed_at = line, time.monotonic()



def settle_run(net: Network, run: Run) -> Settlement:
    """Moves the chain past the windows and waits for the nodes to settle every result the run got."""
    answered = [i for i in run.ids if run.observer.first_fulfilment(i) is not None]
    params = net.deployment.params()
    say(f"settlement of {len(answered)} results: clock +{params['challengeWindow'] + 1} s and "
        f"{params['verifyWindowBlocks'] + 1} blocks mined; each node settles its own (settleBatch)")
    pass_windows(net.chain, net.deployment)
    result = await_settlement(net.chain, net.deployment, answered)
    for request_id, reason in result.failed.items():
        say(f"settlement of 0x{request_id.hex()} failed: {reason}")
    return result


def report_outcomes(net: Network, run: Run, settlement: Settlement) -> None:
    """Error results, callbacks and what each operator earned."""
    observer = run.observer
    for sent in run.sent:
        first = observer.first_fulfilment(sent.id)
        if first is not None and first.status != 0:
            kind = "malformed on purpose" if sent.planned.malformed else "UNEXPECTED"
            say(f"error result ({kind}) for 0x{sent.id.hex()[:16]}…: status {first.status}, "
                f"{first.output.decode(errors='replace')!r}")
        elif first is None:
            say(f"no result for 0x{sent.id.hex()} ({sent.planned.task}, {sent.planned.via})")
    asked = [s.id for s in run.sent if s.planned.via == "consumer"]
    answered = sum(1 for i in asked if i in observer.answered)
    reverted = sum(1 for f in map(observer.first_fulfilment, asked) if f is not None and not f.callback_ok)
    say(f"consumer callbacks: {answered} of {len(asked)} questions answered"
        + (f"; {reverted} callbacks failed (Fulfilled.callbackOk false)" if reverted else ""))
    earned = credits(net.chain, net.deployment, [node.wallet.address for node in net.nodes])
    for node in net.nodes:
        served = sum(1 for f in settlement.settled.values() if f["node"] == node.node_id)
        say(f"node {node.index} (id {node.node_id}): {served} results settled, "
            f"credits {earned[node.wallet.address] / 10**18:.6f} ETH")


def ask_llm(net: Network, env: UserEnvironment, run: Run) -> None:
    """The embedded LLM's share of the run, then one question asked in the clear and once sealed to verified
    enclaves with `cloister request`, as a user would; prints the answers."""
    llm = [s for s in run.sent if s.planned.task in LLM_TASKS and not s.planned.malformed]
    answered = [s for s in llm if (f := run.observer.first_fulfilment(s.id)) is not None and f.status == 0]
    say(f"embedded LLM: {len(llm)} generate/score requests in the run, {len(answered)} answered")
    question = "In one sentence: why do smart contracts need oracles?"
    for label, extra in (("in the clear", []), ("sealed to verified enclaves", ["--encrypt", "--allow-simulated",
                                                                              "--simulation-seed", SEED])):
        out = net.cloister.run(f"LLM request ({label})", "request", "--rpc", net.chain.url, "--deployment", net.deployment.path,
                               "--keystore", env.requester.keystore, "--password-file", env.requester.password_file,
                               "--task", "generate", "--text", question, "--max-tokens", GENERATE_TOKENS, "--wait",
                               "--json", *extra, timeout=300)
        answer = json.loads(out)
        if answer.get("status") != 0 or not answer.get("commitment_matches"):
            raise DevnetError(f"LLM request ({label}) was not answered: {answer}")
        say(f"LLM answer ({label}, {answer['tokens']} tokens, commitment matches): {answer['text']!r}")


def sealed_models(net: Network, since: float) -> tuple[bool, list[str]]:
    """Issue 18 on the running network: requests to the owner's sealed copy of MiniLM (verification sampling
    at 100 % for them), then private requests from one requester past its privacy budget. Returns whether all
    went as they must (every sealed request fulfilled and verified, no plaintext on disk, exactly the budget
    spent) and the two summary lines."""
    by_owner, by_enclaves = key_handoffs(net.chain, net.deployment, net.chain.signer(MODEL_OWNER).address)
    say(f"sealed model: keys published by the owner {by_owner}, passed on by enclaves that held them {by_enclaves}; "
        f"{SEALED_REQUESTS} requests to the owner's sealed copy of MiniLM (the nodes fetched it over HTTP and opened it "
        "in their enclaves)")
    sealed = run_sealed_requests(net, SEALED_REQUESTS, since)
    say(f"privacy budget: {PRIVATE_REQUESTS} private requests from one requester through the vault "
        f"(ε {PRIVATE_POLICY['epsilon_micros'] / 1e6:g} each, budget {PRIVATE_POLICY['budget_micros'] / 1e6:g} a day)")
    budget = run_private_requests(net, PRIVATE_REQUESTS)
    lines = [f"demo: sealed model: {sealed.requested} requested, {sealed.fulfilled} fulfilled, {sealed.verified} verified by "
             f"sampling, plaintext weights on disk {sealed.plaintext_files}",
             f"demo: privacy budget: ε spent {budget.spent_micros / 1e6:g} of {budget.budget_micros / 1e6:g}, "
             f"{budget.refused} refused over budget"]
    ok = (sealed.fulfilled == sealed.verified == sealed.requested and sealed.plaintext_files == 0
          and by_owner == len(net.sealed) and by_enclaves == len(net.sealed) * (len(net.nodes) - 1)
          and budget.spent_micros == budget.budget_micros and budget.answered + budget.refused == PRIVATE_REQUESTS)
    return ok, lines


def keep_running(net: Network, run: Run, env: UserEnvironment) -> None:
    """Prints where everything is and commands to try, then waits for Ctrl-C."""
    node = net.nodes[0]
    executors = {s.id: run.observer.first_fulfilment(s.id) for s in run.sent}
    served = next((i for i, f in executors.items() if f and f.node == node.node_id), run.sent[0].id)
    request = ('cloister request --rpc "$CLOISTER_RPC" --deployment "$CLOISTER_DEPLOYMENT" '
               '--keystore "$CLOISTER_KEYSTORE" --password-file "$CLOISTER_PASSWORD_FILE"')
    say("the network stays up; Ctrl-C stops it")
    print(f"  RPC:        {net.chain.url} (chain id {net.chain.chain_id})")
    print(f"  deployment: {net.deployment.path}")
    print(f"  consumer:   {net.deployment.consumer.address} (ZeroShotClassifier, ABI in "
          f"{net.deployment.path.with_name('consumer.json')})")
    print(f"  committee:  {net.committee.url}")
    for n in net.nodes:
        print(f"  node {n.index}:     {n.url}  config {n.config}  log {n.child.log_path}")
    print(f"  environment: {env.path} (RPC, deployment, a requester wallet, the simulated TEE's anchor, "
          "cloister on PATH)")
    print("  try, in another shell:")
    print(f"    . {env.path}")
    print(f"    {request} --task classify --text 'The striker signed a three-year contract' "
          "--labels finance,sport,politics --wait")
    print(f"    {request} --task similarity --text 'a cat sleeps' --text2 'a kitten naps' --encrypt --allow-simulated")
    print(f"    curl {node.url}/v1/status")
    print(f"    curl {node.url}/v1/jobs/0x{served.hex()}")
    print(f"    curl {node.url}/metrics")
    threading.Event().wait()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="how many requests to send (default 40)")
    parser.add_argument("--nodes", type=int, default=2, help="how many nodes to run (default 2, at most 8)")
    parser.add_argument("--confirmations", type=int, default=0, help="the nodes' chain.confirmations (default 0)")
    parser.add_argument("--state-dir", type=Path, help="where keystores, configurations, databases and logs go "
                                                       "(default: a new temporary folder)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for results after the last "
                                                                   "request (default 300)")
    parser.add_argument("--block-time", type=int, help="mine a block every S seconds while the requests flow, as a "
                                                        "real chain does, instead of one per transaction")
    parser.add_argument("--keep-running", action="store_true", help="leave chain and nodes up after the summary")
    args = parser.parse_args(argv)
    if args.requests < 1 or not 1 <= args.nodes <= MAX_NODES:
        parser.error(f"--requests must be at least 1 and --nodes between 1 and {MAX_NODES}")
    if args.block_time is not None and not 1 <= args.block_time <= 60:
        parser.error("--block-time must be between 1 and 60 seconds")
    state_dir = (args.state_dir or Path(tempfile.mkdtemp(prefix="cloister-demo-"))).resolve()
    unwind_on_signals()
    started = time.monotonic()
    started_at = time.time()
    say(f"state folder {state_dir}")
    summary = settlement = None
    sealed_ok = False
    try:
        with dev_network(state_dir, args.nodes, args.confirmations, log=say, sealed=True) as net:
            env = write_user_environment(net)
            say(f"environment for your shell: . {env.path}")
            say(f"sending {args.requests} requests (half through the consumer, half direct, among them "
                "the embedded LLM's generate and score)")
            if args.block_time:
                say(f"the chain now mines a block every {args.block_time} s")
                net.chain.set_block_time(args.block_time)
            run = run_traffic(net, plan(args.requests, tasks=TASKS + LLM_TASKS), args.timeout, progress=Progress())
            if args.block_time:
                net.chain.set_block_time(None)  # settlement mines many blocks; back to one per transaction
            settlement = settle_run(net, run)
            summary = Summary.of(run.sent, run.observer, len(settlement.settled), args.confirmations, args.block_time)
            say(f"{summary.requested} requested / {summary.fulfilled + summary.errors} fulfilled / "
                f"{summary.settled} settled")
            report_outcomes(net, run, settlement)
            ask_llm(net, env, run)
            sealed_ok, sealed_lines = sealed_models(net, started_at)
            say(f"wall time {time.monotonic() - started:.1f} s")
            for line in sealed_lines + summary.lines():
                print(line, flush=True)
            if args.keep_running:
                keep_running(net, run, env)
    except DevnetError as error:
        print(f"demo: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("demo: stopped", file=sys.stderr)
        if summary is None:  # interrupted before the summary; after it, Ctrl-C ends --keep-running
            return 130
    return 1 if summary.unfulfilled or settlement.failed or not sealed_ok else 0


if __name__ == "__main__":
    sys.exit(main())
