import Foundation

/// Wall-clock seconds of a piece of work (monotonic clock).
enum Stopwatch {
    static func seconds(_ work: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        work()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
