/// The benchmarks' one clock. `rate` runs a body repeatedly and reports its best rate over a few rounds,
/// so a busy moment on the machine lowers one round, not the result; `seconds` times one piece of work.
enum Stopwatch {
    /// Operations per second: `body` performs one operation per call.
    static func rate(rounds: Int = 5, minimumSeconds: Double = 0.3, _ body: () -> Void) -> Double {
        var best = 0.0
        for _ in 0..<rounds {
            let clock = ContinuousClock()
            var iterations = 0
            let start = clock.now
            var elapsed = 0.0
            while elapsed < minimumSeconds {
                for _ in 0..<8 { body() }
                iterations += 8
                elapsed = (clock.now - start).seconds
            }
            best = max(best, Double(iterations) / elapsed)
        }
        return best
    }

    /// Wall-clock seconds of a piece of work (monotonic clock); an error of the work is passed on.
    static func seconds<Failure: Error>(_ work: () throws(Failure) -> Void) throws(Failure) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try work()
        return (clock.now - start).seconds
    }
}

extension Duration {
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
