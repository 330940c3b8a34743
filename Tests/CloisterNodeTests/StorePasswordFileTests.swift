import Foundation
import Testing
@testable import CloisterNode

/// `store.password_file` is read like every other secret file: its first line, without `\r\n`.
@Suite struct StorePasswordFileTests {
    func file(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cloister-store-password-\(UUID().uuidString)").path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func theFirstLineIsThePassword() throws {
        #expect(try StoreOpener.password(try file("s3cret pass\r\nsecond line\n")) == "s3cret pass")
        #expect(try StoreOpener.password(try file("no newline")) == "no newline")
        #expect(try StoreOpener.password("") == nil)
    }

    @Test func aMissingFileOrAnEmptyFirstLineIsRefusedWithoutQuotingIt() throws {
        for path in ["/nonexistent/password", try file(""), try file("\nthe real one on line two")] {
            #expect(throws: (any Error).self) { try StoreOpener.password(path) }
            do { _ = try StoreOpener.password(path) } catch {
                #expect("\(error)".contains("store.password_file"))
                #expect(!"\(error)".contains("the real one"))
            }
        }
    }
}
