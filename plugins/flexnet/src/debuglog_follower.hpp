// Follows a growing debug log across polls and restarts, like `tail -F` with a bookmark.
//
// The bookmark (device, inode, offset, and a caller context such as the reader's date) lives in a
// small file. A new inode means the log was rotated: read the new file from its start. A size
// below the offset means it was truncated in place: start again at 0. Only whole lines are
// handed out; a line still being written waits for the next poll. Lines written to the old file
// between the last poll and a rotation are not read (the old file's new name is unknown).
#pragma once

#include <cstdint>
#include <string>

namespace lmharvest::flexnet {

class DebugLogFollower {
public:
    /// `from_start`: with no bookmark yet, read the existing log from its start instead of its
    /// end (the default end avoids reporting a year of old denials on the first poll).
    DebugLogFollower(std::string log_path, std::string bookmark_path, bool from_start,
                     uint64_t max_bytes_per_read = 16u << 20);

    struct Chunk {
        std::string lines; // whole lines, each ending in '\n'
        std::string error; // why nothing could be read (missing log, I/O error)
    };
    /// The whole lines added since the last commit().
    Chunk read_new();

    /// Moves the bookmark past what read_new() returned and saves it with `context`.
    /// Returns an error message, empty on success.
    std::string commit(const std::string& context);

    /// The context saved with the bookmark, empty when none.
    const std::string& context() const { return context_; }

private:
    void load_bookmark();

    std::string log_path_;
    std::string bookmark_path_;
    bool from_start_;
    uint64_t max_bytes_;
    bool have_position_ = false;
    uint64_t device_ = 0;
    uint64_t inode_ = 0;
    uint64_t offset_ = 0;
    uint64_t pending_offset_ = 0;
    std::string context_;
};

} // namespace lmharvest::flexnet
