// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title The Cloister core as a dApp sees it: requests, fees, results, refunds and credits.
/// @notice A subset of Cloister.vy's external interface (operator, owner and arbiter functions are
///         left out), the twin of ICloister.vyi. tests/contracts/test_consumer_kits.py parses this file
///         and checks every function selector, event topic and struct against the compiled contracts.
interface ICloister {
    /// A request as the core hashes it (fields from its Requested event); refund() and settle() take it back.
    struct Request {
        bytes32 id;
        address requester;
        bytes32 model;
        bytes32 inputHash;
        address callback;
        uint256 callbackGas;
        uint256 fee;
        uint256 deadline;
        uint256 node;
        bytes32 recipientsHash;
    }

    /// A result as the core hashes it (fulfilledBlock, fulfilledAt and paramsVersion from the Fulfilled event).
    struct Fulfilment {
        bytes32 outputCommitment;
        uint256 fulfilledBlock;
        uint256 fulfilledAt;
        uint256 state;
        uint256 verifier;
        uint256 status;
        uint256 paramsVersion;
    }

    struct Model {
        uint256 fee;
        bool deterministic;
        bool enabled;
    }

    struct Node {
        address operator;
        address signer;
        bytes publicKey;
        uint256 stake;
        uint256 status;
        uint256 unbondAt;
        bytes32 attestationDigest;
        bytes32 workloadId;
        uint256 attestationExpiry;
        bytes32 softwareVersion;
        uint256 openDisputes;
        bytes32[] models;
    }

    struct Params {
        uint256 minStake;
        uint256 verifyBps;
        uint256 verifyWindowBlocks;
        uint256 challengeWindow;
        uint256 challengeBond;
        uint256 jurorCount;
        uint256 jurorWindow;
        uint256 maxJurorRounds;
        uint256 slashBps;
        uint256 absentSlashBps;
        uint256 timeoutSlashBps;
        uint256 protocolFeeBps;
        uint256 verifierFeeBps;
        uint256 maxDeadline;
        uint256 unbondingPeriod;
        uint256 maxInputBytes;
        uint256 maxCallbackGas;
        uint256 maxAttestationValidity;
        uint256 minResponseTime;
        uint256 gasPrice;
    }

    event Requested(bytes32 indexed id, uint256 indexed node, bytes32 indexed model, address requester, address callback, uint256 callbackGas, uint256 fee, uint256 deadline, uint256[] recipients, bytes outputKey, bytes input);
    event Fulfilled(bytes32 indexed id, uint256 indexed node, uint256 status, bytes32 outputCommitment, uint256 fulfilledAt, bool callbackOk, bytes output, uint256 paramsVersion);
    event Settled(bytes32 indexed id, uint256 indexed node, uint256 executorAmount, uint256 verifier, uint256 verifierAmount, uint256 protocolAmount);
    event Refunded(bytes32 indexed id, address indexed requester, uint256 fee, uint256 slashed);
    event Credited(address indexed account, uint256 amount, uint256 reason);
    event Withdrawn(address indexed account, uint256 amount);

    function request(bytes32 model, bytes calldata input, address callback, uint256 callbackGas, uint256 deadline, bytes calldata outputKey, uint256[] calldata recipients) external payable returns (bytes32);
    function requestFee(bytes32 model, uint256 callbackGas) external view returns (uint256);
    function refund(Request calldata req) external;
    function settle(Request calldata req, Fulfilment calldata ful) external;
    function withdraw() external;
    function credits(address account) external view returns (uint256);
    function requests(bytes32 id) external view returns (bytes32);
    function requestCount() external view returns (uint256);
    function models(bytes32 model) external view returns (Model memory);
    function nodes(uint256 node) external view returns (Node memory);
    function nodeCount() external view returns (uint256);
    function signerNode(address signer) external view returns (uint256);
    function params() external view returns (Params memory);
    function paused() external view returns (bool);
    function domainSeparator() external view returns (bytes32);
}

/// @notice Implemented by contracts that receive results (ICloisterConsumer.vyi). status 0: `output` is
///         the answer; otherwise an error code and `output` the node's message. May be called a second
///         time for the same request with a corrected result after a dispute.
interface ICloisterConsumer {
    function cloisterCallback(bytes32 requestId, uint8 status, bytes calldata output) external;
}
