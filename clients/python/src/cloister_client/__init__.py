"""Cloister from Python: models and nodes, attestation checks, sealed requests, results, refunds.

    from cloister_client import Cloister, Trust
    client = Cloister.from_keystore(rpc_url, "deployment.json", "me.json", "me.password")
    sent = client.request_confidential("classify", "rates rose again", ["finance", "sport"],
                                       trust=Trust.simulated("STATE/simulated-tee"))
    result = client.wait(sent)    # decrypted, checked against the signed commitment
    result.decoded                # {"best": 0, "scores": [...]}

docs/python-client.md is the guide.
"""
from .attestation import AttestationError, Trust, VerifiedNode
from .client import Cloister, CloisterError, Node, Result, Submitted, VaultModel
from .deployment import Deployment, ModelEntry
from .envelope import EnvelopeError, output_commitment

__all__ = ["AttestationError", "Cloister", "CloisterError", "Deployment", "EnvelopeError", "ModelEntry", "Node",
           "Result", "Submitted", "Trust", "VaultModel", "VerifiedNode", "output_commitment"]
__version__ = "0.1.0"
