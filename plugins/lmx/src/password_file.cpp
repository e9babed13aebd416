#include "password_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <lmharvest/text/scan.hpp>
#include <sstream>

namespace lmharvest::lmx {

std::string read_password_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw sdk::Error(LH_ERR_GENERIC,
                         "lmx: cannot read password_file '" + path + "': " + std::strerror(errno));
    std::ostringstream content;
    content << file.rdbuf();
    const std::string password(text::trim(content.str()));
    if (password.empty())
        throw sdk::Error(LH_ERR_INVALID_ARGUMENT, "lmx: password_file '" + path + "' is empty");
    return password;
}

} // namespace lmharvest::lmx
