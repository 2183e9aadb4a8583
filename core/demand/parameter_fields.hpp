#pragma once
// The demand parameters a scenario can set, each described once (file key,
// unit, range, doc): the scenario reader and writer, the run report, the CLI
// help and the Python properties are generated from these lists.
#include "core/common/field_list.hpp"
#include "core/demand/electric_load.hpp"
#include "core/demand/parameters.hpp"

namespace citytwin::demand {

const FieldList<DemandParameters>& demand_parameter_fields();
const FieldList<LoadParameters>& load_parameter_fields();

}  // namespace citytwin::demand
