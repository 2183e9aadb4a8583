#pragma once
// citytwin._core.skims: zone-to-zone skim matrices of simulated hours as NumPy arrays.
#include <pybind11/pybind11.h>

#include "core/model/twin.hpp"

namespace citytwin::python {

// `twin_of` turns the Python twin object (bindings.cpp's type) into the engine's twin.
using TwinOf = const Twin& (*)(pybind11::handle twin);
void register_skims(pybind11::module_& m, TwinOf twin_of);

}  // namespace citytwin::python
