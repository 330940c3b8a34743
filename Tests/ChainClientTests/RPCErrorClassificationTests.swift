import Ethereum
import Testing
@testable import ChainClient

/// Real wordings from several clients map to one meaning each.
struct RPCErrorClassificationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let client: String
        let code: Int64
        let message: String
        let data: ExactJSON?
        let kind: RPCErrorKind
        var testDescription: String { "\(client): \(message)" }
    }

    static let cases: [Case] = [
        Case(client: "geth", code: -32000, message: "nonce too low: address 0xab, tx: 0 state: 4", data: nil, kind: .nonceTooLow),
        Case(client: "py-evm", code: -32000, message: "Invalid transaction nonce: Expected 4, but got 0", data: nil, kind: .nonceTooLow),
        Case(client: "py-evm", code: -32000, message: "Invalid transaction nonce: Expected 4, but got 9", data: nil, kind: .nonceTooHigh),
        Case(client: "nethermind", code: -32010, message: "OldNonce", data: nil, kind: .nonceTooLow),
        Case(client: "besu", code: -32001, message: "Nonce too low", data: nil, kind: .nonceTooLow),
        Case(client: "openethereum", code: -32010, message: "Transaction nonce is too low. Try incrementing the nonce.", data: nil, kind: .nonceTooLow),
        Case(client: "geth", code: -32000, message: "nonce too high: tx nonce 9, next nonce 4", data: nil, kind: .nonceTooHigh),
        Case(client: "nethermind", code: -32010, message: "NonceGap, Future nonce", data: nil, kind: .nonceTooHigh),
        Case(client: "geth", code: -32000, message: "already known", data: nil, kind: .alreadyKnown),
        Case(client: "geth (old)", code: -32000, message: "known transaction: 8ab3f1", data: nil, kind: .alreadyKnown),
        Case(client: "nethermind", code: -32010, message: "AlreadyKnown", data: nil, kind: .alreadyKnown),
        Case(client: "anvil", code: -32003, message: "transaction already imported", data: nil, kind: .alreadyKnown),
        Case(client: "erigon", code: -32000, message: "INTERNAL_ERROR: existing tx with same hash", data: nil, kind: .alreadyKnown),
        Case(client: "geth", code: -32000, message: "replacement transaction underpriced", data: nil, kind: .replacementUnderpriced),
        Case(client: "besu", code: -32000, message: "Replacement transaction underpriced", data: nil, kind: .replacementUnderpriced),
        Case(client: "nethermind", code: -32010, message: "FeeTooLowToCompete", data: nil, kind: .replacementUnderpriced),
        Case(client: "geth", code: -32000, message: "transaction underpriced: tip needed 1, tip permitted 0", data: nil, kind: .underpriced),
        Case(client: "geth", code: -32000, message: "max fee per gas less than block base fee: address 0x1, maxFeePerGas: 1, baseFee: 7", data: nil, kind: .underpriced),
        Case(client: "besu", code: -32009, message: "Gas price below configured minimum gas price", data: nil, kind: .underpriced),
        Case(client: "nethermind", code: -32010, message: "FeeTooLow, MaxFeePerGas too low", data: nil, kind: .underpriced),
        Case(client: "geth", code: -32000, message: "insufficient funds for gas * price + value: address 0x1 have 0 want 21000", data: nil, kind: .insufficientFunds),
        Case(client: "besu", code: -32004, message: "Upfront cost exceeds account balance", data: nil, kind: .insufficientFunds),
        Case(client: "nethermind", code: -32010, message: "InsufficientFunds, Account balance: 0", data: nil, kind: .insufficientFunds),
        Case(client: "py-evm", code: -32000, message: "Sender does not have enough balance to cover transaction value and gas", data: nil, kind: .insufficientFunds),
        Case(client: "geth", code: 3, message: "execution reverted: nope", data: .string("0x08c379a0"), kind: .executionReverted(data: [0x08, 0xc3, 0x79, 0xa0])),
        Case(
            client: "besu", code: -32000, message: "Execution reverted", data: .object(["data": .string("0xdeadbeef")]),
            kind: .executionReverted(data: [0xde, 0xad, 0xbe, 0xef])),
        Case(
            client: "nethermind", code: -32015, message: "VM execution error.", data: .string("Reverted 0xdeadbeef"),
            kind: .executionReverted(data: [0xde, 0xad, 0xbe, 0xef])),
        Case(client: "anvil", code: 3, message: "execution reverted", data: nil, kind: .executionReverted(data: [])),
        Case(client: "EIP-1474", code: -32005, message: "Limit exceeded", data: nil, kind: .rateLimited),
        Case(client: "infura", code: -32005, message: "daily request count exceeded, request rate limited", data: nil, kind: .rateLimited),
        Case(client: "alchemy", code: 429, message: "Your app has exceeded its compute units per second capacity", data: nil, kind: .rateLimited),
        Case(client: "geth", code: -32000, message: "intrinsic gas too low: gas 100, minimum needed 21000", data: nil, kind: .other),
        Case(client: "geth", code: -32601, message: "the method eth_foo does not exist/is not available", data: nil, kind: .other)
    ]

    @Test(arguments: cases)
    func classifiesByMeaning(_ example: Case) {
        let error = RPCError(code: example.code, message: example.message, data: example.data)
        #expect(error.kind == example.kind)
    }

    @Test func malformedRevertDataGivesEmptyData() {
        let error = RPCError(code: 3, message: "execution reverted", data: .string("0xabc"))
        #expect(error.kind == .executionReverted(data: []))
    }
}
