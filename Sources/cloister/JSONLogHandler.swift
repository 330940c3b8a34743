import Foundation
import Logging

/// `log.format = "json"`: one JSON object per line on standard error — `time` (ISO 8601, UTC, ms),
/// `level`, `label`, `message` and `metadata` — for log collectors. Metadata values are strings, as the
/// text format prints them; nothing secret is ever put in metadata, in either format.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var object: [String: Any] = [
            "time": formatter.string(from: Date()), "level": "\(event.level)", "label": label,
            "message": "\(event.message)"
        ]
        if !merged.isEmpty { object["metadata"] = merged.mapValues { "\($0)" } }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(0x0A)
        FileHandle.standardError.write(line)
    }
}
