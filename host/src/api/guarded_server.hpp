// cpp-httplib's server with a bound on each request as a whole: its header and body must arrive
// within `request_timeout`, in at most `header_bytes + body_bytes`. cpp-httplib 0.11 itself only
// times single reads and reads a header line of any length, so a client trickling bytes, or
// sending an endless line, would hold a worker or grow the host's memory without end.
// One request per connection: a refused body is never read as the next request, and an idle
// kept-alive connection never holds a worker.
//
// Guarded<httplib::Server> serves plain HTTP, Guarded<httplib::SSLServer> TLS with the same
// bounds (the TLS handshake counts against the request's time). Both override cpp-httplib
// 0.11's private virtual process_and_close_socket: the one place a connection can be given
// another Stream. serve_guarded() does the work for both.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <httplib.h>
#include <utility>

namespace lmharvest {

struct ConnectionBudget {
    std::chrono::milliseconds request_timeout{std::chrono::seconds(10)};
    std::chrono::milliseconds read_timeout{std::chrono::seconds(5)};   // per read
    std::chrono::milliseconds write_timeout{std::chrono::seconds(10)}; // per write
    std::size_t request_bytes = 64 * 1024 + 1024 * 1024;               // header and body
};

/// Serves one connection through `process` (the server's process_request) and closes it.
/// `tls`: the context to accept TLS with, nullptr for plain HTTP.
bool serve_guarded(socket_t sock, const ConnectionBudget& budget, SSL_CTX* tls,
                   const std::function<bool(httplib::Stream&)>& process);

inline SSL_CTX* tls_context_of(const httplib::Server&) {
    return nullptr;
}
inline SSL_CTX* tls_context_of(const httplib::SSLServer& server) {
    return server.ssl_context();
}

template <class Base> class Guarded : public Base {
public:
    /// `args` go to Base (SSLServer: the certificate and key files).
    template <class... Args>
    explicit Guarded(ConnectionBudget budget, Args&&... args)
        : Base(std::forward<Args>(args)...), budget_(budget) {}

private:
    bool process_and_close_socket(socket_t sock) override {
        return serve_guarded(sock, budget_, tls_context_of(*this), [this](httplib::Stream& stream) {
            bool connection_closed = false;
            return this->process_request(
                stream, true, connection_closed, [&](httplib::Request& request) {
                    stream.get_remote_ip_and_port(request.remote_addr, request.remote_port);
                    stream.get_local_ip_and_port(request.local_addr, request.local_port);
                });
        });
    }

    ConnectionBudget budget_;
};

using GuardedServer = Guarded<httplib::Server>;
using GuardedTlsServer = Guarded<httplib::SSLServer>;

} // namespace lmharvest
