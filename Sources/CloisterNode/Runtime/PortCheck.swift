#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether the operator API can listen where the configuration says, checked before anything starts,
/// so a port in use is one line naming `http.port`, not a socket error from deep in the server.
enum PortCheck {
    static func ensureFree(host: String, port: Int) throws(PortCheckError) {
        guard port != 0 else { return }
        guard (1...65_535).contains(port) else { throw .outOfRange(port) }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let address = found else { throw .unknownHost(host) }
        defer { freeaddrinfo(found) }
        let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) != 0 else { return }
        switch errno {
        case EADDRINUSE: throw .inUse(host: host, port: port)
        case EACCES: throw .notPermitted(port)
        case EADDRNOTAVAIL: throw .notLocal(host)
        default: throw .other(host: host, port: port, reason: String(cString: strerror(errno)))
        }
    }
}

/// Why the operator API cannot listen where configured.
enum PortCheckError: Error, CustomStringConvertible {
    case outOfRange(Int)
    case unknownHost(String)
    case inUse(host: String, port: Int)
    case notPermitted(Int)
    case notLocal(String)
    case other(host: String, port: Int, reason: String)

    var description: String {
        switch self {
        case .outOfRange(let port): "http.port \(port) is not a TCP port: use 1 to 65535, or 0 to pick a free one"
        case .unknownHost(let host): "http.host \(host) does not resolve to an address of this machine: use 127.0.0.1, 0.0.0.0 or a local address"
        case let .inUse(host, port): "http.port \(port) on \(host) is in use by another process: stop it, or choose another http.port (0 picks a free one)"
        case .notPermitted(let port): "http.port \(port) needs privileges this process does not have: use a port above 1023"
        case .notLocal(let host): "http.host \(host) is not an address of this machine: use 127.0.0.1, 0.0.0.0 or a local address"
        case let .other(host, port, reason): "cannot listen on \(host):\(port) (http.host, http.port): \(reason)"
        }
    }
}
