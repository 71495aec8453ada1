#include "study/processes.hpp"

#include <cstdlib>
#include <stdexcept>

#ifdef NORMSIM_WITH_MPI
#include <mpi.h>
#endif

namespace normsim::study {

bool launched_by_mpirun() noexcept {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMIX_RANK") != nullptr ||
         std::getenv("PMI_SIZE") != nullptr;
}

Processes::Processes(int& argc, char**& argv) {
  if (!launched_by_mpirun()) return;
#ifdef NORMSIM_WITH_MPI
  int provided = 0;
  // Only the main thread calls MPI (oneTBB workers never do).
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  mpi_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
#else
  (void)argc;
  (void)argv;
  throw std::runtime_error(
      "started by mpirun, but this normsim was built without MPI (configure with Open MPI installed, "
      "NORMSIM_WITH_MPI=ON); use --shard i/n and normsim merge instead");
#endif
}

Processes::~Processes() {
#ifdef NORMSIM_WITH_MPI
  if (mpi_) MPI_Finalize();
#endif
}

bool Processes::all_succeeded(bool ok) const {
#ifdef NORMSIM_WITH_MPI
  if (mpi_) {
    int mine = ok ? 1 : 0;
    int all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return all == 1;
  }
#endif
  return ok;
}

void Processes::broadcast(std::vector<std::uint64_t>& values) const {
#ifdef NORMSIM_WITH_MPI
  if (mpi_) {
    unsigned long long size = values.size();
    MPI_Bcast(&size, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    values.resize(static_cast<std::size_t>(size));
    if (size > 0) MPI_Bcast(values.data(), static_cast<int>(size), MPI_UINT64_T, 0, MPI_COMM_WORLD);
  }
#else
  (void)values;
#endif
}

}  // namespace normsim::study
