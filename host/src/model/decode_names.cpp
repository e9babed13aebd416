#include "model/decode_names.hpp"

#include <initializer_list>

namespace lmharvest {
namespace {

void decode_all(std::initializer_list<std::string*> fields, text::Encoding encoding) {
    for (std::string* field : fields)
        *field = text::decode_to_utf8(*field, encoding);
}

} // namespace

void decode_names(PollSnapshot& snapshot, text::Encoding encoding) {
    if (encoding == text::Encoding::utf8)
        return;
    const auto e = encoding;
    decode_all({&snapshot.error}, e);
    for (ServerStatus& s : snapshot.servers)
        decode_all({&s.host, &s.version, &s.message}, e);
    for (VendorStatus& v : snapshot.vendors)
        decode_all({&v.name, &v.version, &v.message}, e);
    for (FeatureUsage& f : snapshot.features)
        decode_all({&f.vendor, &f.name, &f.version, &f.expiry, &f.error_text}, e);
    for (Session& s : snapshot.sessions)
        decode_names(s, e);
    for (Denial& d : snapshot.denials)
        decode_all({&d.vendor, &d.feature, &d.user, &d.host, &d.reason}, e);
    for (SkippedLine& s : snapshot.skipped)
        decode_all({&s.text, &s.reason}, e);
}

void decode_names(Session& s, text::Encoding encoding) {
    if (encoding != text::Encoding::utf8)
        decode_all({&s.vendor, &s.feature, &s.version, &s.user, &s.host, &s.display, &s.host_ip,
                    &s.server},
                   encoding);
}

} // namespace lmharvest
