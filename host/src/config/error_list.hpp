// Collects every config error with its position, so one pass over a file reports them all.
#pragma once

#include "config/config.hpp"

#include <string>
#include <toml++/toml.h>

namespace lmharvest {

class ErrorList {
public:
    explicit ErrorList(std::string file) : file_(std::move(file)) {}

    /// Records `message` at the start of `where` (no position when toml++ has none).
    void add(const toml::source_region& where, std::string message);
    bool empty() const { return errors_.empty(); }
    const std::string& file() const { return file_; }
    /// The errors in file order (line, then column), leaving the list empty.
    ConfigErrors take();

private:
    std::string file_;
    ConfigErrors errors_;
};

/// `file:line:col` of a toml++ position, "" when it has none.
std::string format_location(const std::string& file, const toml::source_region& where);

} // namespace lmharvest
