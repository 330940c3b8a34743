import Ethereum

/// The events and functions of the model vault (`contracts/ModelVault.vy`) that the client and the node
/// use: one definition each, checked against the ABI the Vyper compiler emits (`ContractBindingTests`).
/// The vault keeps sealed models (where the encrypted weights are, their hashes), their keys wrapped to
/// attested enclaves, and the privacy budgets of models released with differential privacy.
public enum ModelVaultContract {
    public static let keyRequested = try! ABIEvent(
        signature: "KeyRequested(bytes32 indexed model,address indexed signer,bytes publicKey,bytes32 workload,uint256 expiry,uint256 epoch)")
    public static let keyPublished = try! ABIEvent(
        signature: "KeyPublished(bytes32 indexed model,uint256 epoch,address indexed recipient,address holder,bytes wrapped)")
    public static let keyRotated = try! ABIEvent(signature: "KeyRotated(bytes32 indexed model,uint256 epoch,bytes32 sealedHash,string location)")
    public static let privateRequested = try! ABIEvent(
        signature:
            "PrivateRequested(bytes32 indexed id,bytes32 indexed model,address indexed requester,uint256 epoch,uint256 epsilonMicros,uint256 spentMicros,uint256 budgetMicros)"
    )

    public static let enroll = try! ABIFunction(signature: "enroll(bytes32,bytes,bytes,address,bytes32,uint256,bytes)")
    public static let publishKey = try! ABIFunction(signature: "publishKey(bytes32,uint256,address,bytes,address,uint8,bytes32,bytes32)")
    public static let requestPrivate = try! ABIFunction(
        signature: "requestPrivate(bytes32,bytes,address,uint256,uint256,bytes,uint256[])", returns: "(bytes32)")
    public static let wrappedKey = try! ABIFunction(signature: "wrappedKey(bytes32,uint256,address)", returns: "(bytes)")
    public static let remainingBudget = try! ABIFunction(signature: "remainingBudget(bytes32,address)", returns: "(uint256)")
    public static let privateRequests = try! ABIFunction(signature: "privateRequests(bytes32)", returns: "(address,uint256)")
    public static let models = try! ABIFunction(signature: "models(bytes32)")
}
