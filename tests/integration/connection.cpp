#include "connection.hpp"

#include "harness.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace lmharvest::testing {
namespace {

void set_receive_timeout(int fd) {
    timeval timeout{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

class PlainConnection : public Connection {
public:
    explicit PlainConnection(int fd) : fd_(fd) {}
    ~PlainConnection() override { ::close(fd_); }

    ssize_t send(const char* data, std::size_t size) override {
        return ::send(fd_, data, size, MSG_NOSIGNAL);
    }
    std::string read_all() override {
        set_receive_timeout(fd_);
        std::string answer;
        char buffer[4096];
        ssize_t got = 0;
        while ((got = ::recv(fd_, buffer, sizeof buffer, 0)) > 0)
            answer.append(buffer, static_cast<std::size_t>(got));
        return answer;
    }

private:
    int fd_;
};

class TlsConnection : public Connection {
public:
    TlsConnection(int fd, SSL_CTX* context, SSL* ssl) : fd_(fd), context_(context), ssl_(ssl) {}
    ~TlsConnection() override {
        SSL_free(ssl_);
        SSL_CTX_free(context_);
        ::close(fd_);
    }

    ssize_t send(const char* data, std::size_t size) override {
        return SSL_write(ssl_, data, static_cast<int>(size));
    }
    std::string read_all() override {
        set_receive_timeout(fd_);
        std::string answer;
        char buffer[4096];
        int got = 0;
        while ((got = SSL_read(ssl_, buffer, sizeof buffer)) > 0)
            answer.append(buffer, static_cast<std::size_t>(got));
        ERR_clear_error();
        return answer;
    }

private:
    int fd_;
    SSL_CTX* context_;
    SSL* ssl_;
};

} // namespace

std::unique_ptr<Connection> connect_to(int port, Transport transport) {
    const int fd = connect_tcp(port);
    if (fd < 0)
        return nullptr;
    if (transport == Transport::plain)
        return std::make_unique<PlainConnection>(fd);
    SSL_CTX* context = SSL_CTX_new(TLS_client_method());
    SSL* ssl = context != nullptr ? SSL_new(context) : nullptr;
    if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1 || SSL_connect(ssl) != 1) {
        SSL_free(ssl);
        SSL_CTX_free(context);
        ::close(fd);
        ERR_clear_error();
        return nullptr;
    }
    return std::make_unique<TlsConnection>(fd, context, ssl);
}

const char* to_string(Transport transport) {
    return transport == Transport::plain ? "plain" : "tls";
}

} // namespace lmharvest::testing
