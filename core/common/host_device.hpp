#pragma once
// CITYTWIN_HD marks per-element functions that both g++ (TBB loops in core/)
// and nvcc (CUDA kernels in gpu/) compile from the same header (the Open3D
// pattern). This is the only place __CUDACC__ is tested.
#if defined(__CUDACC__)
#define CITYTWIN_HD __host__ __device__
#else
#define CITYTWIN_HD
#endif
