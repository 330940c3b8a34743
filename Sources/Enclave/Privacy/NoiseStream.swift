import Crypto
import Ethereum
import Inference

/// The deterministic generator of a private release: HMAC-SHA256 in counter mode, keyed by the model key,
/// the request id and the input hash (`docs/privacy.md`, "The generator").
///
///     K_r        = HMAC-SHA256(model key, "cloister/v1/dp-noise/request" ‖ 0x00 ‖ task ‖ 0x00 ‖ request id ‖ input hash)
///     block(c,i) = HMAC-SHA256(K_r, "cloister/v1/dp-noise/block" ‖ uint32be(c) ‖ uint64be(i))
///
/// Coordinate c's stream is block(c,0) ‖ block(c,1) ‖ …, read one byte at a time. Every enclave holding
/// the key computes the same bytes; without the key they are indistinguishable from random (HMAC is a
/// PRF), so the noise cannot be recomputed and subtracted.
///
/// A class so that the current block — noise the requester must not learn — is wiped when the stream is
/// released, like every other temporary copy of a secret in this module.
final class NoiseStream: NoiseByteSource {
    private let key: SymmetricKey
    private let coordinate: UInt32
    private var blockIndex: UInt64 = 0
    private var block = [UInt8](repeating: 0, count: 32)
    private var position = 32

    init(requestKey: SymmetricKey, coordinate: UInt32) {
        key = requestKey
        self.coordinate = coordinate
    }

    deinit {
        block.wipe()
    }

    /// K_r for one request, task and input.
    static func requestKey(modelKey: ModelKey, task: InferenceTask, requestID: Bytes32, inputHash: Bytes32) -> SymmetricKey {
        let message = DomainLabel.noiseRequest + [0] + Array(task.rawValue.utf8) + [0] + requestID.bytes + inputHash.bytes
        let code = modelKey.withUnsafeBytes { raw in
            HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: raw))
        }
        return code.withUnsafeBytes { SymmetricKey(data: $0) }
    }

    func nextByte() -> UInt8 {
        if position == block.count {
            var message = DomainLabel.noiseBlock
            withUnsafeBytes(of: coordinate.bigEndian) { message.append(contentsOf: $0) }
            withUnsafeBytes(of: blockIndex.bigEndian) { message.append(contentsOf: $0) }
            let code = HMAC<SHA256>.authenticationCode(for: message, using: key)
            block.withUnsafeMutableBytes { target in code.withUnsafeBytes { target.copyMemory(from: $0) } }
            blockIndex += 1
            position = 0
        }
        defer { position += 1 }
        return block[position]
    }
}
