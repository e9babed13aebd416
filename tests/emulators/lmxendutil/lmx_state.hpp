// The emulator's license state: an -licstatxml document, printed as XML or as text, and
// changed by removals.
#pragma once

#include <optional>
#include <pugixml.hpp>
#include <string>

namespace lmharvest::lmx::emulator {

class LmxState {
public:
    /// Reads the state file; returns why it cannot be used, or "" on success.
    std::string load(const std::string& path);
    bool save(const std::string& path) const;

    std::string xml() const;
    /// The text layout of `lmxendutil -licstat` (fixtures/lmx/01), banner not included.
    std::string text() const;

    /// Removes every checkout of `feature` by user@host; lowers the feature's USED_LICENSES.
    /// Returns how many checkouts went.
    int remove(const std::string& feature, const std::string& user, const std::string& host);

private:
    pugi::xml_document document_;
};

/// The trimmed content of `<path><suffix>`, or nullopt when that file does not exist.
std::optional<std::string> read_sidecar(const std::string& path, const std::string& suffix);

} // namespace lmharvest::lmx::emulator
