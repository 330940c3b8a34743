// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title The model vault as a dApp sees it: private requests, the privacy budget, refunds.
/// @notice A subset of ModelVault.vy's external interface (the owner's and the enclaves' functions are
///         left out), the twin of IModelVault.vyi. tests/contracts/test_private_consumer.py parses this file
///         and checks every function selector, event topic and struct against the compiled vault.
interface IModelVault {
    /// A sealed model's record: owner, hashes and file, key epoch, engine and task, the workloads whose
    /// enclaves may hold its key, the privacy policy (mechanism 0 none, 1 Laplace, 2 Gaussian; immutable)
    /// and the budget (ε in micros per requester per period in seconds).
    struct Entry {
        address owner;
        bytes32 plaintextHash;
        bytes32 sealedHash;
        string location;
        uint256 epoch;
        string engine;
        string task;
        bytes32[] workloads;
        uint8 mechanism;
        uint8 deltaExponent;
        uint64 epsilonMicros;
        uint64 sensEmbedding;
        uint64 sensSimilarity;
        uint64 sensClassification;
        uint256 budgetMicros;
        uint256 period;
        bool requestersListed;
    }

    /// Who made a private request through the vault, and the key epoch its noise is keyed by.
    struct PrivateRequest {
        address requester;
        uint256 epoch;
    }

    event PrivateRequested(bytes32 indexed id, bytes32 indexed model, address indexed requester, uint256 epoch, uint256 epsilonMicros, uint256 spentMicros, uint256 budgetMicros);
    event RefundClaimed(bytes32 indexed id, address indexed requester, uint256 amount);

    /// Spends the model's ε from msg.sender's budget, then core.request(...) with msg.value, the vault as the
    /// core's requester; returns the core's request id. Reverts "vault: privacy budget exhausted".
    function requestPrivate(bytes32 model, bytes calldata input, address callback, uint256 callbackGas, uint256 deadline, bytes calldata outputKey, uint256[] calldata recipients) external payable returns (bytes32);
    /// The fee of a refunded private request, to its requester (msg.sender), once.
    function claimRefund(bytes32 requestId) external;
    /// ε (micros) `requester` may still spend on `model` this period.
    function remainingBudget(bytes32 model, address requester) external view returns (uint256);
    function models(bytes32 model) external view returns (Entry memory);
    function spent(bytes32 model, address requester, uint256 periodIndex) external view returns (uint256);
    function requesters(bytes32 model, address requester) external view returns (bool);
    function privateRequests(bytes32 requestId) external view returns (PrivateRequest memory);
    function privateFees(bytes32 requestId) external view returns (uint256);
    /// The core the vault requests from (the one whose callbacks and request ids you see).
    function core() external view returns (address);
}
