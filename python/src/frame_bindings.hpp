#pragma once
// pandas / GeoPandas frames of a twin's layers and a run's hourly tables
// (frame_bindings.cpp), registered into citytwin._core by bindings.cpp.
#include <pybind11/pybind11.h>

#include <functional>

#include "core/model/twin.hpp"

namespace citytwin::python {

// The C++ twin behind a Python citytwin.Twin (its class lives in bindings.cpp).
using TwinAccess = std::function<const Twin&(pybind11::handle)>;

void register_frame_bindings(pybind11::module_& m, TwinAccess access);

}  // namespace citytwin::python
