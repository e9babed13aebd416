// A connection a worker gives away to another thread. The live events stream hands its
// connections to the event hub's one thread, so that 100 listening pages do not hold 100 of the
// API's workers: the worker's request ends without writing to or closing the connection.
#pragma once

#include <cstddef>
#include <memory>
#include <sys/types.h>

namespace lmharvest {

class HandedConnection {
public:
    virtual ~HandedConnection() = default; // closes the connection
    virtual int fd() const = 0;
    /// Sends what the connection takes now, without waiting: the bytes sent (0: none fit), or
    /// -1 when it is gone.
    virtual ssize_t send_now(const char* data, std::size_t size) = 0;
    /// The poll() events to wait for before send_now() can go on after it sent 0 (POLLOUT, or
    /// POLLIN while TLS must read first).
    virtual short wants() const = 0;
    /// Reads and drops what the client sent (a listener sends nothing after its request);
    /// false once the client closed the connection or it failed.
    virtual bool drain() = 0;
};

/// On the worker serving a request through serve_guarded() (guarded_server.hpp): takes the
/// request's connection away, TLS included; nullptr on any other thread, or when taken already.
/// Whatever the worker writes after this is dropped.
std::unique_ptr<HandedConnection> take_connection();

} // namespace lmharvest
