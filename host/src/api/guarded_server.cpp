#include "api/guarded_server.hpp"

#include "api/connection_handoff.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <memory>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lmharvest {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

bool wait_for(int fd, short events, milliseconds timeout) {
    pollfd ready{fd, events, 0};
    int result = 0;
    do
        result = ::poll(&ready, 1, static_cast<int>(timeout.count()));
    while (result < 0 && errno == EINTR);
    return result > 0;
}

// How long the next read may wait: read_timeout, but never past the request's deadline.
class ReadClock {
public:
    explicit ReadClock(const ConnectionBudget& budget)
        : read_timeout_(budget.read_timeout), deadline_(Clock::now() + budget.request_timeout) {}

    milliseconds wait() const {
        const auto left = std::chrono::duration_cast<milliseconds>(deadline_ - Clock::now());
        return std::max(milliseconds(0), std::min(left, read_timeout_));
    }

private:
    milliseconds read_timeout_;
    Clock::time_point deadline_;
};

// The bytes of one connection: the socket itself, or TLS over it. A read or write that cannot
// go on within its wait fails (-1).
class Link {
public:
    virtual ~Link() = default;
    virtual ssize_t receive(char* buffer, std::size_t size, const ReadClock& clock) = 0;
    virtual ssize_t send(const char* data, std::size_t size, milliseconds timeout) = 0;
    /// Bytes already read from the socket that receive() has not returned yet.
    virtual bool buffered() const = 0;
    // For a connection handed to another thread (connection_handoff.hpp): never waits.
    virtual ssize_t send_now(const char* data, std::size_t size) = 0;
    virtual short wants() const { return POLLOUT; }
    virtual bool drain() = 0;
};

class PlainLink : public Link {
public:
    explicit PlainLink(int fd) : fd_(fd) {}

    ssize_t receive(char* buffer, std::size_t size, const ReadClock& clock) override {
        if (!wait_for(fd_, POLLIN, clock.wait()))
            return -1;
        return ::recv(fd_, buffer, size, 0);
    }
    ssize_t send(const char* data, std::size_t size, milliseconds timeout) override {
        if (!wait_for(fd_, POLLOUT, timeout))
            return -1;
        return ::send(fd_, data, size, MSG_NOSIGNAL);
    }
    bool buffered() const override { return false; }

    ssize_t send_now(const char* data, std::size_t size) override {
        const ssize_t sent = ::send(fd_, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return 0;
        return sent;
    }
    bool drain() override {
        char discard[1024];
        for (;;) {
            const ssize_t got = ::recv(fd_, discard, sizeof discard, MSG_DONTWAIT);
            if (got < 0)
                return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
            if (got == 0)
                return false;
        }
    }

private:
    int fd_;
};

// TLS on a non-blocking socket: a TLS record that arrives in pieces must not block a worker
// past the deadline, so every wait is a poll() with the budget's timeout.
class TlsLink : public Link {
public:
    TlsLink(int fd, SSL_CTX* context) : fd_(fd), ssl_(SSL_new(context)) {
        // OpenSSL writes with write(2), not send(MSG_NOSIGNAL): a client gone mid-answer would
        // raise SIGPIPE and end the host. The host ignores it once it runs tools
        // (run_process.cpp); this covers the requests before the first poll.
        static const bool sigpipe_ignored = std::signal(SIGPIPE, SIG_IGN) != SIG_ERR;
        (void)sigpipe_ignored;
        const int flags = ::fcntl(fd, F_GETFL);
        ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        if (ssl_ != nullptr)
            SSL_set_fd(ssl_, fd);
    }
    ~TlsLink() override {
        if (ssl_ == nullptr)
            return;
        if (accepted_)
            SSL_shutdown(ssl_); // one try: the close_notify, without waiting for the peer's
        SSL_free(ssl_);
        ERR_clear_error(); // this thread's errors must not show up in another connection
    }

    bool accept(const ReadClock& clock) {
        accepted_ = ssl_ != nullptr && retry([&] { return SSL_accept(ssl_); }, clock.wait()) > 0;
        return accepted_;
    }
    ssize_t receive(char* buffer, std::size_t size, const ReadClock& clock) override {
        const int capped = static_cast<int>(std::min<std::size_t>(size, 1 << 30));
        return retry([&] { return SSL_read(ssl_, buffer, capped); }, clock.wait());
    }
    ssize_t send(const char* data, std::size_t size, milliseconds timeout) override {
        const int capped = static_cast<int>(std::min<std::size_t>(size, 1 << 30));
        return retry([&] { return SSL_write(ssl_, data, capped); }, timeout);
    }
    bool buffered() const override { return SSL_pending(ssl_) > 0; }

    // The socket is non-blocking already. A write that must be retried is retried with the
    // same bytes at its start (the caller only appends), which these modes allow.
    ssize_t send_now(const char* data, std::size_t size) override {
        SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
        const int capped = static_cast<int>(std::min<std::size_t>(size, 1 << 30));
        const int sent = SSL_write(ssl_, data, capped);
        if (sent > 0)
            return sent;
        return would_block(sent) ? 0 : -1;
    }
    short wants() const override { return wants_; }
    bool drain() override {
        char discard[1024];
        for (;;) {
            const int got = SSL_read(ssl_, discard, sizeof discard);
            if (got <= 0)
                return would_block(got);
        }
    }

private:
    // Whether a failed SSL call only waits for the socket (and for which events).
    bool would_block(int result) {
        const int error = SSL_get_error(ssl_, result);
        wants_ = error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
        ERR_clear_error();
        return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE;
    }

    short wants_ = POLLOUT;
    // Calls `step` until it makes progress, waiting at most `timeout` for the socket each time
    // OpenSSL needs it.
    template <class Step> ssize_t retry(Step step, milliseconds timeout) {
        for (;;) {
            const int result = step();
            if (result > 0)
                return result;
            const int error = SSL_get_error(ssl_, result);
            const short events = error == SSL_ERROR_WANT_READ    ? POLLIN
                                 : error == SSL_ERROR_WANT_WRITE ? POLLOUT
                                                                 : 0;
            if (events == 0 || !wait_for(fd_, events, timeout))
                return -1;
        }
    }

    int fd_;
    SSL* ssl_;
    bool accepted_ = false;
};

// A connection whose reads end at a deadline and after a byte budget. Reads are buffered: the
// server reads header lines one byte at a time.
class BudgetedStream : public httplib::Stream {
public:
    BudgetedStream(int fd, Link& link, const ConnectionBudget& budget, const ReadClock& clock,
                   const bool& taken)
        : fd_(fd), link_(link), budget_(budget), clock_(clock), taken_(taken) {}

    bool is_readable() const override {
        return used_ < filled_ || link_.buffered() || wait_for(fd_, POLLIN, clock_.wait());
    }
    bool is_writable() const override { return wait_for(fd_, POLLOUT, budget_.write_timeout); }

    ssize_t read(char* ptr, size_t size) override {
        if (used_ == filled_ && !fill())
            return -1;
        const std::size_t n = std::min(size, filled_ - used_);
        std::copy(buffer_ + used_, buffer_ + used_ + n, ptr);
        used_ += n;
        return static_cast<ssize_t>(n);
    }

    ssize_t write(const char* ptr, size_t size) override {
        if (taken_)
            return -1; // another thread writes to the connection now
        return link_.send(ptr, size, budget_.write_timeout);
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        address(::getpeername, ip, port);
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        address(::getsockname, ip, port);
    }
    socket_t socket() const override { return fd_; }

private:
    bool fill() {
        const std::size_t room = std::min(sizeof buffer_, budget_.request_bytes - total_);
        if (room == 0)
            return false; // over budget
        const ssize_t got = link_.receive(buffer_, room, clock_);
        if (got <= 0)
            return false; // closed, past the deadline, or silent for read_timeout
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
    Link& link_;
    const ConnectionBudget& budget_;
    const ReadClock& clock_;
    const bool& taken_;
    char buffer_[4096];
    std::size_t used_ = 0, filled_ = 0, total_ = 0;
};

// The connection of the request this thread serves, for take_connection().
struct ConnectionSlot {
    int sock;
    std::unique_ptr<Link>& link;
    bool taken = false;
};
thread_local ConnectionSlot* current_connection = nullptr;

class HandedLink final : public HandedConnection {
public:
    HandedLink(int fd, std::unique_ptr<Link> link) : fd_(fd), link_(std::move(link)) {}
    ~HandedLink() override {
        link_.reset(); // TLS: its close_notify first
        ::close(fd_);
    }
    int fd() const override { return fd_; }
    ssize_t send_now(const char* data, std::size_t size) override {
        return link_->send_now(data, size);
    }
    short wants() const override { return link_->wants(); }
    bool drain() override { return link_->drain(); }

private:
    int fd_;
    std::unique_ptr<Link> link_;
};

// A lingering close: closing with unread bytes (a refused body) sends a reset, which can
// destroy the answer before the client has read it. So end our side, then drop what still
// comes for a moment.
void close_lingering(int sock) {
    ::shutdown(sock, SHUT_WR);
    char discard[4096];
    const auto until = Clock::now() + milliseconds(500);
    for (std::size_t dropped = 0; dropped < 1024 * 1024 && Clock::now() < until;) {
        if (!wait_for(sock, POLLIN, milliseconds(100)))
            continue;
        const ssize_t got = ::recv(sock, discard, sizeof discard, 0);
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            continue;
        if (got <= 0)
            break;
        dropped += static_cast<std::size_t>(got);
    }
    ::close(sock);
}

} // namespace

bool serve_guarded(socket_t sock, const ConnectionBudget& budget, SSL_CTX* tls,
                   const std::function<bool(httplib::Stream&)>& process) {
    bool served = false;
    {
        const ReadClock clock(budget);
        std::unique_ptr<Link> link;
        if (tls == nullptr) {
            link = std::make_unique<PlainLink>(sock);
        } else {
            auto secure = std::make_unique<TlsLink>(sock, tls);
            if (secure->accept(clock)) // plain HTTP, or a handshake past the deadline: no answer
                link = std::move(secure);
        }
        if (link) {
            ConnectionSlot slot{sock, link};
            BudgetedStream stream(sock, *link, budget, clock, slot.taken);
            current_connection = &slot;
            served = process(stream);
            current_connection = nullptr;
            if (slot.taken)
                return served; // its new owner closes it
        }
    }
    close_lingering(sock);
    return served;
}

std::unique_ptr<HandedConnection> take_connection() {
    ConnectionSlot* slot = current_connection;
    if (slot == nullptr || slot->taken)
        return nullptr;
    slot->taken = true;
    return std::make_unique<HandedLink>(slot->sock, std::move(slot->link));
}

} // namespace lmharvest
