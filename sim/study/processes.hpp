#pragma once
// The processes of one normsim invocation: one, or K MPI ranks under `mpirun -np K`. MPI stays in
// processes.cpp (compiled with Open MPI when available); the rest of the library sees ranks and a
// vote. A program that embeds the library (the Python module, a downstream project) uses the
// single-process default.
#include <cstdint>
#include <string>
#include <vector>

namespace normsim::study {

/// This process's place among the processes of the invocation.
class Processes {
 public:
  /// One process, no MPI.
  Processes() = default;
  /// Starts MPI when the process was launched by mpirun (Open MPI's or PMIx's environment) and
  /// the CLI was built with MPI; otherwise a single process. Throws std::runtime_error when
  /// launched by mpirun without MPI support.
  Processes(int& argc, char**& argv);
  Processes(const Processes&) = delete;
  Processes& operator=(const Processes&) = delete;
  /// Finalizes MPI if it was started.
  ~Processes();

  [[nodiscard]] int rank() const noexcept { return rank_; }
  [[nodiscard]] int size() const noexcept { return size_; }
  [[nodiscard]] bool distributed() const noexcept { return size_ > 1; }
  /// Every process says whether its part succeeded; returns true iff all did. A barrier: no
  /// process passes it before all have reached it. Single process: returns `ok`.
  [[nodiscard]] bool all_succeeded(bool ok) const;
  /// Rank 0's `values` on every process (the others' are replaced). A collective call: every
  /// process must make it. Single process: unchanged.
  void broadcast(std::vector<std::uint64_t>& values) const;

 private:
  int rank_ = 0;
  int size_ = 1;
  bool mpi_ = false;
};

/// True when the environment says this process was started by mpirun.
[[nodiscard]] bool launched_by_mpirun() noexcept;

}  // namespace normsim::study
