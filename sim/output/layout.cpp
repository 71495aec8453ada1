// validate_layout (see layout.hpp).
#include "output/layout.hpp"

#include "output/error.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <set>

namespace normsim::output {

void validate_layout(const Layout& layout) {
  if (layout.steps < 0) throw OutputError(fmt::format("layout: negative number of steps {}", layout.steps));
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (layout.replicates != 0 && layout.points > kMax / layout.replicates)
    throw OutputError(fmt::format("layout: {} points × {} replicates overflows", layout.points, layout.replicates));
  std::set<std::string> names;
  for (const auto& f : layout.design) {
    const std::string where = fmt::format("layout: design factor '{}'", f.name);
    if (f.name.empty()) throw OutputError("layout: a design factor has an empty name");
    if (f.name.find('/') != std::string::npos) throw OutputError(where + ": '/' is not allowed in a name");
    if (!names.insert(f.name).second) throw OutputError(where + " appears twice");
    if (f.values.size() != layout.points || f.levels.size() != layout.points)
      throw OutputError(fmt::format("{}: {} values and {} levels for {} points", where, f.values.size(),
                                    f.levels.size(), layout.points));
    for (std::size_t p = 0; p < f.values.size(); ++p) {
      if (f.categorical) {
        if (!std::isnan(f.values[p])) throw OutputError(fmt::format("{}: categorical, value at point {} not NaN", where, p));
        if (f.levels[p] < 0 || static_cast<std::size_t>(f.levels[p]) >= f.labels.size())
          throw OutputError(fmt::format("{}: level {} at point {} is not in [0, {})", where, f.levels[p], p, f.labels.size()));
      } else if (f.levels[p] != -1) {
        throw OutputError(fmt::format("{}: numeric, level at point {} is {} (expected −1)", where, p, f.levels[p]));
      }
    }
    if (!f.categorical && !f.labels.empty()) throw OutputError(where + ": numeric factor with labels");
  }
}

}  // namespace normsim::output
