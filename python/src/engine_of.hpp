#pragma once
// How a binding file gets the engine's objects out of the Python ones that
// bindings.cpp owns (its twin and scenario types), so each file registers
// its functions without knowing those types.
#include <pybind11/pybind11.h>

#include <functional>

#include "core/coupling/scenario.hpp"
#include "core/model/twin.hpp"

namespace citytwin::python {

using TwinOf = std::function<const Twin&(pybind11::handle twin)>;
// nullptr for None (the baseline).
using ScenarioOf = std::function<const coupling::Scenario*(pybind11::handle resolved_scenario)>;

}  // namespace citytwin::python
