// cpp-httplib's server with a bound on each request as a whole: its header and body must arrive
// within `request_timeout`, in at most `header_bytes + body_bytes`. cpp-httplib 0.11 itself only
// times single reads and reads a header line of any length, so a client trickling bytes, or
// sending an endless line, would hold a worker or grow the host's memory without end.
// One request per connection: a refused body is never read as the next request, and an idle
// kept-alive connection never holds a worker.
#pragma once

#include <chrono>
#include <cstddef>
#include <httplib.h>

namespace lmharvest {

struct ConnectionBudget {
    std::chrono::milliseconds request_timeout{std::chrono::seconds(10)};
    std::chrono::milliseconds read_timeout{std::chrono::seconds(5)};   // per read
    std::chrono::milliseconds write_timeout{std::chrono::seconds(10)}; // per write
    std::size_t request_bytes = 64 * 1024 + 1024 * 1024;               // header and body
};

class GuardedServer : public httplib::Server {
public:
    explicit GuardedServer(ConnectionBudget budget) : budget_(budget) {}

private:
    bool process_and_close_socket(socket_t sock) override;

    ConnectionBudget budget_;
};

} // namespace lmharvest
