"""The process and HTTP front: start-up options, hostile requests, concurrent clients."""

import http.client
import json
import threading

from devchain.client import RPCClient
import pytest

from devchain.testing import DevchainStartError, Wallet, running_devchain


def test_port_file_and_automine_flag(tmp_path):
    port_file = tmp_path / "port"
    with running_devchain(accounts=3, extra_args=("--port-file", str(port_file), "--no-automine")) as node:
        assert node.url.endswith(":" + port_file.read_text().strip())
        client = node.client
        assert client.call("anvil_getAutomine") is False
        assert client.call("eth_accounts") == ["0x" + a.address.hex() for a in node.accounts]
        assert len(node.accounts) == 3


def test_start_failure_is_reported(tmp_path):
    with pytest.raises(DevchainStartError) as caught:
        with running_devchain(extra_args=("--port-file", str(tmp_path / "missing-dir" / "port"))):
            pass
    assert "cannot write the port file" in str(caught.value) and "Traceback" not in str(caught.value)


def test_hostile_requests_do_not_hurt_the_server(node, rpc):
    host, port = node.url.removeprefix("http://").split(":")
    bodies = [b"[" * 100_000, b'{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":' + b"[" * 50_000 + b"]",
              b'{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0x' + b"f" * 100_000 + b'"]}',
              b'{"jsonrpc":"2.0","id":' + b"9" * 5000 + b',"method":"eth_chainId"}', b"\x00" * 1000]
    for body in bodies:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("POST", "/", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        assert response.status == 200
        assert b'"error"' in response.read()
        connection.close()
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/")
    assert connection.getresponse().status == 405
    connection.close()
    assert rpc.call("eth_chainId") == "0x7a69"


def test_concurrent_senders_all_land(node, rpc):
    start = int(rpc.call("eth_blockNumber"), 16)
    hashes, failures = [], []

    def send(index):
        try:
            client = RPCClient(node.url)
            wallet = Wallet(client, node.accounts[index].private_key, node.chain_id)
            for _ in range(5):
                hashes.append(wallet.send(to=node.accounts[0].checksum_address, value=1, gas=21000))
        except Exception as error:  # reported below; a thread cannot fail the test by itself
            failures.append(error)

    threads = [threading.Thread(target=send, args=(i,)) for i in (1, 2, 3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert int(rpc.call("eth_blockNumber"), 16) == start + 20
    assert all(rpc.call("eth_getTransactionReceipt", h)["status"] == "0x1" for h in hashes)


def test_deep_evm_recursion_in_a_server_thread(rpc, restore):
    # CALL(gas, address(this), 0, 0, 0, 0, 0) then STOP: the contract calls itself until gas or depth runs out.
    recursive = "0x" + "6000" * 5 + "30" + "5a" + "f1" + "00"
    target = "0x" + "3c" * 20
    rpc.call("anvil_setCode", target, recursive)
    assert rpc.call("eth_call", {"to": target, "gas": hex(30_000_000)}) == "0x"
    assert int(rpc.call("eth_estimateGas", {"to": target}), 16) > 21000
    assert rpc.call("eth_chainId") == "0x7a69"


def test_chunked_request_bodies(node):
    host, port = node.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    parts = [b'{"jsonrpc":"2.0","id":5,', b'"method":"eth_chainId"}']
    connection.request("POST", "/", iter(parts), {"Content-Type": "application/json"}, encode_chunked=True)
    assert json.loads(connection.getresponse().read()) == {"jsonrpc": "2.0", "id": 5, "result": "0x7a69"}
    connection.close()
