#pragma once
// CITYTWIN_HD marks per-element functions compiled by both g++ (TBB loops)
// and nvcc (CUDA kernels). This is the only place the CUDA macro is tested.
#if defined(__CUDACC__)
#define CITYTWIN_HD __host__ __device__
#else
#define CITYTWIN_HD
#endif
