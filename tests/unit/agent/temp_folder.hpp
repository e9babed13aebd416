// A folder of its own under the system's temporary folder for one agent test, removed after it.
#pragma once

#include <filesystem>
#include <string>
#include <unistd.h>

namespace lmharvest::test {

struct TempFolder {
    explicit TempFolder(const std::string& prefix)
        : path(std::filesystem::temp_directory_path() /
               (prefix + "-" + std::to_string(::getpid()))) {
        std::filesystem::create_directories(path);
    }
    ~TempFolder() { std::filesystem::remove_all(path); }
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    std::filesystem::path path;
};

} // namespace lmharvest::test
