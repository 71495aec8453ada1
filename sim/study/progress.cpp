#include "study/progress.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unistd.h>

namespace normsim::study {

namespace {

double seconds_between(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string duration_text(double seconds) {
  if (!std::isfinite(seconds)) return "?";
  const auto s = static_cast<std::uint64_t>(std::llround(seconds));
  if (s < 60) return fmt::format("{} s", s);
  if (s < 3600) return fmt::format("{} min {:02} s", s / 60, s % 60);
  return fmt::format("{} h {:02} min", s / 3600, (s % 3600) / 60);
}

}  // namespace

ProgressStyle progress_style_for(std::FILE* stream, bool quiet) {
  if (quiet) return ProgressStyle::none;
  return ::isatty(::fileno(stream)) != 0 ? ProgressStyle::bar : ProgressStyle::lines;
}

Progress::Progress(std::FILE* stream, ProgressStyle style, std::uint64_t total, double interval,
                   std::uint64_t per_point)
    : stream_{stream},
      style_{style},
      total_{total},
      interval_{interval},
      per_point_{per_point},
      start_{std::chrono::steady_clock::now()},
      last_{start_} {}

std::string Progress::describe(std::uint64_t done, std::uint64_t total, double seconds, std::uint64_t per_point) {
  const double fraction = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total - std::min(done, total)) / rate
                              : std::numeric_limits<double>::infinity();
  const std::string points =
      per_point > 0 ? fmt::format("{}/{} points, ", done / per_point, total / per_point) : std::string();
  return fmt::format("{}{}/{} runs ({:.0f}%)  {:.1f} runs/s  ETA {}", points, done, total, 100.0 * fraction, rate,
                     done >= total ? std::string("0 s") : duration_text(eta));
}

void Progress::update(std::uint64_t done) {
  if (style_ == ProgressStyle::none) return;
  const auto now = std::chrono::steady_clock::now();
  const double due = style_ == ProgressStyle::bar ? 0.1 : interval_;
  if (seconds_between(last_, now) < due) return;
  last_ = now;
  print(done, false);
}

void Progress::finish(std::uint64_t done) {
  if (style_ == ProgressStyle::none) return;
  print(done, true);
}

void Progress::print(std::uint64_t done, bool final) {
  const std::string text =
      describe(done, total_, seconds_between(start_, std::chrono::steady_clock::now()), per_point_);
  if (style_ == ProgressStyle::bar) {
    constexpr std::size_t width = 30;
    const double fraction = total_ == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total_);
    const auto filled = static_cast<std::size_t>(std::floor(fraction * static_cast<double>(width)));
    fmt::print(stream_, "\r[{}{}] {}\x1b[K{}", std::string(filled, '#'), std::string(width - filled, '.'), text,
               final ? "\n" : "");
  } else {
    fmt::print(stream_, "normsim: {}\n", text);
  }
  std::fflush(stream_);
}

}  // namespace normsim::study
