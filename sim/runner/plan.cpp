#include "runner/plan.hpp"

#include <stdexcept>
#include <string>

namespace normsim::runner {

ReplicateSet::ReplicateSet(model::ModelParams params, std::uint64_t replicates, std::uint64_t master_seed)
    : params_{std::move(params)},
      roster_{std::make_shared<const model::Roster>(model::build_roster(params_))},
      replicates_{replicates},
      master_seed_{master_seed} {}

RunPlan ReplicateSet::plan(std::uint64_t run_index) const {
  RunPlan p;
  p.run_index = run_index;
  p.point = 0;
  p.stream_point = 0;
  p.replicate = run_index;
  return p;
}

model::EntityKeys derive_keys(const model::Roster& roster, std::uint64_t master_seed, const RunPlan& plan) {
  random::KeyAddress address;
  address.master_seed = master_seed;
  address.point = plan.stream_point;
  address.replicate = plan.replicate;

  model::EntityKeys keys;
  keys.labs.resize(roster.lab_count());
  address.kind = random::EntityKind::lab;
  for (std::size_t l = 0; l < keys.labs.size(); ++l) {
    address.index = l;
    keys.labs[l] = random::derive_key(address);
  }
  keys.researchers.resize(roster.researchers.size());
  for (std::size_t j = 0; j < keys.researchers.size(); ++j) {
    address.kind = roster.researchers[j].kind;
    address.index = roster.researchers[j].entity_index;
    keys.researchers[j] = random::derive_key(address);
  }

  for (const KeyOverride& o : plan.key_overrides) {
    bool found = false;
    if (o.kind == random::EntityKind::lab) {
      if (o.index < keys.labs.size()) {
        keys.labs[o.index] = o.key;
        found = true;
      }
    } else {
      for (std::size_t j = 0; j < roster.researchers.size(); ++j) {
        if (roster.researchers[j].kind == o.kind && roster.researchers[j].entity_index == o.index) {
          keys.researchers[j] = o.key;
          found = true;
          break;
        }
      }
    }
    if (!found) {
      throw std::invalid_argument("key override names entity kind " +
                                  std::to_string(static_cast<std::uint64_t>(o.kind)) + " index " +
                                  std::to_string(o.index) + ", which this run does not have");
    }
  }
  return keys;
}

}  // namespace normsim::runner
