// A small deterministic random source for the simulated server.
//
// std::mt19937_64 is portable but the std:: distributions are not (their algorithms are left to
// the library), so a seed would give different servers on different standard libraries. This is
// SplitMix64 with its own, fixed, ways of drawing numbers.
#pragma once

#include <cstdint>

namespace lmharvest::sim {

/// Mixes one 64-bit value into a well-spread one (the SplitMix64 finaliser).
constexpr uint64_t mix64(uint64_t value) {
    value += 0x9e3779b97f4a7c15ULL;
    value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
    value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
    return value ^ (value >> 31);
}

class SimRandom {
public:
    /// A stream that depends on every part of the key, e.g. (seed, minute, purpose).
    SimRandom(uint64_t seed, uint64_t stream, uint64_t purpose)
        : state_(mix64(seed ^ mix64(stream ^ mix64(purpose)))) {}

    uint64_t next() {
        state_ += 0x9e3779b97f4a7c15ULL;
        return mix64(state_);
    }
    /// A number in [0, bound); bound must be > 0. The modulo bias is far below what a
    /// simulation can show.
    uint64_t below(uint64_t bound) { return next() % bound; }
    /// A number in [low, high].
    int64_t between(int64_t low, int64_t high) {
        return low + static_cast<int64_t>(below(static_cast<uint64_t>(high - low) + 1));
    }
    /// A number in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double probability) { return unit() < probability; }

private:
    uint64_t state_;
};

} // namespace lmharvest::sim
