"""fixtures/ethereum/blooms.json: logs blooms from eth-bloom (the implementation py-evm builds block
headers with), for seeded sets of log addresses and topics, and values checked against each bloom with
eth-bloom's verdict, so the Swift LogsBloom is compared with code we did not write."""
import json
import random

from eth_bloom import BloomFilter

SEED = 0xB100


def write(out) -> None:
    rng = random.Random(SEED)
    cases = []
    for index in range(24):
        values = [rng.randbytes(20 if k % 3 == 0 else 32) for k in range(rng.choice([0, 1, 2, 5, 40, 200]))]
        bloom = BloomFilter()
        for value in values:
            bloom.add(value)
        probes = values[:3] + [rng.randbytes(rng.choice([20, 32])) for _ in range(8)]
        cases.append({
            "values": ["0x" + value.hex() for value in values],
            "bloom": "0x" + int(bloom).to_bytes(256, "big").hex(),
            "probes": [{"value": "0x" + probe.hex(), "mightContain": probe in bloom} for probe in probes],
        })
    (out / "blooms.json").write_text(json.dumps(cases, indent=1) + "\n")
