#!/usr/bin/env bash
# Installs the Debian 12 packages citytwin builds and tests with. Idempotent: it
# asks dpkg which are missing and installs only those, so a second run is a no-op.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  libgdal-dev gdal-bin            # all vector I/O and CRS (geo/)
  libtbb-dev                      # CPU parallelism (core/)
  libboost-dev                    # Boost.Geometry R-tree (geo/)
  libsuitesparse-dev              # KLU sparse LU (core/grid)
  libtomlplusplus-dev             # manifests and scenarios
  libcli11-dev nlohmann-json3-dev # command line, JSON output
  libgtest-dev libbenchmark-dev   # tests and benchmarks
  libimgui-dev libglfw3-dev libgl-dev libstb-dev # viewer (libstb-dev: PNG export with stb_image_write)
  xvfb xauth libgl1-mesa-dri      # headless viewer tests
  pybind11-dev python3-dev        # Python module (python/)
  python3-numpy python3-pytest    # its runtime and pytest suite, for /usr/bin/python3
  python3-pandas python3-geopandas python3-gdal # Twin.frame / Results.frame, and their tests' independent GeoPackage reads
  clang-14 libclang-rt-14-dev     # the asan-ubsan preset and libFuzzer (scripts/test-sanitized.sh, scripts/fuzz.sh)
  postgresql-15 postgresql-15-postgis-3 # the shared platform's tests (scripts/pg-cluster.sh)
  openmpi-bin libopenmpi-dev      # mpirun -n K citytwin sweep (CITYTWIN_WITH_MPI=AUTO)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "install-deps: these Debian packages are missing and installing them needs root:" >&2
  echo "  apt-get install -y ${missing[*]}" >&2
  echo "Run that as root (or make sudo available), then run this command again." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
