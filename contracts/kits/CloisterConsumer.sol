// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ICloister, ICloisterConsumer} from "../interfaces/ICloister.sol";
import {IModelVault} from "../interfaces/IModelVault.sol";

/// @title Cloister consumer kit (Solidity), the twin of cloister_consumer.vy
/// @notice Inherit it, pass the core's address to the constructor, and implement `_onResult`:
///         - request helpers per task (embed, similarity, classify, or raw bytes) encode the task's
///           input as the engine expects it and pay exactly `_fee(model, callbackGas)` (the core's
///           `requestFee`: the model fee plus the callback's gas) from this contract's balance;
///         - `cloisterCallback` accepts calls from the core only and hands the result to `_onResult`;
///         - output decoders per task;
///         - refunds: `_claimRefund(req)` after an unanswered request's deadline, `_withdraw()` to pull
///           what the core credited to this contract, and `receive` to take it (from the core only);
///         - private models (a differential-privacy policy in the model vault): `_useVault(vault)` once in
///           your constructor, then `_requestPrivate*` helpers that request through the vault (this contract
///           is the requester whose privacy budget is charged), `_remainingBudget(model)`, and
///           `_claimPrivateRefund(req)`, which brings a refunded private request's fee back here.
///         Refunds and corrected results go to this contract (the requester), never to whoever paid it.
abstract contract CloisterConsumer is ICloisterConsumer {
    /// The core this contract asks and accepts callbacks and payments from.
    ICloister public immutable CLOISTER;
    /// The model vault private requests go through (set once by `_useVault`; zero: none). It pays private
    /// refunds in, so `receive` accepts ETH from it too.
    IModelVault public VAULT;

    /// Bounds of the task inputs the helpers encode (the default maxInputBytes is 4,096).
    uint256 internal constant MAX_TASK_INPUT = 4096;
    /// `requests(id)` of a request whose fee went back to its requester.
    bytes32 internal constant REFUNDED = bytes32(uint256(2));
    /// Result statuses: 0 is an answer; anything else an error code with a message as output.
    uint8 internal constant STATUS_OK = 0;

    constructor(address core) {
        require(core != address(0), "cloister: core is the zero address");
        CLOISTER = ICloister(core);
    }

    /// @notice The least a request for `model` with `callbackGas` of callback must pay (wei).
    function _fee(bytes32 model, uint256 callbackGas) internal view returns (uint256) {
        return CLOISTER.requestFee(model, callbackGas);
    }

    /// @notice Requests `model` on `taskInput` (already in the task's encoding), with this contract's
    ///         `cloisterCallback` getting `callbackGas`, due `answerWithin` seconds from now (at least
    ///         params().minResponseTime). Pays `_fee(model, callbackGas)`; returns the request id.
    function _requestBytes(bytes32 model, bytes memory taskInput, uint256 callbackGas, uint256 answerWithin) internal returns (bytes32) {
        uint256 cost = _cost(model, callbackGas, taskInput.length);
        return CLOISTER.request{value: cost}(model, taskInput, address(this), callbackGas, block.timestamp + answerWithin, "", new uint256[](0));
    }

    /// @dev `_fee(model, callbackGas)`, which this contract's balance must cover, for an input of `inputLength` bytes.
    function _cost(bytes32 model, uint256 callbackGas, uint256 inputLength) private view returns (uint256 cost) {
        require(inputLength <= MAX_TASK_INPUT, "cloister: input too large");
        cost = CLOISTER.requestFee(model, callbackGas);
        require(address(this).balance >= cost, "cloister: balance below the request fee");
    }

    /// @notice embed: input abi.encode(string text); output see `_decodeEmbedding`.
    function _requestEmbed(bytes32 model, string memory text, uint256 callbackGas, uint256 answerWithin) internal returns (bytes32) {
        return _requestBytes(model, abi.encode(text), callbackGas, answerWithin);
    }

    /// @notice similarity: input abi.encode(string a, string b); output see `_decodeSimilarity`.
    function _requestSimilarity(bytes32 model, string memory a, string memory b, uint256 callbackGas, uint256 answerWithin) internal returns (bytes32) {
        return _requestBytes(model, abi.encode(a, b), callbackGas, answerWithin);
    }

    /// @notice classify: input abi.encode(string text, string[] labels); output see `_decodeClassify`.
    function _requestClassify(bytes32 model, string memory text, string[] memory labels, uint256 callbackGas, uint256 answerWithin) internal returns (bytes32) {
        return _requestBytes(model, abi.encode(text, labels), callbackGas, answerWithin);
    }

    /// @notice Call once, in your constructor, to request private models: `vault` must be the ModelVault of
    ///         this contract's core (the request ids and callbacks are the core's). It cannot be changed.
    function _useVault(address vault) internal {
        require(address(VAULT) == address(0), "cloister: vault already set");
        require(vault != address(0), "cloister: vault is the zero address");
        require(IModelVault(vault).core() == address(CLOISTER), "cloister: vault of another core");
        VAULT = IModelVault(vault);
    }

    function _vault() private view returns (IModelVault) {
        require(address(VAULT) != address(0), "cloister: no vault set");
        return VAULT;
    }

    /// @notice `_requestBytes` for a private model, through the vault's `requestPrivate`: the vault charges the
    ///         model's ε to THIS contract's budget (reverting "vault: privacy budget exhausted" beyond it) and
    ///         makes the core request, which the core then calls back as usual. Pays `_fee(model, callbackGas)`;
    ///         returns the core's request id.
    function _requestPrivateBytes(bytes32 model, bytes memory taskInput, uint256 callbackGas, uint256 answerWithin) internal returns (bytes32) {
        IModelVault vault = _vault();
        uint256 cost = _cost(model, callbackGas, taskInput.length);
        return vault.requestPrivate{value: cost}(model, taskInput, address(this), callbackGas, block.timestamp + answerWithin, "", new uint256[](0));
    }

    /// @notice `_requestEmbed` through the vault (see `_requestPrivateBytes`).
    function _requestPrivateEmbed(bytes32 model, string memory text, uint256 callbackGas, uint256 answerWithin) internal returns (bytes32) {
        return _requestPrivateBytes(model, abi.encode(text), callbackGas, answerWithin);
    }

    /// @notice `_requestSimilarity` through the vault (see `_requestPrivateBytes`).
    function _requestPrivateSimilarity(bytes32 model, string memory a, string memory b, uint256 callbackGas, uint256 answerWithin) internal returns (bytes32) {
        return _requestPrivateBytes(model, abi.encode(a, b), callbackGas, answerWithin);
    }

    /// @notice `_requestClassify` through the vault (see `_requestPrivateBytes`).
    function _requestPrivateClassify(bytes32 model, string memory text, string[] memory labels, uint256 callbackGas, uint256 answerWithin) internal returns (bytes32) {
        return _requestPrivateBytes(model, abi.encode(text, labels), callbackGas, answerWithin);
    }

    /// @notice ε (micros) this contract may still spend on `model` in the current period (0: refused).
    function _remainingBudget(bytes32 model) internal view returns (uint256) {
        return _vault().remainingBudget(model, address(this));
    }

    /// @notice The fee of a private request comes back to this contract (the vault's requester): after its
    ///         deadline if nobody answered (the core's refund is triggered here unless someone did already), or
    ///         once a dispute overturned its result. `req` is the request as the core's Requested event gives it
    ///         (its requester is the vault). Returns the amount; reverts otherwise. ε is not given back.
    function _claimPrivateRefund(ICloister.Request memory req) internal returns (uint256 amount) {
        IModelVault vault = _vault();
        if (CLOISTER.requests(req.id) == keccak256(abi.encode(req))) {
            CLOISTER.refund(req);  // still pending: reverts before the deadline
        }
        amount = vault.privateFees(req.id);
        vault.claimRefund(req.id);
    }

    /// @notice Called by the core only (anyone else could forge a result); hands the result on.
    function cloisterCallback(bytes32 requestId, uint8 status, bytes calldata output) external override {
        require(msg.sender == address(CLOISTER), "cloister: caller is not the core");
        _onResult(requestId, status, output);
    }

    /// @notice The result of request `requestId`: status 0 and the output, or an error code and message.
    function _onResult(bytes32 requestId, uint8 status, bytes calldata output) internal virtual;

    /// @notice embed output abi.encode(bytes v): 384 int8 values, v[i] = round(e[i] * 256) clamped to +-127.
    function _decodeEmbedding(bytes memory output) internal pure returns (bytes memory) {
        return abi.decode(output, (bytes));
    }

    /// @notice similarity output abi.encode(int256): the cosine similarity times 10**6.
    function _decodeSimilarity(bytes memory output) internal pure returns (int256) {
        return abi.decode(output, (int256));
    }

    /// @notice classify output abi.encode(uint256 best, int256[] scores): the best label's index and
    ///         each label's cosine similarity to the text times 10**6.
    function _decodeClassify(bytes memory output) internal pure returns (uint256 best, int256[] memory scores) {
        return abi.decode(output, (uint256, int256[]));
    }

    /// @notice After the deadline of a request nobody answered: has the core credit its fee back to this
    ///         contract, unless someone (anyone may) did already. Reverts before the deadline or if answered.
    function _claimRefund(ICloister.Request memory req) internal {
        if (CLOISTER.requests(req.id) != REFUNDED) {
            CLOISTER.refund(req);
        }
    }

    /// @notice Pulls everything the core credited to this contract; returns the amount (0 if none).
    function _withdraw() internal returns (uint256 amount) {
        amount = CLOISTER.credits(address(this));
        if (amount > 0) {
            CLOISTER.withdraw();
        }
    }

    /// @notice Receives withdrawals from the core and private refunds from the vault; refuses ETH from anyone else.
    receive() external payable virtual {
        require(msg.sender == address(CLOISTER) || msg.sender == address(VAULT), "cloister: only the core pays in");
    }
}
