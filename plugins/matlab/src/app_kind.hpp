// Which of the handler's applications a process is, from its executable and argv[0].
#pragma once

#include <lmharvest/plugin.hpp>
#include <optional>

namespace lmharvest::matlab {

enum class App { matlab, octave };

/// The app `process` runs: matlab/MATLAB, or octave, octave-cli, octave-gui (each possibly
/// with a version suffix, "octave-cli-7.3.0"), by the executable's or argv[0]'s file name.
std::optional<App> app_of(const sdk::Process& process);

} // namespace lmharvest::matlab
