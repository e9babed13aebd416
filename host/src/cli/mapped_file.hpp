// A file mapped read-only into memory: `lmharvest parse` hands a 10 MB capture to the plugin as
// one view without copying it (a read into a string zero-fills and copies every page).
#pragma once

#include "common/expected.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace lmharvest::cli {

class MappedFile {
public:
    /// The whole file; an error naming the file when it cannot be opened or mapped.
    static Expected<std::shared_ptr<const MappedFile>> open(const std::string& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    std::string_view text() const { return {data_, size_}; }

private:
    MappedFile(const char* data, std::size_t size) : data_(data), size_(size) {}
    const char* data_;
    std::size_t size_;
};

} // namespace lmharvest::cli
