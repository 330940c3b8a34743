import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Worker threads that stay awake between the parallel steps of a forward pass. At batch 1 a
/// step is tens of microseconds of work, about what it costs to wake a parked thread, so the
/// workers spin for a short while after each step (as ONNX Runtime's thread pool does) before
/// they park on a condition variable. Parts are claimed, not assigned: the caller and the
/// workers take the next unclaimed part until none is left, so a worker the system has not
/// scheduled holds nothing up (the caller runs its parts). One caller at a time: `run` returns
/// false, running nothing, when another caller holds the team, and the runner then uses
/// Dispatch instead. Which thread runs a part never changes what it computes.
final class WorkerTeam: Sendable {
    private let state: TeamState

    /// Starts `workers` threads.
    init(workers: Int) {
        state = TeamState(workers: workers)
        for index in 0..<workers {
            let state = state
            let thread = Thread { state.work() }
            thread.name = "cloister-inference-\(index + 1)"
            thread.start()
        }
    }

    deinit {
        state.stop()
    }

    var workers: Int { state.workers }

    /// Runs `body(0)` … `body(parts - 1)` on the calling thread and the workers, each part once,
    /// returning when all have finished; false (and nothing run) if the team is busy.
    func run(parts: Int, _ body: (Int) -> Void) -> Bool {
        state.run(parts: parts, body)
    }
}

/// The team's shared state, owned by its threads as well as by the team.
///
/// `ticket` holds the step's generation (bits 32 and up), its part count (bits 16–31) and the
/// next unclaimed part (bits 0–15): a part is claimed by advancing the ticket, so no thread can
/// claim a part of a step other than the one it saw, and `job` is read only by a thread holding
/// a claimed part of the current step, while the caller waits for that part to finish.
private final class TeamState: @unchecked Sendable {
    /// How long an idle worker spins before it parks.
    private static let spinNanoseconds: UInt64 = 200_000

    let workers: Int
    private let ticket = Atomic<Int>(0)
    private let completed = Atomic<Int>(0)
    private let sleeping = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    private let busy = Atomic<Bool>(false)
    private let condition = NSCondition()
    private var generation = 0
    private var job: ((Int) -> Void)?

    init(workers: Int) {
        self.workers = workers
    }

    func run(parts: Int, _ body: (Int) -> Void) -> Bool {
        guard parts < 1 << 16, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        withoutActuallyEscaping(body) { body in
            job = body
            generation = (generation + 1) & 0x7FFF_FFFF  // stays a positive 31-bit field of the ticket
            completed.store(0, ordering: .relaxed)
            ticket.store(generation << 32 | parts << 16, ordering: .sequentiallyConsistent)
            wakeSleepers()
            claimParts(of: generation)
            var spins = 0
            while completed.load(ordering: .acquiring) < parts {
                spins += 1
                if spins > 1024 { sched_yield() }
            }
            job = nil
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        ticket.store(((generation + 1) & 0x7FFF_FFFF) << 32, ordering: .sequentiallyConsistent)
        wakeSleepers()
    }

    private func wakeSleepers() {
        if sleeping.load(ordering: .sequentiallyConsistent) > 0 {
            condition.lock()
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Runs unclaimed parts of step `step` until there are none.
    private func claimParts(of step: Int) {
        while true {
            let current = ticket.load(ordering: .acquiring)
            let part = current & 0xFFFF
            guard current >> 32 == step, part < (current >> 16) & 0xFFFF else { return }
            guard ticket.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing).exchanged else {
                continue
            }
            job?(part)
            completed.add(1, ordering: .releasing)
        }
    }

    /// A worker's loop: wait for the next step, claim its parts, repeat.
    func work() {
        var seen = 0
        while true {
            var deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
            var spins = 0
            while ticket.load(ordering: .acquiring) >> 32 == seen {
                spins += 1
                guard spins & 1023 == 0 else { continue }
                sched_yield()
                guard DispatchTime.now().uptimeNanoseconds > deadline else { continue }
                condition.lock()
                sleeping.add(1, ordering: .sequentiallyConsistent)
                while ticket.load(ordering: .sequentiallyConsistent) >> 32 == seen { condition.wait() }
                sleeping.subtract(1, ordering: .sequentiallyConsistent)
                condition.unlock()
                deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
            }
            seen = ticket.load(ordering: .acquiring) >> 32
            if stopped.load(ordering: .acquiring) { return }
            claimParts(of: seen)
        }
    }
}
