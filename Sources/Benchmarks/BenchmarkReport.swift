import Foundation

/// Formats benchmark rows as an aligned table or one JSON object.
package struct BenchmarkReport: Sendable {
    package let results: [BenchmarkResult]

    package init(results: [BenchmarkResult]) {
        self.results = results
    }

    /// One line per row: name, ours, reference, ratio.
    package func table() -> String {
        let header = pad("benchmark", 32) + pad("ours", 16) + pad("reference", 16) + pad("ratio", 8) + "reference is"
        let rows = results.map { row in
            pad(row.name, 32) + pad(format(row.ours) + " " + row.unit, 16) + pad(format(row.reference) + " " + row.unit, 16)
                + pad(String(format: "%.2f", row.ratio), 8) + row.referenceName
        }
        return ([header] + rows).joined(separator: "\n")
    }

    /// `{"results": [...], "keccak_vs_openssl_ratio": r, "secp256k1_sign_overhead": o, ...}`.
    package func jsonText() throws -> String {
        var object: [String: Any] = [:]
        object["results"] = results.map { row -> [String: Any] in
            [
                "name": row.name, "unit": row.unit, "ours": row.ours, "reference": row.reference,
                "reference_name": row.referenceName, "ratio": row.ratio
            ]
        }
        for row in results {
            switch row.name {
            case "keccak256 1 MiB": object["keccak_vs_openssl_ratio"] = row.ratio
            case "keccak256 1 KiB": object["keccak_vs_openssl_ratio_1kib"] = row.ratio
            case "secp256k1 sign (recoverable)": object["secp256k1_sign_wrapper_overhead"] = 1 - row.ratio
            case "secp256k1 recover": object["secp256k1_recover_wrapper_overhead"] = 1 - row.ratio
            case "fulfilment tx encode+decode": object["fulfilment_tx_encode_decode_per_second"] = row.ours
            default: break
            }
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    private func format(_ value: Double) -> String {
        value >= 1000 ? String(format: "%.0f", value) : String(format: "%.1f", value)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
