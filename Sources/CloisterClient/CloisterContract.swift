import Ethereum

/// The events and functions of the Cloister core that the client and the node use: one definition each,
/// checked against the ABI the Vyper compiler emits (`ContractBindingTests`).
public enum CloisterContract {
    public static let requested = try! ABIEvent(
        signature:
            "Requested(bytes32 indexed id,uint256 indexed node,bytes32 indexed model,address requester,address callback,uint256 callbackGas,uint256 fee,uint256 deadline,uint256[] recipients,bytes outputKey,bytes input)"
    )
    public static let fulfilled = try! ABIEvent(
        signature:
            "Fulfilled(bytes32 indexed id,uint256 indexed node,uint256 status,bytes32 outputCommitment,uint256 fulfilledAt,bool callbackOk,bytes output,uint256 paramsVersion)"
    )
    public static let nodeRegistered = try! ABIEvent(signature: "NodeRegistered(uint256 indexed node,address indexed operator,uint256 stake,bytes32[] models)")
    public static let settled = try! ABIEvent(
        signature: "Settled(bytes32 indexed id,uint256 indexed node,uint256 executorAmount,uint256 verifier,uint256 verifierAmount,uint256 protocolAmount)")
    public static let refunded = try! ABIEvent(signature: "Refunded(bytes32 indexed id,address indexed requester,uint256 fee,uint256 slashed)")
    public static let stakeChanged = try! ABIEvent(signature: "StakeChanged(uint256 indexed node,uint256 stake)")
    public static let nodeStatusChanged = try! ABIEvent(signature: "NodeStatusChanged(uint256 indexed node,uint256 status,uint256 unbondAt)")
    public static let slashed = try! ABIEvent(signature: "Slashed(uint256 indexed node,uint256 amount,uint256 reason)")
    public static let credited = try! ABIEvent(signature: "Credited(address indexed account,uint256 amount,uint256 reason)")
    public static let nodeAttested = try! ABIEvent(
        signature:
            "NodeAttested(uint256 indexed node,address indexed signer,bytes publicKey,bytes32 attestationDigest,bytes32 workloadId,bytes32 softwareVersion,uint256 expiry)"
    )

    public static let request = try! ABIFunction(signature: "request(bytes32,bytes,address,uint256,uint256,bytes,uint256[])")
    public static let register = try! ABIFunction(signature: "register(bytes,bytes32[],bytes,bytes32,uint256,bytes)")
    public static let reattest = try! ABIFunction(signature: "reattest(uint256,bytes,bytes,bytes32,uint256,bytes)")
    public static let exit = try! ABIFunction(signature: "exit(uint256)")
    public static let withdrawStake = try! ABIFunction(signature: "withdrawStake(uint256)")
    public static let settle = try! ABIFunction(signature: "settle(\(ArbiterContract.request),\(ArbiterContract.fulfilment))")
    public static let settleBatch = try! ABIFunction(signature: "settleBatch(\(ArbiterContract.request)[],\(ArbiterContract.fulfilment)[])")
    public static let refund = try! ABIFunction(signature: "refund(\(ArbiterContract.request))")
    public static let withdraw = try! ABIFunction(signature: "withdraw()")
    public static let requestFee = try! ABIFunction(signature: "requestFee(bytes32,uint256)", returns: "(uint256)")
    public static let signerNode = try! ABIFunction(signature: "signerNode(address)", returns: "(uint256)")

    public static let models = try! ABIFunction(signature: "models(bytes32)")
    public static let params = try! ABIFunction(signature: "params()")
    /// `paramsAt(version)`: a parameter set the core has had; results keep the one they were fulfilled under.
    public static let paramsAt = try! ABIFunction(signature: "paramsAt(uint256)")
    public static let nodeCount = try! ABIFunction(signature: "nodeCount()")
    public static let nodes = try! ABIFunction(signature: "nodes(uint256)")
    public static let credits = try! ABIFunction(signature: "credits(address)")
    /// `requests(id)`: the hash of a pending request or of a result, or a terminal marker (1 final, 2 refunded).
    public static let requests = try! ABIFunction(signature: "requests(bytes32)", returns: "(bytes32)")

}
