#include "debuglog_follower.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <utility>

namespace lmharvest::flexnet {

namespace {

constexpr const char* bookmark_magic = "lmharvest-flexnet-debuglog 1";

} // namespace

DebugLogFollower::DebugLogFollower(std::string log_path, std::string bookmark_path, bool from_start,
                                   uint64_t max_bytes_per_read)
    : log_path_(std::move(log_path)), bookmark_path_(std::move(bookmark_path)),
      from_start_(from_start), max_bytes_(max_bytes_per_read) {
    load_bookmark();
}

void DebugLogFollower::load_bookmark() {
    std::ifstream in(bookmark_path_);
    std::string magic, position;
    if (!std::getline(in, magic) || magic != bookmark_magic || !std::getline(in, position))
        return; // none yet, or unreadable: start as on a first run
    std::istringstream fields(position);
    uint64_t device = 0, inode = 0, offset = 0;
    if (!(fields >> device >> inode >> offset))
        return;
    device_ = device;
    inode_ = inode;
    offset_ = pending_offset_ = offset;
    have_position_ = true;
    std::getline(in, context_);
}

DebugLogFollower::Chunk DebugLogFollower::read_new() {
    Chunk chunk;
    struct stat info {};
    if (::stat(log_path_.c_str(), &info) != 0) {
        chunk.error = "cannot read debug log '" + log_path_ + "': " + std::strerror(errno);
        return chunk;
    }
    const uint64_t size = static_cast<uint64_t>(info.st_size);
    const uint64_t device = static_cast<uint64_t>(info.st_dev);
    const uint64_t inode = static_cast<uint64_t>(info.st_ino);
    if (!have_position_) {
        offset_ = from_start_ ? 0 : size;
    } else if (device != device_ || inode != inode_) {
        offset_ = 0; // rotated: a new file under the same name
    } else if (size < offset_) {
        offset_ = 0; // truncated in place
    }
    have_position_ = true;
    device_ = device;
    inode_ = inode;
    pending_offset_ = offset_;
    if (size <= offset_)
        return chunk;

    std::ifstream in(log_path_, std::ios::binary);
    if (!in || !in.seekg(static_cast<std::streamoff>(offset_))) {
        chunk.error = "cannot read debug log '" + log_path_ + "'";
        return chunk;
    }
    const uint64_t wanted = std::min(size - offset_, max_bytes_);
    chunk.lines.resize(wanted);
    in.read(chunk.lines.data(), static_cast<std::streamsize>(wanted));
    chunk.lines.resize(static_cast<size_t>(in.gcount()));
    const size_t last_newline = chunk.lines.rfind('\n');
    if (last_newline != std::string::npos)
        chunk.lines.resize(last_newline + 1);
    else if (chunk.lines.size() < max_bytes_)
        chunk.lines.clear(); // a line still being written
    // else: one line longer than a whole read; hand it out rather than stall on it forever.
    pending_offset_ = offset_ + chunk.lines.size();
    return chunk;
}

std::string DebugLogFollower::commit(const std::string& context) {
    offset_ = pending_offset_;
    context_ = context;
    // Write then rename, so a crash leaves the old bookmark or the new one, never half of one.
    const std::string temporary = bookmark_path_ + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << bookmark_magic << '\n'
            << device_ << ' ' << inode_ << ' ' << offset_ << '\n'
            << context_ << '\n';
        if (!out.flush())
            return "cannot write debug-log bookmark '" + temporary + "'";
    }
    if (std::rename(temporary.c_str(), bookmark_path_.c_str()) != 0)
        return "cannot replace debug-log bookmark '" + bookmark_path_ +
               "': " + std::strerror(errno);
    return {};
}

} // namespace lmharvest::flexnet
