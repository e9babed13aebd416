// glibc's iconv as an independent judge of what is valid UTF-8 and of what a code page's
// bytes mean.
#pragma once

#include <iconv.h>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lmharvest::testing {

class IconvOracle {
public:
    IconvOracle(const char* to, const char* from) : cd_(iconv_open(to, from)) {
        if (cd_ == reinterpret_cast<iconv_t>(-1))
            throw std::runtime_error(std::string("iconv cannot convert from ") + from);
    }
    ~IconvOracle() { iconv_close(cd_); }
    IconvOracle(const IconvOracle&) = delete;
    IconvOracle& operator=(const IconvOracle&) = delete;

    /// The whole of `input` converted, or nullopt when iconv refuses any of it.
    std::optional<std::string> convert(std::string_view input) {
        iconv(cd_, nullptr, nullptr, nullptr, nullptr); // reset the shift state
        std::string in(input);
        std::string out(input.size() * 4 + 8, '\0');
        char* in_ptr = in.data();
        char* out_ptr = out.data();
        std::size_t in_left = in.size(), out_left = out.size();
        if (iconv(cd_, &in_ptr, &in_left, &out_ptr, &out_left) == static_cast<std::size_t>(-1))
            return std::nullopt;
        out.resize(out.size() - out_left);
        return out;
    }

private:
    iconv_t cd_;
};

} // namespace lmharvest::testing
