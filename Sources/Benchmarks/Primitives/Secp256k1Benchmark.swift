internal import CSecp256k1
import Secp256k1

/// Our Secp256k1 wrapper against the same libsecp256k1 calls made directly, with a context of its own:
/// the difference is the wrapper's cost (array copies, validation, serialisation).
enum Secp256k1Benchmark {
    static func run() throws -> [BenchmarkResult] {
        let secret = (0..<32).map { UInt8($0 + 1) }
        let key = try PrivateKey(bytes: secret)
        var digest = (0..<32).map { UInt8(255 - $0) }
        let signature = try key.signRecoverable(digest: digest)

        let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))!
        defer { secp256k1_context_destroy(context) }
        var sink: UInt8 = 0

        let oursSign = Stopwatch.rate {
            digest[0] &+= 1
            sink ^= (try? key.signRecoverable(digest: digest))?.r[0] ?? 0
        }
        let directSign = Stopwatch.rate {
            digest[0] &+= 1
            var raw = secp256k1_ecdsa_recoverable_signature()
            var compact = [UInt8](repeating: 0, count: 64)
            var recoveryID: Int32 = 0
            _ = secp256k1_ecdsa_sign_recoverable(context, &raw, digest, secret, nil, nil)
            _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(context, &compact, &recoveryID, &raw)
            sink ^= compact[0]
        }

        let signedDigest = digest
        let fixed = try key.signRecoverable(digest: signedDigest)
        let oursRecover = Stopwatch.rate {
            sink ^= (try? fixed.recover(digest: signedDigest))?.uncompressed[1] ?? 0
        }
        let compact = fixed.compact
        let directRecover = Stopwatch.rate {
            var raw = secp256k1_ecdsa_recoverable_signature()
            var point = secp256k1_pubkey()
            var output = [UInt8](repeating: 0, count: 65)
            var outputLength = 65
            _ = secp256k1_ecdsa_recoverable_signature_parse_compact(context, &raw, compact, Int32(fixed.recoveryID))
            _ = secp256k1_ecdsa_recover(context, &point, &raw, signedDigest)
            _ = secp256k1_ec_pubkey_serialize(context, &output, &outputLength, &point, UInt32(SECP256K1_EC_UNCOMPRESSED))
            sink ^= output[1]
        }
        blackHole(sink)
        blackHole(signature)
        let reference = "libsecp256k1 direct"
        return [
            BenchmarkResult(name: "secp256k1 sign (recoverable)", unit: "ops/s", ours: oursSign, referenceName: reference, reference: directSign),
            BenchmarkResult(name: "secp256k1 recover", unit: "ops/s", ours: oursRecover, referenceName: reference, reference: directRecover)
        ]
    }
}
