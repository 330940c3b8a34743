import Foundation

/// Reads typed settings by dotted key from a parsed TOML document, letting an environment variable
/// (`CLOISTER_` + the key in upper case with `_` for `.`) override each one, and remembering which
/// keys were read so that unknown keys — usually typos — can be reported.
struct SettingsReader {
    let document: [String: TOMLValue]
    let environment: [String: String]
    /// Every key a setting asked for (whether or not it was present).
    private(set) var readKeys: Set<String> = []

    init(document: [String: TOMLValue], environment: [String: String]) {
        self.document = document
        self.environment = environment
    }

    static func environmentName(of key: String) -> String {
        "CLOISTER_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    mutating func string(_ key: String, default fallback: String?, fix: String) throws(ConfigurationError) -> String {
        switch lookup(key) {
        case .environment(let text): return text
        case .file(.string(let text)): return text
        case .file(let other): throw ConfigurationError(key: key, problem: "expected a string, found a \(other.typeName)", fix: fix)
        case .absent:
            guard let fallback else { throw ConfigurationError(key: key, problem: "is required", fix: fix) }
            return fallback
        }
    }

    mutating func strings(_ key: String, default fallback: [String]?, fix: String) throws(ConfigurationError) -> [String] {
        switch lookup(key) {
        case .environment(let text):
            return text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .file(.array(let elements)):
            var result: [String] = []
            for element in elements {
                guard case .string(let text) = element else {
                    throw ConfigurationError(key: key, problem: "expected an array of strings, found a \(element.typeName) in it", fix: fix)
                }
                result.append(text)
            }
            return result
        case .file(.string(let text)): return [text]
        case .file(let other): throw ConfigurationError(key: key, problem: "expected an array of strings, found a \(other.typeName)", fix: fix)
        case .absent:
            guard let fallback else { throw ConfigurationError(key: key, problem: "is required", fix: fix) }
            return fallback
        }
    }

    mutating func unsigned(_ key: String, default fallback: UInt64?, range: ClosedRange<UInt64>, fix: String) throws(ConfigurationError) -> UInt64 {
        let value: UInt64
        switch lookup(key) {
        case .environment(let text):
            guard let parsed = UInt64(text) else {
                throw ConfigurationError(key: key, problem: "'\(text)' from \(Self.environmentName(of: key)) is not a whole number", fix: fix)
            }
            value = parsed
        case .file(.integer(let number)):
            guard number >= 0 else { throw ConfigurationError(key: key, problem: "must not be negative (got \(number))", fix: fix) }
            value = UInt64(number)
        case .file(let other): throw ConfigurationError(key: key, problem: "expected a whole number, found a \(other.typeName)", fix: fix)
        case .absent:
            guard let fallback else { throw ConfigurationError(key: key, problem: "is required", fix: fix) }
            value = fallback
        }
        guard range.contains(value) else {
            throw ConfigurationError(key: key, problem: "must be between \(range.lowerBound) and \(range.upperBound) (got \(value))", fix: fix)
        }
        return value
    }

    mutating func bool(_ key: String, default fallback: Bool, fix: String) throws(ConfigurationError) -> Bool {
        switch lookup(key) {
        case .environment(let text):
            switch text.lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: throw ConfigurationError(key: key, problem: "'\(text)' from \(Self.environmentName(of: key)) is not true or false", fix: fix)
            }
        case .file(.bool(let flag)): return flag
        case .file(let other): throw ConfigurationError(key: key, problem: "expected true or false, found a \(other.typeName)", fix: fix)
        case .absent: return fallback
        }
    }

    /// Keys present in the file that no setting read: typos or settings of another version.
    func unknownKeys() -> [String] {
        var keys: [String] = []
        func walk(_ table: [String: TOMLValue], prefix: String) {
            for (name, value) in table {
                let key = prefix.isEmpty ? name : prefix + "." + name
                if case .table(let child) = value { walk(child, prefix: key) } else if !readKeys.contains(key) { keys.append(key) }
            }
        }
        walk(document, prefix: "")
        return keys.sorted()
    }

    private enum Found {
        case environment(String)
        case file(TOMLValue)
        case absent
    }

    private mutating func lookup(_ key: String) -> Found {
        readKeys.insert(key)
        if let text = environment[Self.environmentName(of: key)] { return .environment(text) }
        var table = document
        let parts = key.split(separator: ".").map(String.init)
        for part in parts.dropLast() {
            guard case .table(let child) = table[part] else { return .absent }
            table = child
        }
        return table[parts[parts.count - 1]].map(Found.file) ?? .absent
    }
}
