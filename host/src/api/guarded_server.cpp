#include "api/guarded_server.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lmharvest {
namespace {

using Clock = std::chrono::steady_clock;

// A socket whose reads end at a deadline and after a byte budget. Reads are buffered: the
// server reads header lines one byte at a time.
class BudgetedStream : public httplib::Stream {
public:
    BudgetedStream(int fd, const ConnectionBudget& budget)
        : fd_(fd), budget_(budget), deadline_(Clock::now() + budget.request_timeout) {}

    bool is_readable() const override { return used_ < filled_ || wait(POLLIN, read_wait()); }
    bool is_writable() const override { return wait(POLLOUT, budget_.write_timeout); }

    ssize_t read(char* ptr, size_t size) override {
        if (used_ == filled_ && !fill())
            return -1;
        const std::size_t n = std::min(size, filled_ - used_);
        std::copy(buffer_ + used_, buffer_ + used_ + n, ptr);
        used_ += n;
        return static_cast<ssize_t>(n);
    }

    ssize_t write(const char* ptr, size_t size) override {
        if (!wait(POLLOUT, budget_.write_timeout))
            return -1;
        return ::send(fd_, ptr, size, MSG_NOSIGNAL);
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        address(::getpeername, ip, port);
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        address(::getsockname, ip, port);
    }
    socket_t socket() const override { return fd_; }

private:
    std::chrono::milliseconds read_wait() const {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
        return std::max(std::chrono::milliseconds(0), std::min(left, budget_.read_timeout));
    }

    bool wait(short events, std::chrono::milliseconds timeout) const {
        pollfd ready{fd_, events, 0};
        int result = 0;
        do
            result = ::poll(&ready, 1, static_cast<int>(timeout.count()));
        while (result < 0 && errno == EINTR);
        return result > 0;
    }

    bool fill() {
        const std::size_t room = std::min(sizeof buffer_, budget_.request_bytes - total_);
        if (room == 0 || !wait(POLLIN, read_wait()))
            return false; // over budget, past the deadline, or silent for read_timeout
        const ssize_t got = ::recv(fd_, buffer_, room, 0);
        if (got <= 0)
            return false;
        used_ = 0;
        filled_ = static_cast<std::size_t>(got);
        total_ += filled_;
        return true;
    }

    template <class Query> void address(Query query, std::string& ip, int& port) const {
        sockaddr_storage storage{};
        socklen_t size = sizeof storage;
        ip.clear();
        port = 0;
        if (query(fd_, reinterpret_cast<sockaddr*>(&storage), &size) != 0)
            return;
        char text[INET6_ADDRSTRLEN] = {};
        if (storage.ss_family == AF_INET) {
            const auto* v4 = reinterpret_cast<const sockaddr_in*>(&storage);
            ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
            port = ntohs(v4->sin_port);
        } else if (storage.ss_family == AF_INET6) {
            const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&storage);
            ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
            port = ntohs(v6->sin6_port);
        }
        ip = text;
    }

    int fd_;
    const ConnectionBudget& budget_;
    Clock::time_point deadline_;
    char buffer_[4096];
    std::size_t used_ = 0, filled_ = 0, total_ = 0;
};

} // namespace

bool GuardedServer::process_and_close_socket(socket_t sock) {
    bool served = false;
    {
        BudgetedStream stream(sock, budget_);
        bool connection_closed = false;
        served = process_request(stream, true, connection_closed, [&](httplib::Request& request) {
            stream.get_remote_ip_and_port(request.remote_addr, request.remote_port);
            stream.get_local_ip_and_port(request.local_addr, request.local_port);
        });
    }
    // A lingering close: closing with unread bytes (a refused body) sends a reset, which can
    // destroy the answer before the client has read it. So end our side, then drop what still
    // comes for a moment.
    ::shutdown(sock, SHUT_WR);
    char discard[4096];
    const auto until = Clock::now() + std::chrono::milliseconds(500);
    for (std::size_t dropped = 0; dropped < 1024 * 1024 && Clock::now() < until;) {
        pollfd ready{sock, POLLIN, 0};
        if (::poll(&ready, 1, 100) <= 0)
            continue;
        const ssize_t got = ::recv(sock, discard, sizeof discard, 0);
        if (got <= 0)
            break;
        dropped += static_cast<std::size_t>(got);
    }
    ::close(sock);
    return served;
}

} // namespace lmharvest
