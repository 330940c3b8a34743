import Ethereum

/// Takes observed jobs to signed results: bounded concurrency, fair across models, deadlines respected,
/// node faults retried with backoff and then reported.
package actor Dispatcher {
    private let store: any JobStore
    private let executor: any JobExecutor
    private let settings: DispatchSettings
    private let now: @Sendable () -> UInt64
    private var notBefore: [JobKey: UInt64] = [:]
    /// Observed jobs read from the store and not started yet: one read serves up to 16 rounds. A job
    /// that moved meanwhile (a reorg dropped it) is refused by its `executing` transition and skipped.
    private var candidates: [Job] = []

    /// Consecutive executions that ended in a node fault; zero when the last one succeeded.
    package private(set) var consecutiveFaults = 0
    /// The latest node fault, for health reports.
    package private(set) var lastFault: NodeFault?

    /// `now` returns Unix seconds (the chain's deadlines are in the same unit).
    package init(store: any JobStore, executor: any JobExecutor, settings: DispatchSettings, now: @escaping @Sendable () -> UInt64) {
        self.store = store
        self.executor = executor
        self.settings = settings
        self.now = now
    }

    /// Sends jobs whose execution a crash interrupted back to `observed`. Call once at start.
    @discardableResult
    package func recoverInterrupted() async throws -> Int {
        let interrupted = try await store.jobs(in: [.executing], limit: Int.max)
        for job in interrupted { try await store.transition(job.key, to: .observed, JobChanges()) }
        return interrupted.count
    }

    /// Executes up to `concurrency` jobs at once and records what happened to each.
    package func runRound() async throws -> DispatchRound {
        let batch = try await nextBatch()
        var round = DispatchRound()
        let expired = batch.filter { $0.deadline <= now() }
        for job in expired where try await store.transition(job.key, to: .failed, JobChanges(failureReason: "deadline passed before execution")) == .applied {
            round.failed += 1
        }
        let runnable = batch.filter { $0.deadline > now() }
        let starting = try await store.transition(runnable.map { TransitionPlan($0.key, [(.executing, JobChanges(incrementAttempts: true))]) })
        let started = runnable.filter { starting[$0.key] == .applied }
        let executor = self.executor
        let outcomes = await withTaskGroup(of: (Job, Result<SignedResult, NodeFault>, Duration).self) { group in
            for job in started {
                group.addTask {
                    let clock = ContinuousClock()
                    let start = clock.now
                    do throws(NodeFault) {
                        let signed = try await executor.execute(job)
                        return (job, .success(signed), clock.now - start)
                    } catch {
                        return (job, .failure(error), clock.now - start)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        var signed: [TransitionPlan] = []
        for (job, outcome, duration) in outcomes {
            let result: SignedResult
            switch outcome {
            case .success(let signedResult): result = signedResult
            case .failure(let fault):
                try await record(fault, for: job, in: &round)
                continue
            }
            consecutiveFaults = 0
            notBefore[job.key] = nil
            signed.append(TransitionPlan(job.key, [(.executed, JobChanges(result: result.result)), (.signed, JobChanges(signature: result.signature))]))
            round.signed += 1
            if result.result.errorCode != 0 { round.errorResults += 1 }
            round.executionDurations.append(duration)
        }
        // Every result of the round is stored in one write.
        _ = try await store.transition(signed)
        return round
    }

    /// A node fault: the job is retried after a growing delay, or given up after `maxAttempts`.
    private func record(_ fault: NodeFault, for job: Job, in round: inout DispatchRound) async throws {
        consecutiveFaults += 1
        lastFault = fault
        let attempts = job.attempts + 1
        if attempts >= settings.maxAttempts {
            try await store.transition(job.key, to: .failed, JobChanges(failureReason: "node fault after \(attempts) attempts: \(fault.reason)"))
            round.failed += 1
        } else {
            try await store.transition(job.key, to: .observed, JobChanges())
            notBefore[job.key] = now() + settings.retryDelaySeconds << UInt64(min(attempts - 1, 10))
            round.faults += 1
        }
    }

    /// Up to `concurrency` observed jobs, taken in turn from each model's queue (oldest first within a
    /// model) so that one busy model cannot starve the others; jobs waiting out a retry delay are skipped.
    private func nextBatch() async throws -> [Job] {
        if candidates.isEmpty {
            candidates = try await store.jobs(in: [.observed], limit: settings.concurrency * 16)
                .filter { (notBefore[$0.key] ?? 0) <= now() }
        }
        var queues: [Bytes32: [Job]] = [:]
        var order: [Bytes32] = []
        for job in candidates {
            if queues[job.model] == nil { order.append(job.model) }
            queues[job.model, default: []].append(job)
        }
        var batch: [Job] = []
        var depth = 0
        while batch.count < settings.concurrency, order.contains(where: { (queues[$0]?.count ?? 0) > depth }) {
            for model in order where batch.count < settings.concurrency {
                if let queue = queues[model], queue.count > depth { batch.append(queue[depth]) }
            }
            depth += 1
        }
        let taken = Set(batch.map(\.key))
        candidates.removeAll { taken.contains($0.key) }
        return batch
    }
}
