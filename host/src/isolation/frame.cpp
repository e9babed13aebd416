#include "isolation/frame.hpp"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lmharvest::isolation {
namespace {

bool send_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent <= 0)
            return false;
        data += sent;
        size -= static_cast<std::size_t>(sent);
    }
    return true;
}

ReadStatus read_all(int fd, char* out, std::size_t size,
                    std::chrono::steady_clock::time_point deadline) {
    while (size > 0) {
        // Rounded up: poll() would wake a fraction of a millisecond early, forever.
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return ReadStatus::timed_out;
        pollfd wait{fd, POLLIN, 0};
        const int ready = ::poll(&wait, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
        if (ready < 0 && errno != EINTR)
            return ReadStatus::error;
        if (ready <= 0)
            continue;
        const ssize_t got = ::recv(fd, out, size, 0);
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got == 0)
            return ReadStatus::closed;
        if (got < 0)
            return errno == ECONNRESET ? ReadStatus::closed : ReadStatus::error;
        out += got;
        size -= static_cast<std::size_t>(got);
    }
    return ReadStatus::ok;
}

} // namespace

bool write_frame(int fd, FrameType type, std::string_view payload) {
    char header[5];
    const uint32_t length = static_cast<uint32_t>(payload.size() + 1);
    std::memcpy(header, &length, sizeof length);
    header[4] = static_cast<char>(type);
    return send_all(fd, header, sizeof header) && send_all(fd, payload.data(), payload.size());
}

ReadStatus read_frame(int fd, Frame& frame, std::chrono::steady_clock::time_point deadline,
                      std::size_t max_size) {
    char header[5];
    if (const ReadStatus status = read_all(fd, header, sizeof header, deadline);
        status != ReadStatus::ok)
        return status;
    uint32_t length = 0;
    std::memcpy(&length, header, sizeof length);
    if (length == 0)
        return ReadStatus::error;
    if (length - 1 > max_size)
        return ReadStatus::too_large;
    frame.type = static_cast<FrameType>(header[4]);
    frame.payload.resize(length - 1);
    return read_all(fd, frame.payload.data(), frame.payload.size(), deadline);
}

} // namespace lmharvest::isolation
