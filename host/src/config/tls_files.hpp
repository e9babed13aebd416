// Whether the host can use a TLS certificate or key file: readable, and a key not readable by
// every user (a copied key lets anyone impersonate the API). Group-readable keys are fine: Debian
// keeps them 0640 root:ssl-cert.
#pragma once

#include <optional>
#include <string>

namespace lmharvest {

enum class TlsFile { certificate, private_key };

/// What is wrong with `path` as a `kind`, with the fix; nullopt when it is usable.
std::optional<std::string> tls_file_problem(const std::string& path, TlsFile kind);

} // namespace lmharvest
