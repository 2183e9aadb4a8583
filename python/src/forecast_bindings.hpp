#pragma once
// _core.forecast: the rest of the day from today's counts and meters
// (core/forecast), for citytwin.forecast (python/citytwin/_forecast.py).
// Registered from bindings.cpp, which owns the Python twin and scenario types
// and passes how to get the engine's objects out of them.
#include <pybind11/pybind11.h>

#include <functional>

#include "core/coupling/scenario.hpp"
#include "core/model/twin.hpp"

namespace citytwin::python {

using TwinOf = std::function<const Twin&(pybind11::handle twin)>;
// nullptr for None (the baseline).
using ScenarioOf = std::function<const coupling::Scenario*(pybind11::handle resolved_scenario)>;

void register_forecast_bindings(pybind11::module_& m, TwinOf twin_of, ScenarioOf scenario_of);

}  // namespace citytwin::python
