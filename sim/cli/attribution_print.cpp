#include "cli/attribution_print.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace normsim::cli {

namespace {

using output::AttributionTable;
using output::FactorKind;
using output::TableKind;

std::string level_of(const AttributionTable& t) { return fmt::format("{:.4g}%", 100.0 * t.confidence); }

void print_main(const AttributionTable& t, double target_width) {
  // A radial design has total indices only: its first-order column prints as NaN.
  const output::IndexColumn& st = t.indices.back();
  output::IndexColumn missing;
  missing.estimate = missing.low = missing.high = std::vector<double>(t.labels.size(), std::nan(""));
  const output::IndexColumn& s = t.indices.size() > 1 ? t.indices[0] : missing;
  fmt::print("\n{}: variance {:.4g} over {} rows ({} runs)\n", t.outcome, t.variance, t.rows, t.runs);
  fmt::print("  {:<44} {:>24} {:>24}\n", "group", fmt::format("first-order S [{} CI]", level_of(t)),
             fmt::format("total ST [{} CI]", level_of(t)));
  std::vector<std::size_t> groups;
  std::vector<std::size_t> researchers;
  for (std::size_t g = 0; g < t.labels.size(); ++g) (t.kinds[g] == FactorKind::researcher ? researchers : groups).push_back(g);
  const auto by_total = [&](std::size_t a, std::size_t b) { return st.estimate[a] > st.estimate[b]; };
  std::stable_sort(groups.begin(), groups.end(), by_total);
  std::stable_sort(researchers.begin(), researchers.end(), by_total);
  const auto row = [&](std::size_t g) {
    fmt::print("  {:<44} {:>7.4f} [{:>7.4f}, {:>6.4f}] {:>7.4f} [{:>7.4f}, {:>6.4f}]\n", t.labels[g], s.estimate[g],
               s.low[g], s.high[g], st.estimate[g], st.low[g], st.high[g]);
  };
  for (const std::size_t g : groups) row(g);
  double widest = 0;
  for (std::size_t g = 0; g < t.labels.size(); ++g) widest = std::max(widest, st.high[g] - st.low[g]);
  if (!researchers.empty()) {
    fmt::print("  top researchers by total index (of {}):\n", researchers.size());
    for (std::size_t i = 0; i < researchers.size() && i < 10; ++i) row(researchers[i]);
    double sum_s = 0;
    double sum_st = 0;
    std::vector<double> totals;
    for (const std::size_t g : researchers) {
      sum_s += s.estimate[g];
      sum_st += st.estimate[g];
      totals.push_back(st.estimate[g]);
    }
    std::sort(totals.begin(), totals.end());
    const auto at = [&](double q) { return totals[static_cast<std::size_t>(q * static_cast<double>(totals.size() - 1))]; };
    fmt::print("  researchers: sum of S {:.4f}, sum of ST {:.4f}; ST median {:.5f}, 90th percentile {:.5f}, max {:.5f}\n",
               sum_s, sum_st, at(0.5), at(0.9), totals.back());
  }
  const double suggested = static_cast<double>(t.rows) * std::pow(widest / target_width, 2.0);
  fmt::print("  convergence: widest total-index CI ({}) {:.4f}; for a width of {:.3f}, N ≈ {:.0f}\n", level_of(t), widest,
             target_width, std::max(suggested, 2.0));
}

void print_knockout(const AttributionTable& t) {
  fmt::print("\n{}: knockouts, mean change without the entity, paired on {} rows ({} intervals)\n", t.outcome, t.rows,
             level_of(t));
  const output::IndexColumn& e = t.indices.front();
  for (std::size_t i = 0; i < t.labels.size(); ++i) {
    fmt::print("  {:<24} {:>+12.5g} [{:+.5g}, {:+.5g}]\n", t.labels[i], e.estimate[i], e.low[i], e.high[i]);
  }
}

void print_janon(const AttributionTable& t) {
  const output::IndexColumn& c = t.indices.front();
  std::vector<std::size_t> order(t.labels.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return c.estimate[a] > c.estimate[b]; });
  double sum = 0;
  for (std::size_t g = 0; g < c.estimate.size(); ++g) sum += t.kinds[g] == FactorKind::researcher ? c.estimate[g] : 0.0;
  fmt::print("\n{}: first-order indices of every lab stream and researcher (Janon, {} + {} runs, {} intervals)\n",
             t.outcome, t.rows, t.rows, level_of(t));
  for (std::size_t i = 0; i < order.size() && i < 10; ++i) {
    const std::size_t g = order[i];
    fmt::print("  {:<44} {:>7.4f} [{:>7.4f}, {:>6.4f}]\n", t.labels[g], c.estimate[g], c.low[g], c.high[g]);
  }
  fmt::print("  researchers: sum of S {:.4f}\n", sum);
}

void print_shapley(const AttributionTable& t) {
  const bool custom = std::find(t.kinds.begin(), t.kinds.end(), FactorKind::custom_group) != t.kinds.end();
  const bool factors = std::any_of(t.kinds.begin(), t.kinds.end(), [](FactorKind k) {
    return k == FactorKind::parameter || k == FactorKind::norm;
  });
  const std::string what = factors ? (custom ? "parameters and custom groups" : "parameters and labs")
                           : custom ? "custom groups"
                                    : "labs (stream and researchers)";
  fmt::print("\n{}: Shapley effects of the {}, {} rows × {} runs each ({} intervals)\n", t.outcome, what, t.rows,
             t.labels.size() + 1, level_of(t));
  fmt::print("  {:<32} {:>24} {:>24} {:>24}\n", "group", "first-order S", "Shapley Sh", "total ST");
  const output::IndexColumn& s = t.indices[0];
  const output::IndexColumn& st = t.indices[1];
  const output::IndexColumn& sh = t.indices[2];
  for (std::size_t m = 0; m < t.labels.size(); ++m) {
    fmt::print("  {:<32} {:>7.4f} [{:>7.4f}, {:>6.4f}] {:>7.4f} [{:>7.4f}, {:>6.4f}] {:>7.4f} [{:>7.4f}, {:>6.4f}]\n",
               t.labels[m], s.estimate[m], s.low[m], s.high[m], sh.estimate[m], sh.low[m], sh.high[m], st.estimate[m],
               st.low[m], st.high[m]);
  }
}

}  // namespace

void print_attribution(const study::AttributionResult& result, const std::vector<std::string>& outcomes,
                       std::uint64_t janon_rows) {
  for (const std::string& name : result.constant) {
    fmt::print("\n{}: no variance over the design (constant outcome); no indices\n", name);
  }
  for (const AttributionTable& t : result.tables) {
    switch (t.table) {
      case TableKind::main: print_main(t, result.target_width); break;
      case TableKind::knockout: print_knockout(t); break;
      case TableKind::janon: print_janon(t); break;
      case TableKind::shapley: print_shapley(t); break;
    }
  }
  if (janon_rows == 0) return;
  for (const std::string& name : outcomes) {
    const bool has = std::any_of(result.tables.begin(), result.tables.end(), [&](const AttributionTable& t) {
      return t.table == TableKind::janon && t.outcome == name;
    });
    if (!has) fmt::print("\n{}: no variance over the replicated design; no Janon indices\n", name);
  }
}

void print_factor_share(const study::FactorShareResult& r, double confidence) {
  for (const study::FactorShare& s : r.shares) {
    fmt::print("\n{}: {} explains {:.4f} [{:.4f}, {:.4f}] of the variance ({:.4g}% interval; plug-in {:.4f}); {} levels × "
               "{} replicates{}\n",
               s.outcome, r.factor, s.share.share.value, s.share.share.ci_low, s.share.share.ci_high, 100.0 * confidence,
               s.share.plug_in_share.value, r.points, r.replicates, r.paired ? ", common keys" : "");
    if (!r.paired) {
      fmt::print("  (level differences need paired runs: rerun the sweep with --set sweep.common_keys=true)\n");
      continue;
    }
    for (const analysis::LevelDifference& d : s.differences) {
      fmt::print("  {:>22} − {:<22} {:>+11.5g} [{:+.5g}, {:+.5g}] (paired)\n",
                 r.labels.at(static_cast<std::size_t>(r.levels[d.level_a])),
                 r.labels.at(static_cast<std::size_t>(r.levels[d.level_b])), d.difference.value, d.difference.ci_low,
                 d.difference.ci_high);
    }
  }
}

}  // namespace normsim::cli
