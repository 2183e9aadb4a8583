#pragma once
// Per-element math of this module is marked CITYTWIN_HD: compiled by g++ for
// the TBB loops and by nvcc for the kernels in gpu/. One definition for all.
#include "core/common/host_device.hpp"
