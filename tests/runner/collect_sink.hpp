#pragma once
// A sink that keeps every record, keyed by run index, for the runner tests.
#include "runner/record.hpp"

#include <cstdint>
#include <map>

namespace normsim::test {

class CollectSink final : public runner::RunSink {
 public:
  void write(const runner::RunRecord& r) override { records[r.run_index] = r; }
  std::map<std::uint64_t, runner::RunRecord> records;
};

}  // namespace normsim::test
