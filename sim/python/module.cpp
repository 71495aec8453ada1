// normsim._engine: the study library in-process for Python (the package normsim wraps it; see
// analysis/python/normsim/engine.py). Every function takes a scenario (a file path or TOML text),
// the `set=` overrides as "key=value" strings, and writes the same HDF5 file the CLI writes; the
// Python side reads the results back from it. The engine runs with the GIL released, on the
// library's threads; progress calls back into Python with the GIL held, from one thread at a time.
// Ctrl-C stops it as SIGINT stops the CLI (runs done stay in the journal): the call then returns
// status "interrupted" and the Python side raises KeyboardInterrupt.
#include "output/error.hpp"
#include "scenario/scenario.hpp"
#include "study/attribute.hpp"
#include "study/check.hpp"
#include "study/errors.hpp"
#include "study/plan.hpp"
#include "study/run.hpp"
#include "version/build_info.hpp"

#include <fmt/core.h>
#include <oneapi/tbb/info.h>
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;
using namespace normsim;

namespace {

/// The scenario argument: a path to a file (is_path) or TOML text named `source` in messages.
scenario::Scenario load(const std::string& scenario, bool is_path, const std::string& source,
                        const std::vector<std::string>& overrides) {
  if (is_path) return scenario::load_file(scenario, overrides);
  return scenario::load_text(scenario, source, overrides);
}

/// Progress into a Python callable (GIL taken for the call); an exception it raises stops the
/// progress calls, not the runs. Messages go to stderr as the CLI prints them, unless quiet.
study::Conduct conduct(int threads, bool quiet, const std::optional<py::function>& progress) {
  study::Conduct c;
  c.threads = threads;
  c.quiet = quiet;
  if (!quiet) c.note = [](std::string_view text) { fmt::print(stderr, "normsim: {}\n", text); };
  if (progress) {
    auto failed = std::make_shared<std::atomic<bool>>(false);
    py::function fn = *progress;
    c.progress = [fn, failed](std::uint64_t done, std::uint64_t total) {
      if (failed->load()) return;
      const py::gil_scoped_acquire gil;
      try {
        fn(done, total);
      } catch (const py::error_already_set&) {
        failed->store(true);
      }
    };
  }
  return c;
}

std::string status_name(study::PipelineStatus s) {
  switch (s) {
    case study::PipelineStatus::written: return "written";
    case study::PipelineStatus::shard_written: return "shard_written";
    case study::PipelineStatus::follower: return "follower";
    case study::PipelineStatus::interrupted: return "interrupted";
    case study::PipelineStatus::failed: return "failed";
  }
  return "failed";
}

py::dict run(const std::string& scenario, bool is_path, const std::string& source,
             const std::vector<std::string>& overrides, const std::string& output, bool series, int threads, bool quiet,
             bool overwrite, bool resume, bool force, const std::optional<py::function>& progress,
             const std::string& command_line) {
  study::RunConfig c;
  c.scenario = load(scenario, is_path, source, overrides);
  c.scenario_file = is_path ? scenario : source;
  c.command_line = command_line;
  c.output = output;
  c.series = series;
  c.overwrite = overwrite;
  c.resume = resume;
  c.force = force;
  c.conduct = conduct(threads, quiet, progress);
  study::RunResult r;
  {
    const py::gil_scoped_release release;
    r = study::run(c, study::Processes());
  }
  py::dict d;
  d["status"] = status_name(r.status);
  d["runs"] = r.runs;
  d["runs_completed"] = r.report.runs_completed;
  d["already"] = r.already;
  d["wall_seconds"] = r.report.wall_seconds;
  d["researcher_steps"] = r.report.researcher_steps;
  d["threads"] = r.threads;
  return d;
}

py::dict attribute(const std::string& scenario, bool is_path, const std::string& source,
                   const std::vector<std::string>& overrides, const std::string& output,
                   const std::vector<std::string>& outcomes, std::optional<std::uint64_t> rows,
                   std::optional<std::uint64_t> bootstrap, bool no_researchers, bool radial, bool shapley,
                   std::uint64_t janon_rows, int threads, bool quiet, bool overwrite, bool resume,
                   const std::optional<py::function>& progress, const std::string& command_line) {
  study::AttributeConfig c;
  c.scenario = load(scenario, is_path, source, overrides);
  c.scenario_file = is_path ? scenario : source;
  c.command_line = command_line;
  c.output = output;
  c.outcomes = outcomes;
  c.rows = rows;
  c.bootstrap = bootstrap;
  c.no_researchers = no_researchers;
  c.radial = radial;
  c.shapley = shapley;
  c.janon_rows = janon_rows;
  c.overwrite = overwrite;
  c.resume = resume;
  c.conduct = conduct(threads, quiet, progress);
  study::AttributionResult r;
  {
    const py::gil_scoped_release release;
    r = study::attribute(c, study::Processes());
  }
  py::dict d;
  d["status"] = status_name(r.status);
  d["runs"] = r.runs;
  d["rows"] = r.rows;
  d["runs_completed"] = r.report.runs_completed;
  d["wall_seconds"] = r.report.wall_seconds;
  d["constant"] = r.constant;
  return d;
}

py::dict check(const std::string& scenario, bool is_path, const std::string& source,
               const std::vector<std::string>& overrides, const std::string& output, bool until_decided,
               std::uint64_t max_runs, double max_seconds, int threads, bool quiet,
               bool overwrite, bool resume, bool force, const std::optional<py::function>& progress,
               const std::string& command_line) {
  study::CheckConfig c;
  c.scenario = load(scenario, is_path, source, overrides);
  c.scenario_file = is_path ? scenario : source;
  c.command_line = command_line;
  c.output = output;
  c.overwrite = overwrite;
  c.resume = resume;
  c.force = force;
  c.sequential.until_decided = until_decided;
  c.sequential.max_runs = max_runs;
  c.sequential.max_seconds = max_seconds;
  c.conduct = conduct(threads, quiet, progress);
  study::CheckResult r;
  {
    const py::gil_scoped_release release;
    r = study::check(c, study::Processes());
  }
  py::dict d;
  d["status"] = status_name(r.status);
  py::list claims;
  for (const study::ClaimOutcome& claim : r.claims) {
    py::dict one;
    one["id"] = claim.result.id;
    one["overall"] = std::string(analysis::verdict_name(claim.overall));
    one["formula"] = claim.formula;
    one["counts"] = std::vector<std::size_t>(claim.counts.begin(), claim.counts.end());
    claims.append(one);
  }
  d["claims"] = claims;
  d["runs"] = r.runs;
  return d;
}

std::string plan(const std::string& scenario, bool is_path, const std::string& source,
                 const std::vector<std::string>& overrides, int threads, bool series) {
  const scenario::Scenario s = load(scenario, is_path, source, overrides);
  const py::gil_scoped_release release;
  const study::Estimate e = study::estimate(s, threads > 0 ? threads : tbb::info::default_concurrency(), series);
  std::string text = study::describe_design(s) + study::describe_estimate(e);
  if (s.attribution) text += study::describe_attribution(s, e);
  return text;
}

py::dict merge(const std::vector<std::string>& shards, const std::string& output, bool overwrite,
               bool allow_incomplete, const std::string& command_line) {
  const std::vector<std::filesystem::path> paths(shards.begin(), shards.end());
  output::FinalizeReport r;
  {
    const py::gil_scoped_release release;
    r = study::merge(paths, output, overwrite, allow_incomplete, command_line);
  }
  py::dict d;
  d["runs"] = r.runs;
  d["present"] = r.present;
  d["complete"] = r.complete;
  return d;
}

}  // namespace

PYBIND11_MODULE(_engine, m) {
  m.doc() = "normsim's engine (the study library) in-process; use the normsim package, not this module";
  // Bad input raises normsim.ScenarioError (a ValueError, defined in pure Python so that it is one
  // class with or without this module), naming the file or string, line, key and allowed values;
  // a scenario error also carries them as attributes source, line, column, key.
  // Kept for the life of the process (released, so that no destructor runs after the interpreter).
  static const py::handle scenario_error =
      py::object(py::module_::import("normsim._errors").attr("ScenarioError")).release();
  py::register_exception_translator([](std::exception_ptr p) {
    const auto raise = [](const std::string& message, const std::string& source, std::int64_t line,
                          std::int64_t column, const std::string& key) {
      py::object error = scenario_error(message);
      error.attr("source") = source;
      error.attr("line") = line;
      error.attr("column") = column;
      error.attr("key") = key;
      PyErr_SetObject(scenario_error.ptr(), error.ptr());
    };
    try {
      if (p) std::rethrow_exception(p);
    } catch (const scenario::ScenarioError& e) {
      raise(e.what(), e.source(), e.line(), e.column(), e.key());
    } catch (const study::InputError& e) {
      raise(e.what(), "", 0, 0, "");
    } catch (const output::OutputExists& e) {
      PyErr_SetString(PyExc_FileExistsError, e.what());
    } catch (const output::OutputError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    }
  });
  m.def("run", &run, py::arg("scenario"), py::arg("is_path"), py::arg("source"), py::arg("overrides"),
        py::arg("output"), py::arg("series"), py::arg("threads"), py::arg("quiet"), py::arg("overwrite"),
        py::arg("resume"), py::arg("force"), py::arg("progress"), py::arg("command_line"),
        "Runs a scenario into an HDF5 file; returns a status dict.");
  m.def("attribute", &attribute, py::arg("scenario"), py::arg("is_path"), py::arg("source"), py::arg("overrides"),
        py::arg("output"), py::arg("outcomes"), py::arg("rows"), py::arg("bootstrap"), py::arg("no_researchers"),
        py::arg("radial"), py::arg("shapley"), py::arg("janon_rows"), py::arg("threads"), py::arg("quiet"),
        py::arg("overwrite"), py::arg("resume"), py::arg("progress"), py::arg("command_line"),
        "Variance attribution into an HDF5 file; returns a status dict.");
  m.def("check", &check, py::arg("scenario"), py::arg("is_path"), py::arg("source"), py::arg("overrides"),
        py::arg("output"), py::arg("until_decided"), py::arg("max_runs"), py::arg("max_seconds"), py::arg("threads"), py::arg("quiet"), py::arg("overwrite"), py::arg("resume"),
        py::arg("force"), py::arg("progress"), py::arg("command_line"),
        "Checks the scenario's claims into an HDF5 file (/claims); returns a status dict.");
  m.def("plan", &plan, py::arg("scenario"), py::arg("is_path"), py::arg("source"), py::arg("overrides"),
        py::arg("threads"), py::arg("series"), "The design and the estimated cost, as text.");
  m.def("merge", &merge, py::arg("shards"), py::arg("output"), py::arg("overwrite"), py::arg("allow_incomplete"),
        py::arg("command_line"), "Merges the shard journals of a run into one file.");
  m.def("version", [] {
    py::dict d;
    d["version"] = build_info::version();
    d["git_commit"] = build_info::git_commit();
    d["compiler"] = build_info::compiler();
    d["build_type"] = build_info::build_type();
    return d;
  });
}
