import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing
@testable import CloisterNode

/// A graceful shutdown of the node's service group lets a service finish its round, but a service that
/// does not stop is cancelled once the limit has passed: SIGTERM never hangs the node.
@Suite struct GracefulShutdownTests {
    /// Ignores graceful shutdown and runs until cancelled, recording how it ended.
    struct StuckService: Service {
        let ended: AsyncStream<String>.Continuation
        func run() async throws {
            do { try await Task.sleep(for: .seconds(3_600)) } catch {
                ended.yield("cancelled")
                throw error
            }
            ended.yield("finished")
        }
    }

    /// Stops as soon as a graceful shutdown begins.
    struct PoliteService: Service {
        let ended: AsyncStream<String>.Continuation
        func run() async throws {
            try? await gracefulShutdown()
            ended.yield("stopped politely")
        }
    }

    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func aServiceThatIgnoresTheShutdownIsCancelledAfterTheLimit() async throws {
        let (events, ended) = AsyncStream<String>.makeStream()
        let group = NodeRunner.serviceGroup(
            [PoliteService(ended: ended), StuckService(ended: ended)], stopsOnSignals: false,
            limit: .milliseconds(300), logger: logger)
        let clock = ContinuousClock()
        let started = clock.now
        let groupEnded = try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Bool.self) { tasks in
                tasks.addTask {
                    try? await group.run(); return true
                }
                // Without a limit the group would wait for the stuck service forever: give up after 10 s.
                tasks.addTask {
                    try await Task.sleep(for: .seconds(10)); return false
                }
                try await Task.sleep(for: .milliseconds(100))
                trigger.triggerGracefulShutdown()
                let first = try await tasks.next() ?? false
                tasks.cancelAll()
                return first
            }
        }
        #expect(groupEnded, "the group ended by itself")
        let elapsed = clock.now - started
        ended.finish()
        var seen: [String] = []
        for await event in events { seen.append(event) }
        #expect(Set(seen) == ["stopped politely", "cancelled"])
        #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(10), "cancelled after the limit, not before and not never")
    }
}
