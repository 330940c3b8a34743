/// A configured endpoint at run time: where to send, what to call it, and its rate limiter.
struct Endpoint: Sendable {
    let url: String
    let label: String
    let limiter: TokenBucket?

    init(_ configuration: EndpointConfiguration) {
        url = configuration.url
        label = configuration.label
        limiter = configuration.requestsPerSecond.map {
            TokenBucket(ratePerSecond: $0, capacity: Double(max(configuration.burst, 1)))
        }
    }
}
