#pragma once
// citytwin._core.skims: zone-to-zone skim matrices of simulated hours as NumPy arrays.
#include <pybind11/pybind11.h>

#include "python/src/engine_of.hpp"

namespace citytwin::python {

void register_skims(pybind11::module_& m, TwinOf twin_of);

}  // namespace citytwin::python
