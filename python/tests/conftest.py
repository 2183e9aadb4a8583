"""Fixtures: a small synthetic city made with the built `citytwin` command line.

ctest sets CITYTWIN_EXE (the built binary) and PYTHONPATH (the built package, build/python).
Run by hand: CITYTWIN_EXE=build/app/citytwin PYTHONPATH=build/python python3 -m pytest python/tests
"""
import os
import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(os.environ.get("CITYTWIN_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))


def _citytwin_exe() -> str:
    exe = os.environ.get("CITYTWIN_EXE") or shutil.which("citytwin")
    if not exe or not os.path.exists(exe):
        for candidate in (REPO / "build" / "app" / "citytwin",):
            if candidate.exists():
                return str(candidate)
        pytest.fail("set CITYTWIN_EXE to the built citytwin binary (ctest does)")
    return exe


@pytest.fixture(scope="session")
def city(tmp_path_factory):
    """Path of a ~1,000-link synthetic city snapshot (5 substations, 9 districts)."""
    exe = _citytwin_exe()
    d = tmp_path_factory.mktemp("city")
    subprocess.run([exe, "generate", "--links", "1000", "--seed", "3", "-o", str(d / "src")],
                   check=True, stdout=subprocess.DEVNULL)
    twin = d / "city.twin"
    subprocess.run([exe, "import", str(d / "src" / "manifest.toml"), "-o", str(twin)],
                   check=True, stdout=subprocess.DEVNULL)
    return twin


@pytest.fixture(scope="session")
def twin(city):
    import citytwin
    return citytwin.load(city)


@pytest.fixture(scope="session")
def baseline(twin):
    import citytwin
    return citytwin.run(twin, hours=[16, 17, 18], threads=2)


@pytest.fixture(scope="session")
def builtin_twin(tmp_path_factory):
    """The main job's built-in city (20,000 links, seed 1): the example scenarios name its assets."""
    import citytwin
    exe = _citytwin_exe()
    d = tmp_path_factory.mktemp("builtin")
    subprocess.run([exe, "generate", "--links", "20000", "--seed", "1", "-o", str(d / "src")],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([exe, "import", str(d / "src" / "manifest.toml"), "-o", str(d / "city.twin")],
                   check=True, stdout=subprocess.DEVNULL)
    return citytwin.load(d / "city.twin")
