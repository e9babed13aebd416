// The API's connection limits, checked on a running host over either transport: the plain
// HTTP tests (api_limits_test.cpp) and the HTTPS ones (tls_test.cpp) run the same checks.
#pragma once

#include "connection.hpp"
#include "host_fixture.hpp"

namespace lmharvest::testing {

/// GET /healthz over `transport` ("" when it does not answer within 2 s); TLS without
/// checking the certificate.
std::string healthz(int port, Transport transport);

/// Eight clients that sent half a header do not keep /healthz from answering.
void check_slow_clients_do_not_block(HostFixture& host, Transport transport);
/// A client trickling its header, or sending an endless request line, is cut off, and the
/// host's memory stays bounded.
void check_trickle_and_endless_line_cut(HostFixture& host, Transport transport);
/// Four clients sending 300 MB bodies at once get 413 before their bodies are read.
void check_large_bodies_refused(HostFixture& host, Transport transport);

} // namespace lmharvest::testing
