"""The core's money at the end of a run: its balance against its own buckets and against the recorded flows.

Three independent views must agree: the balance the chain reports, the ledger's buckets (`accounted`,
contracts/lib/ledger.vy), and the sums of the events (fees, stakes and bonds in; withdrawals out;
credits per account; slashes shared out, kept as protocol fees, or burned for timeouts).
"""
from __future__ import annotations

from decimal import Decimal

from cloister_chain import view

from .adversary_events import ChainEvents
from .chain import Chain
from .deployment import Deployment

SLASH_SHARE, BOND_RETURN = 4, 5  # Credited reasons (contracts/lib/ledger.vy)


def eth(wei: int) -> str:
    """An amount in ETH, exact ("0" for nothing)."""
    return "0" if wei == 0 else f"{Decimal(wei) / 10**18:f} ETH"


def topped_up(events: ChainEvents) -> int:
    """Stake added with `addStake`: every rise of a node's stake after its registration (slashes only lower it)."""
    stakes, added = {}, 0
    for event in events.all:
        if event.name == "NodeRegistered":
            stakes[event.fields["node"]] = event.fields["stake"]
        elif event.name == "StakeChanged":
            node, stake = event.fields["node"], event.fields["stake"]
            added += max(stake - stakes.get(node, stake), 0)
            stakes[node] = stake
    return added


def ledger_problems(chain: Chain, deployment: Deployment, events: ChainEvents) -> tuple[list[str], str]:
    """(problems, summary): every way the balance, the buckets and the events disagree, and what they hold."""
    core = deployment.core

    def read(name: str, *args):
        return view(chain.rpc, core, name, *args)

    def total(name: str, key: str, **match) -> int:
        return sum(e.fields[key] for e in events.named(name, **match))

    bad = []
    balance = int(chain.rpc.call("eth_getBalance", core.address, "latest"), 16)
    if balance != read("accounted"):
        bad.append(f"balance {balance} != accounted {read('accounted')}")
    for bucket in ("escrowed", "bonds", "disputePool"):
        if read(bucket) != 0:
            bad.append(f"{bucket} {read(bucket)} left")
    stakes = sum(read("nodes", n)[3] for n in range(1, read("nodeCount") + 1))
    added = topped_up(events)
    staked = total("NodeRegistered", "stake") + added
    if not read("totalStake") == stakes == staked - total("Slashed", "amount"):
        bad.append(f"totalStake {read('totalStake')}, nodes' stakes {stakes}, registered + topped up - slashed "
                   f"{staked - total('Slashed', 'amount')}")
    accounts = {e.fields["account"] for e in events.all if e.name in ("Credited", "Withdrawn")}
    for account in accounts:
        if read("credits", account) != total("Credited", "amount", account=account) - total(
                "Withdrawn", "amount", account=account):
            bad.append(f"credits of {account} != credited - withdrawn")
    if read("totalCredits") != sum(read("credits", a) for a in accounts):
        bad.append("totalCredits != the sum of every account's credits")
    paid_in = total("Requested", "fee") + staked + total("DisputeOpened", "bond")
    paid_out = total("Withdrawn", "amount") + total("ProtocolFeesWithdrawn", "amount")
    if balance != paid_in - paid_out:
        bad.append(f"balance {balance} != fees + stakes + bonds - withdrawals {paid_in - paid_out}")
    burned = total("Refunded", "slashed")  # timeout slashes: burned, neither paid out nor protocol fees
    if read("burned") != burned:
        bad.append(f"burned {read('burned')} != the timeout slashes of the Refunded events {burned}")
    kept = (total("Settled", "protocolAmount") + total("Slashed", "amount") - burned + total("DisputeOpened", "bond")
            - total("Credited", "amount", reason=SLASH_SHARE) - total("Credited", "amount", reason=BOND_RETURN)
            - total("ProtocolFeesWithdrawn", "amount"))
    if read("protocolFees") != kept:
        bad.append(f"protocolFees {read('protocolFees')} != protocol shares + slashes and bonds not paid out {kept}")
    summary = (f"balance {eth(balance)} = stake {eth(read('totalStake'))} + credits {eth(read('totalCredits'))} + "
               f"protocol fees {eth(read('protocolFees'))} + burned {eth(read('burned'))}; {eth(paid_in)} paid in, {eth(paid_out)} withdrawn")
    return bad, summary
