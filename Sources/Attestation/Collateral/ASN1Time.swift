import Foundation
import SwiftASN1

/// X.509 `Time` (UTCTime before 2050, GeneralizedTime after) to and from `Date`, for CRL fields.
enum ASN1Time {
    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static func date(from node: ASN1Node) throws -> Date {
        let parts: (Int, Int, Int, Int, Int, Int)
        switch node.identifier {
        case UTCTime.defaultIdentifier:
            let t = try UTCTime(derEncoded: node)
            parts = (t.year, t.month, t.day, t.hours, t.minutes, t.seconds)
        case GeneralizedTime.defaultIdentifier:
            let t = try GeneralizedTime(derEncoded: node)
            parts = (t.year, t.month, t.day, t.hours, t.minutes, t.seconds)
        default:
            throw ASN1Error.unexpectedFieldType(node.identifier)
        }
        let components = DateComponents(
            year: parts.0, month: parts.1, day: parts.2,
            hour: parts.3, minute: parts.4, second: parts.5)
        guard let date = utc.date(from: components) else {
            throw ASN1Error.invalidASN1Object(reason: "time out of range")
        }
        return date
    }

    static func serialize(_ date: Date, into coder: inout DER.Serializer) throws {
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let (year, month, day) = (c.year ?? 0, c.month ?? 0, c.day ?? 0)
        let (hour, minute, second) = (c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
        if (1950..<2050).contains(year) {
            try coder.serialize(UTCTime(year: year, month: month, day: day, hours: hour, minutes: minute, seconds: second))
        } else {
            try coder.serialize(
                GeneralizedTime(
                    year: year, month: month, day: day, hours: hour, minutes: minute,
                    seconds: second, fractionalSeconds: 0))
        }
    }
}
