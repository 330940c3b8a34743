"""End to end over JSON-RPC: the devchain server, raw EIP-1559 transactions signed by eth-account,
logs read back with eth_getLogs, and a staged reorg that drops a fulfilment."""
import sys

import pytest
from eth_utils import keccak

import cloister_kit as K

sys.path.insert(0, str(K.ROOT / "scripts"))
sys.path.insert(0, str(K.ROOT))

from cloister_chain import TransactionFailed, view  # noqa: E402
from devchain.testing import running_devchain  # noqa: E402
from gas import MODEL, Scenario  # noqa: E402


@pytest.fixture(scope="module")
def scenario():
    with running_devchain() as chain:
        s = Scenario(chain.url, chain.chain_id)
        for i in (1, 2, 3):
            s.register(i, [MODEL])
        yield s


def logs(s, contract, topic0, block_from, request_id=None):
    topics = [topic0] + (["0x" + request_id.hex()] if request_id else [])
    return s.rpc.call("eth_getLogs", {"address": contract.address, "fromBlock": hex(block_from), "toBlock": "latest",
                                      "topics": topics})


FULFILLED = "0x" + keccak(text="Fulfilled(bytes32,uint256,uint256,bytes32,uint256,bool,bytes,uint256)").hex()
REQUESTED = "0x" + keccak(text="Requested(bytes32,uint256,bytes32,address,address,uint256,uint256,uint256,uint256[],bytes,bytes)").hex()


def conserved(s) -> bool:
    balance = int(s.rpc.call("eth_getBalance", s.core.address, "latest"), 16)
    return balance == view(s.rpc, s.core, "accounted")


def test_request_fulfil_settle_withdraw_over_rpc(scenario):
    s = scenario
    start = int(s.rpc.call("eth_blockNumber"), 16)
    req, receipt = s.request(b"the film was wonderful")
    assert len(logs(s, s.core, REQUESTED, start, req[0])) == 1
    assert view(s.rpc, s.core, "requests", req[0]) == K.pending_hash(req)
    ful, receipt = s.fulfil(req)
    found = logs(s, s.core, FULFILLED, start, req[0])
    assert len(found) == 1 and found[0]["transactionHash"] == receipt["transactionHash"]
    assert view(s.rpc, s.core, "requests", req[0]) == K.fulfilled_hash(req, ful)
    with pytest.raises(TransactionFailed):  # at most once, on a real chain too
        s.operators[req[8]].transact(s.core, "fulfil", req, s.result(req[8], req), gas=500_000)
    s.mine(151, seconds=3601)
    s.owner.transact(s.core, "settle", req, ful)
    operator = s.operators[req[8]]
    owed = view(s.rpc, s.core, "credits", operator.address)
    assert owed == K.MODEL_FEE - K.MODEL_FEE * 5 // 100
    before = int(s.rpc.call("eth_getBalance", operator.address, "latest"), 16)
    receipt = operator.transact(s.core, "withdraw")
    spent = int(receipt["gasUsed"], 16) * int(receipt["effectiveGasPrice"], 16)
    assert int(s.rpc.call("eth_getBalance", operator.address, "latest"), 16) == before + owed - spent
    assert conserved(s)


def test_staged_reorg_drops_a_fulfilment(scenario):
    s = scenario
    req, _ = s.request(b"reorg me")
    fork_height = int(s.rpc.call("eth_blockNumber"), 16)
    snapshot = s.rpc.call("evm_snapshot")
    ful, receipt = s.fulfil(req)
    orphaned_hash = receipt["blockHash"]
    assert view(s.rpc, s.core, "requests", req[0]) == K.fulfilled_hash(req, ful)
    assert s.rpc.call("evm_revert", snapshot) is True
    # the other branch: a different transaction at the same height, then more blocks than the old branch had
    other, _ = s.request(b"other branch")
    s.mine(3)
    assert int(s.rpc.call("eth_blockNumber"), 16) > int(receipt["blockNumber"], 16)
    replaced = s.rpc.call("eth_getBlockByNumber", receipt["blockNumber"], False)
    assert replaced["hash"] != orphaned_hash
    assert s.rpc.call("eth_getTransactionReceipt", receipt["transactionHash"]) is None
    assert logs(s, s.core, FULFILLED, fork_height + 1, req[0]) == []
    assert view(s.rpc, s.core, "requests", req[0]) == K.pending_hash(req)
    # the node re-submits its signed result on the new branch
    ful2, _ = s.fulfil(req)
    assert view(s.rpc, s.core, "requests", req[0]) == K.fulfilled_hash(req, ful2)
    assert len(logs(s, s.core, FULFILLED, fork_height + 1, req[0])) == 1
    assert conserved(s)


def test_refund_after_timeout_over_rpc(scenario):
    s = scenario
    req, _ = s.request(b"nobody answers", deadline=s.now() + 130)
    s.mine(1, seconds=131)
    stake_before = view(s.rpc, s.core, "nodes", req[8])[3]
    s.requester.transact(s.core, "refund", req)
    assert view(s.rpc, s.core, "requests", req[0]) == b"\x00" * 31 + b"\x02"
    assert view(s.rpc, s.core, "nodes", req[8])[3] == stake_before - stake_before // 100
    assert conserved(s)


def test_deploy_command_writes_a_complete_record(scenario, tmp_path, capsys):
    import json

    from deploy import contracts_from
    from deploy import main as deploy_main
    from devchain.accounts import dev_private_key

    out = tmp_path / "deployment.json"
    model = "0x" + MODEL.hex()
    assert deploy_main(["--rpc", scenario.rpc.url, "--key", dev_private_key(5).hex(), "--out", str(out),
                        "--model", f"{model}:1000", "--workload", "0x" + K.workload_id(K.TDX_QUOTE).hex()]) == 0
    record = json.loads(out.read_text())
    assert record["chainId"] == scenario.chain_id and record["params"]["verifyBps"] == 100
    for name in ("CommitteeVerifier", "Admission", "Cloister", "WrapCheck", "Arbiter", "Governance", "ModelVault"):
        entry = record["contracts"][name]
        assert scenario.rpc.call("eth_getCode", entry["address"], "latest") != "0x"
        assert entry["block"] >= record["deploymentBlock"] and entry["abi"]
    assert record["models"] == [{"id": model, "fee": 1000, "deterministic": True}]
    assert record["owner"] == record["deployer"]  # a local chain keeps a direct owner by default
    vault = contracts_from(record)["ModelVault"]  # the vault reads the core it was deployed for
    assert view(scenario.rpc, vault, "core").lower() == record["contracts"]["Cloister"]["address"].lower()
    # --governed (the default on any other chain): Governance owns every contract that has an owner
    governed = tmp_path / "governed.json"
    assert deploy_main(["--rpc", scenario.rpc.url, "--key", dev_private_key(5).hex(), "--out", str(governed),
                        "--governed"]) == 0
    record = json.loads(governed.read_text())
    contracts = contracts_from(record)
    assert record["owner"] == contracts["Governance"].address
    for name in ("CommitteeVerifier", "Admission", "Cloister"):
        assert view(scenario.rpc, contracts[name], "owner").lower() == contracts["Governance"].address.lower()
    assert deploy_main(["--rpc", scenario.rpc.url, "--key", "0xzz"]) == 2
    assert "deploy: bad --key" in capsys.readouterr().err
