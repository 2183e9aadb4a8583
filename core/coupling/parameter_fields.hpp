#pragma once
// The coupling parameters, each described once (file key, unit, range, doc,
// kind), and the [parameters] of a scenario: the coupling, demand and load
// lists seen from coupling::Scenario. The scenario reader and writer, the run
// report, `citytwin run --help`, the viewer's panel and the Python properties
// are generated from these lists; adding a parameter is its struct member plus
// one line in coupling_parameter_fields() (parameter_fields.cpp).
#include <string>
#include <utility>
#include <vector>

#include "core/common/field_list.hpp"
#include "core/coupling/scenario.hpp"

namespace citytwin::coupling {

const FieldList<CouplingParameters>& coupling_parameter_fields();

// Every key of a scenario file's [parameters] table, in listing order:
// coupling, then demand, then electric load parameters.
const FieldList<Scenario>& scenario_parameter_fields();

// What no single field's range can say: the charging shares sum to 1.
// Throws InvalidInput naming the fields.
void check_parameters(const CouplingParameters& c);

// (name, value) of every numeric scenario parameter (bools as 0/1), for the
// run report; enum fields are in parameter_choices().
std::vector<std::pair<std::string, double>> parameter_values(const Scenario& s);
// (name, spelling) of every enum scenario parameter ("assignment_algorithm", "bush").
std::vector<std::pair<std::string, std::string>> parameter_choices(const Scenario& s);

}  // namespace citytwin::coupling
