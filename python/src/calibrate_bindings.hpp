#pragma once
// citytwin._core.calibrate: the twin calibrated to observations given as arrays.
#include <pybind11/pybind11.h>

void register_calibrate_bindings(pybind11::module_& m);
