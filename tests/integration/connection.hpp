// A raw client connection to the host's API, over plain TCP or TLS, for tests that send what no
// well-behaved client would (half headers, trickled bytes, huge bodies) on either transport.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <sys/types.h>

namespace lmharvest::testing {

class Connection {
public:
    virtual ~Connection() = default;
    /// Sends up to `size` bytes; what was sent, <= 0 once the server closed or reset.
    virtual ssize_t send(const char* data, std::size_t size) = 0;
    /// Everything the server sends until it closes (at most 10 s).
    virtual std::string read_all() = 0;
};

enum class Transport { plain, tls };

/// A connection to 127.0.0.1:port, nullptr when it fails (for TLS: the handshake too; the
/// server's certificate is not checked here).
std::unique_ptr<Connection> connect_to(int port, Transport transport);

/// "plain" or "tls", for INFO().
const char* to_string(Transport transport);

} // namespace lmharvest::testing
