#pragma once
// _core.forecast: the rest of the day from today's counts and meters
// (core/forecast), for citytwin.forecast (python/citytwin/_forecast.py).
// Registered from bindings.cpp, which owns the Python twin and scenario types
// and passes how to get the engine's objects out of them.
#include <pybind11/pybind11.h>

#include "python/src/engine_of.hpp"

namespace citytwin::python {

void register_forecast_bindings(pybind11::module_& m, TwinOf twin_of, ScenarioOf scenario_of);

}  // namespace citytwin::python
