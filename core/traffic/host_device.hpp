#pragma once
// CITYTWIN_HD marks per-element math that both g++ (TBB loops) and nvcc (CUDA
// kernels in gpu/) compile from the same header.
#if defined(__CUDACC__)
#define CITYTWIN_HD __host__ __device__
#else
#define CITYTWIN_HD
#endif
