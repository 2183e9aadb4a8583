"""citytwin for analysts: load a twin, run what-if scenarios, get hourly results as NumPy arrays.

    import citytwin
    twin = citytwin.load("city.twin")
    outage = citytwin.Scenario(name="C4 out at 17:00", outages=[("substation", "Substation C4", 17, 4)])
    base, what_if = citytwin.run(twin, hours=range(16, 20)), citytwin.run(twin, outage, hours=range(16, 20))
    extra_delay_h = what_if.district_delay_h - base.district_delay_h   # [hour, district]

Errors raised by the engine carry its message (file, line, layer, field): ``ValueError`` for bad
input (``citytwin.InvalidInput``), ``OSError`` for files that cannot be read (``citytwin.IoError``),
``RuntimeError`` otherwise (``citytwin.Error``). See python/README.md.
"""
from __future__ import annotations

import os
from typing import Callable, Iterable, Mapping, Optional, Sequence, Union

import numpy as np

from . import _core
from ._core import BackendUnavailable, Error, InvalidInput, IoError, NotConverged, Parameters, ResolvedScenario, Twin

__all__ = [
    "load", "run", "Scenario", "Parameters", "Results", "Twin", "ResolvedScenario", "ROAD_CLASS_NAMES",
    "Error", "InvalidInput", "IoError", "NotConverged", "BackendUnavailable",
]
__version__ = "0.1.0"

#: Road class names, indexed by ``Twin.link_class_code``.
ROAD_CLASS_NAMES: tuple = tuple(_core.road_class_names)

PathLike = Union[str, "os.PathLike[str]"]


def load(path: PathLike) -> Twin:
    """Read a ``.twin`` snapshot (written by ``citytwin import``)."""
    return _core.load(os.fspath(path))


def _link_class(self: Twin) -> np.ndarray:
    """Road class name of every link (``ROAD_CLASS_NAMES[link_class_code]``)."""
    return np.asarray(ROAD_CLASS_NAMES)[self.link_class_code]


Twin.link_class = property(_link_class)


# ----------------------------------------------------------------------------- scenarios

_ASSET_KINDS = ("substation", "bus", "branch")


class Scenario:
    """A what-if: changes relative to the baseline twin (the scenario-file format of
    datasets/scenarios/README.md, as Python values).

    ``Scenario(name=..., outages=[...], link_changes=[...], growth=[...], od_matrix=None, **parameters)``

    * parameters: any ``[parameters]`` key, e.g. ``ev_share=0.3``, ``battery_backup_hours=0``,
      ``u_trip=1.2``, ``demand_scale=1.1``, ``assignment_algorithm="bfw"``. Each is also a property
      (``scenario.ev_share = 0.4``), type and range checked when set (``ValueError`` naming the
      parameter and its range); ``Scenario.parameter_fields()`` lists them with unit, range,
      default and doc, generated from the engine's field list.
    * outages: ``(kind, asset, from_hour[, repair_hours])`` with kind ``"substation"`` (asset a name
      or an id), ``"bus"`` or ``"branch"`` (an id); repair_hours ``None`` (default) = not repaired that day.
      Dicts with the file's keys work too: ``{"substation": "Substation C4", "from_hour": 17}``.
    * link_changes: ``(link_ids, capacity_factor, from_hour, to_hour)`` or a dict with one of
      ``ids`` / ``box`` / ``polygon`` (WKT) and ``capacity_factor``, ``from_hour``, ``to_hour``.
    * growth: ``(district, population_factor, jobs_factor)`` (district ``"*"`` = all) or a dict.
    * od_matrix: a vehicle OD file (CSV ``origin,destination,hour,trips`` or TNTP trips) used
      instead of the districts' travel demand; ``feedback_loops=2`` feeds congested times back
      into the gravity model, ``carry_over_unserved=True`` moves queued vehicles to the next hour.

    Names and geometry are resolved against a twin when the scenario runs (``resolve(twin)``), by
    the same reader as the scenario files, so the same checks apply and errors are ``ValueError``.
    The scenario goes to the engine as values, never as text. ``Scenario.from_file(path, twin)``
    reads a scenario file; ``to_toml()`` gives one for the CLI and ``save(path, twin)`` writes one
    in the twin's ids (both by the engine's TOML serialiser).
    """

    def __init__(self, name: str = "scenario", *, outages: Iterable = (), link_changes: Iterable = (),
                 growth: Iterable = (), description: Optional[str] = None, od_matrix: Optional[str] = None,
                 **parameters):
        self.name = str(name)
        self.description = description
        # Absolute: the file the CLI runs may be written elsewhere.
        self.od_matrix = os.path.abspath(os.fspath(od_matrix)) if od_matrix is not None else None
        self._params = _core.Parameters()
        self._outages = [self._outage(o) for o in outages]
        self._link_changes = [self._link_change(c) for c in link_changes]
        self._growth = [self._growth_entry(g) for g in growth]
        self._path: Optional[str] = None
        self._file_params: Optional[dict] = None  # a file's own parameters, to know whether they changed
        self._cache: Optional[tuple] = None  # (twin, ResolvedScenario)
        for k, v in parameters.items():
            self.set_parameter(k, v)

    def set_parameter(self, name: str, value) -> None:
        """Set one parameter by its scenario-file key (``ValueError`` if unknown, mistyped or out of range)."""
        try:
            self._params.set(name, value)
        except InvalidInput as e:
            raise InvalidInput(f"Scenario {self.name!r}: {e}") from None
        self._cache = None

    # --- construction helpers
    @staticmethod
    def _outage(o) -> dict:
        if isinstance(o, Mapping):
            return dict(o)
        o = tuple(o)
        if not 3 <= len(o) <= 4:
            raise ValueError(f"an outage is (kind, asset, from_hour[, repair_hours]), got {o!r}")
        kind = str(o[0])
        if kind not in _ASSET_KINDS:
            raise ValueError(f"outage kind {kind!r} is not one of {', '.join(_ASSET_KINDS)}")
        d = {kind: o[1], "from_hour": o[2]}
        if len(o) == 4 and o[3] is not None:
            d["repair_hours"] = o[3]
        return d

    @staticmethod
    def _link_change(c) -> dict:
        if isinstance(c, Mapping):
            return dict(c)
        c = tuple(c)
        if not 1 <= len(c) <= 4:
            raise ValueError(f"a link change is (link_ids, capacity_factor, from_hour, to_hour), got {c!r}")
        d = {"ids": [int(i) for i in np.asarray(c[0]).ravel()]}
        for key, v in zip(("capacity_factor", "from_hour", "to_hour"), c[1:]):
            d[key] = v
        return d

    @staticmethod
    def _growth_entry(g) -> dict:
        if isinstance(g, Mapping):
            return dict(g)
        g = tuple(g)
        if not 2 <= len(g) <= 3:
            raise ValueError(f"a growth entry is (district, population_factor[, jobs_factor]), got {g!r}")
        d = {"district": g[0], "population": g[1]}
        if len(g) == 3:
            d["jobs"] = g[2]
        return d

    @classmethod
    def from_file(cls, path: PathLike, twin: Twin) -> "Scenario":
        """Read a scenario file (TOML), resolved against ``twin``; errors name the file and line."""
        path = os.fspath(path)
        resolved = _core.load_scenario(path, twin)
        s = cls(resolved.name)
        s._path = path
        s._params = resolved.parameter_values
        s._file_params = s._params.as_dict()
        s._cache = (twin, resolved)
        return s

    @staticmethod
    def parameter_fields() -> list:
        """Every parameter: dicts with name, kind (real, integer, bool, enum), unit, min, max,
        default, doc and choices (enum spellings), from the engine's field list."""
        return _core.parameter_fields()

    @staticmethod
    def parameter_names() -> list:
        return sorted(_core.baseline_parameters())

    @staticmethod
    def defaults() -> dict:
        """The model's default parameters (COUPLING.md)."""
        return dict(_core.baseline_parameters())

    # --- TOML
    def _parts(self) -> tuple:
        return (self.name, self.description, self.od_matrix, self._params, list(self._outages), list(self._link_changes),
                list(self._growth))

    def to_toml(self) -> str:
        """The scenario as a scenario file (for ``citytwin run city.twin FILE``)."""
        if self._path is not None:
            if self._params.as_dict() == self._file_params:
                with open(self._path, encoding="utf-8") as f:
                    return f.read()
            return _core.file_toml_with_parameters(self._path, self._params)
        return _core.scenario_toml(*self._parts())

    def save(self, path: PathLike, twin: Twin) -> None:
        """Write the scenario, resolved against ``twin``, as a scenario file (atomically; ids and names of ``twin``)."""
        self.resolve(twin).save(os.fspath(path))

    # --- resolution
    def resolve(self, twin: Twin) -> ResolvedScenario:
        """Names, boxes and polygons turned into ``twin``'s ids, values range-checked (ValueError)."""
        if self._cache is not None and self._cache[0] is twin:
            return self._cache[1]
        label = f"Scenario {self.name!r}"
        if self._path is not None:
            resolved = _core.with_parameters(_core.load_scenario(self._path, twin), self._params, label)
        else:
            resolved = _core.resolve_scenario(*self._parts(), twin, label)
        self._cache = (twin, resolved)
        return resolved

    def _resolved_view(self) -> Optional[ResolvedScenario]:
        return self._cache[1] if self._cache is not None else None

    @property
    def parameters(self) -> dict:
        """Every model parameter with the value this scenario uses (defaults filled in)."""
        return self._params.as_dict()

    @property
    def outages(self) -> list:
        """Resolved: ``(kind, id, from_hour, repair_hours or None)``; else as given."""
        r = self._resolved_view()
        return r.outages if r is not None else list(self._outages)

    def __repr__(self) -> str:
        src = f" from {self._path}" if self._path else ""
        changed = ", ".join(f"{k}={v!r}" for k, v in self._params.changed().items())
        return (f"<citytwin.Scenario {self.name!r}{src}" + (f" {changed}" if changed else "")
                + f", {len(self.outages)} outages>")


def _parameter_property(field: dict) -> property:
    name = field["name"]

    def get(self):
        return self._params.get(name)

    def set_(self, value):
        self.set_parameter(name, value)

    unit = f" [{field['unit']}]" if field["unit"] else ""
    if field["kind"] == "bool":
        allowed = "True or False"
    elif field["choices"]:
        allowed = ", ".join(field["choices"])
    else:
        allowed = f"{field['min']:g}..{field['max']:g}"
    return property(get, set_, doc=f"{field['doc']}{unit}; {allowed}; default {field['default']!r}")


# One property per parameter of the engine's field list: scenario.ev_share, scenario.u_trip, ...
for _field in _core.parameter_fields():
    setattr(Scenario, _field["name"], _parameter_property(_field))
del _field


# ----------------------------------------------------------------------------- results

class Results:
    """Hourly results of one run. Per-element arrays are 2-D, ``[hour, element]`` (row i is
    ``hours[i]``): float32 values, bool flags (``bus_energised``, ``substation_failed``,
    ``signal_dark``). ``totals`` maps each citywide total to a 1-D array per hour."""

    #: element arrays: name -> the twin's element they index
    FIELDS = {
        "link_flow": "link", "link_time_s": "link", "link_vc": "link", "link_speed_kph": "link",
        "link_capacity_factor": "link",
        "bus_load_mw": "bus", "bus_energised": "bus",
        "branch_loading_pct": "branch",
        "substation_load_mva": "substation", "substation_utilisation": "substation", "substation_failed": "substation",
        "signal_dark": "signal",
        "district_vkt": "district", "district_vht": "district", "district_delay_h": "district",
        "district_unserved_mwh": "district", "district_ev_mwh": "district", "district_load_mw": "district",
    }

    def __init__(self, raw: dict, twin: Twin, scenario: Optional[Scenario]):
        self.scenario_name: str = raw["scenario"]
        self.scenario = scenario
        self.twin = twin
        self.hours: list = list(raw["hours"])
        self.totals: dict = dict(raw["totals"])
        self.phase_seconds: dict = dict(raw["phase_seconds"])
        for name in self.FIELDS:
            setattr(self, name, raw["arrays"][name])
        # annotations for type checkers
        self.link_flow: np.ndarray
        self.bus_energised: np.ndarray

    def hour_index(self, hour: int) -> int:
        """Row of ``hour`` in the 2-D arrays."""
        try:
            return self.hours.index(hour)
        except ValueError:
            raise KeyError(f"hour {hour} was not simulated (hours: {self.hours})") from None

    def arrays(self) -> dict:
        """All per-element arrays by name."""
        return {name: getattr(self, name) for name in self.FIELDS}

    def __repr__(self) -> str:
        t = self.totals
        return (f"<citytwin.Results {self.scenario_name!r} hours {self.hours[0] if self.hours else '-'}"
                f"..{self.hours[-1] if self.hours else '-'}: {float(np.sum(t['vehicle_hours'])):.1f} vehicle-h, "
                f"{float(np.sum(t['unserved_energy_mwh'])):.2f} MWh unserved>")


def _hours_list(hours) -> list:
    if hours is None:
        return list(range(24))
    if isinstance(hours, (int, np.integer)):
        hours = [hours]
    out = []
    for h in hours:
        if isinstance(h, bool) or not isinstance(h, (int, np.integer)) or not 0 <= int(h) <= 23:
            raise ValueError(f"hours must be whole hours 0..23, got {h!r}")
        out.append(int(h))
    if not out:
        raise ValueError("no hours given")
    return sorted(set(out))


def run(twin: Twin, scenario: Union[Scenario, PathLike, None] = None, hours: Union[Iterable[int], int, None] = range(24),
        threads: int = 0, progress: Optional[Callable[[int, int, int, int], None]] = None) -> Results:
    """Run the coupled hourly simulation (traffic <-> grid fixed point per hour).

    scenario: a ``Scenario``, a scenario file path, or None for the baseline.
    hours: the hours to simulate, 0..23 (run in ascending order; EV charging and repairs carry over).
    threads: worker threads (0 = all cores). The GIL is released while the engine runs.
    progress: optional ``f(hour, hours_done, hours_total, coupling_round)``, called every coupling round.
    """
    if not isinstance(twin, Twin):
        raise TypeError(f"twin must be a citytwin.Twin (from citytwin.load), got {type(twin).__name__}")
    if scenario is not None and not isinstance(scenario, Scenario):
        scenario = Scenario.from_file(scenario, twin)
    threads = int(threads)
    if threads < 0:
        raise ValueError("threads must be >= 0 (0 = all cores)")
    resolved = scenario.resolve(twin) if scenario is not None else None
    raw = _core.run(twin, resolved, _hours_list(hours), threads, progress)
    return Results(raw, twin, scenario)


# ----------------------------------------------------------------------------- calibration

def _columns(table, names: Sequence[str], optional: Sequence[str] = ()) -> dict:
    """A pandas DataFrame, a dict of columns or a NumPy structured array as {name: column}."""
    if table is None:
        return None
    out = {}
    for name in list(names) + list(optional):
        try:
            col = table[name]
        except (KeyError, ValueError, IndexError):
            if name in optional:
                continue
            raise ValueError(f"missing column {name!r}") from None
        values = np.asarray(col)
        if name == "time" and np.issubdtype(values.dtype, np.datetime64):
            values = np.datetime_as_string(values.astype("datetime64[m]"), unit="m")
        out[name] = values if values.dtype.kind in "fiub" else [str(v) for v in values]
    return out


def calibrate(twin: Union[Twin, PathLike], out: PathLike, counts=None, loads=None, scenario: Union[Scenario, PathLike, None] = None,
              holdout_share: float = 0.2, seed: int = 1, day_type: str = "weekday", report: Optional[PathLike] = None,
              threads: int = 0) -> tuple:
    """Calibrate the twin to the city's measurements, as ``citytwin calibrate`` does; returns
    ``(calibrated_twin, report)``.

    counts: traffic counts with columns ``station, lon, lat, time, vehicles`` and optionally
        ``bearing`` (degrees clockwise from north, NaN = none): a pandas DataFrame, a dict of
        NumPy arrays / lists, or a structured array. lon/lat in WGS 84; time an ISO 8601 hour
        start (``"2026-03-02T08:00"``) or datetime64.
    loads: substation meter readings with columns ``substation`` (name or 0-based id), ``time``, ``p_mw``.
    scenario: the scenario the twin is calibrated under (run the calibrated twin with it); None = baseline.
    holdout_share: share of the matched count stations kept out of calibration and only scored, in [0, 1).
    out: where the calibrated ``.twin`` is written (atomically); report: optional JSON file of the report.
    report (returned): a dict, the same as ``citytwin calibrate --json``: fit before/after on the
    counts used and held out, per substation its factors, MAPE and daily-peak error.
    Bad observations raise ValueError naming the table, row and column.
    """
    twin_path = twin.path if isinstance(twin, Twin) else os.fspath(twin)
    if not 0 <= float(holdout_share) < 1:
        raise ValueError(f"holdout_share must be in [0, 1), got {holdout_share!r}")
    scenario_path = ""
    tmp = None
    try:
        if isinstance(scenario, Scenario):
            import tempfile
            fd, tmp = tempfile.mkstemp(suffix=".toml", prefix="citytwin_scenario_")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(scenario.to_toml())
            scenario_path = tmp
        elif scenario is not None:
            scenario_path = os.fspath(scenario)
        try:
            c = _columns(counts, ("station", "lon", "lat", "time", "vehicles"), ("bearing",))
            l = _columns(loads, ("substation", "time", "p_mw"))
        except ValueError as e:
            raise InvalidInput(str(e)) from None
        result = _core.calibrate(twin_path, os.fspath(out), c, l, scenario_path, float(holdout_share), int(seed), str(day_type),
                                 os.fspath(report) if report is not None else "", int(threads))
    finally:
        if tmp is not None:
            os.unlink(tmp)
    return load(out), result


__all__.append("calibrate")
# ----------------------------------------------------------------------------- pandas / GeoPandas frames
# Twin.frame(layer) and Results.frame(layer): the columns of the same layer or hourly table of a
# results GeoPackage (one description of each, in the engine), as a pandas DataFrame, or a GeoPandas
# GeoDataFrame in the twin's CRS with geometry=True. Every column arrives as one NumPy array that
# owns its data (text columns as a list of str); pandas copies it once into the frame, no Python
# object is made per row except for text and, on shapely < 2, for geometry.

#: Names a frame also answers to, as analysts say them.
_LAYER_ALIASES = {"links": "roads", "nodes": "road_nodes", "chargers": "ev_chargers"}


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError("citytwin frames need pandas (pip install pandas; Debian: python3-pandas)") from None
    return pandas


def _geopandas():
    try:
        import geopandas
    except ImportError:
        raise ImportError("citytwin frames with geometry need geopandas (pip install geopandas; Debian: python3-geopandas)") from None
    return geopandas


def _column(pd, kind: str, values, mask):
    """A pandas-ready column: nullable integers where the engine has NULLs, strings as object."""
    if mask is not None and kind in ("int", "int64"):
        return pd.arrays.IntegerArray(values, mask, copy=False)
    if kind == "text":
        return np.asarray(values, dtype=object)
    return values


def _shapes(twin: Twin, layer: str):
    """The layer's geometries (a NumPy object array) from the engine's flat GeoArrow-layout arrays."""
    import shapely
    g = _core.layer_geometry(twin, layer)
    coords = np.column_stack((g["x"], g["y"]))
    offsets = tuple(g["offsets"])
    if hasattr(shapely, "from_ragged_array"):  # shapely >= 2: vectorised, no Python object per part
        kind = {"point": shapely.GeometryType.POINT, "linestring": shapely.GeometryType.LINESTRING,
                "multipolygon": shapely.GeometryType.MULTIPOLYGON}[g["type"]]
        return shapely.from_ragged_array(kind, coords, offsets or None)
    from shapely.geometry import LineString, MultiPolygon, Point, Polygon  # shapely 1.8 (Debian 12)
    out = np.empty(len(coords) if g["type"] == "point" else len(offsets[-1]) - 1, dtype=object)
    if g["type"] == "point":
        for i, (x, y) in enumerate(coords):
            out[i] = Point(x, y)
    elif g["type"] == "linestring":
        (c,) = offsets
        for i in range(len(out)):
            out[i] = LineString(coords[c[i]:c[i + 1]])
    else:
        rings, polys, feats = offsets
        for i in range(len(out)):
            parts = []
            for p in range(feats[i], feats[i + 1]):
                rs = [coords[rings[r]:rings[r + 1]] for r in range(polys[p], polys[p + 1])]
                parts.append(Polygon(rs[0], rs[1:]))
            out[i] = MultiPolygon(parts)
    return out


def _crs(twin: Twin):
    return twin.crs_wkt or twin.crs


def twin_frame(twin: Twin, layer: str, geometry: bool = False):
    """One of the twin's layers as a pandas DataFrame indexed by its element id (``link_id``, ...),
    with the columns of that layer in a results GeoPackage (``citytwin run -o``), or of
    ``citytwin export`` for the layers only it has (``road_nodes``, ``grid_buses``,
    ``grid_branches``, ``ev_chargers``). ``geometry=True``: a GeoPandas GeoDataFrame in the twin's
    CRS. Layers: ``Twin.frame_layers``; ``"links"``, ``"nodes"`` and ``"chargers"`` are aliases."""
    pd = _pandas()
    layer = _LAYER_ALIASES.get(layer, layer)
    raw = _core.layer_columns(twin, layer)
    data = {name: _column(pd, kind, values, mask) for name, kind, values, mask in raw["columns"]}
    index = pd.Index(raw["ids"], name=raw["id"])
    if not geometry:
        return pd.DataFrame(data, index=index)
    gpd = _geopandas()
    if raw["geometry"] == "none":
        raise ValueError(f"the twin layer {layer!r} has no geometry")
    return gpd.GeoDataFrame(data, index=index, geometry=_shapes(twin, layer), crs=_crs(twin))


def _frame_layers(self: Twin) -> tuple:
    """The layers ``Twin.frame`` takes."""
    return tuple(_core.frame_layers(self))


Twin.frame = twin_frame
Twin.geoframe = lambda self, layer: twin_frame(self, layer, geometry=True)
Twin.geoframe.__doc__ = "``frame(layer, geometry=True)``: a GeoPandas GeoDataFrame in the twin's CRS."
Twin.frame_layers = property(_frame_layers)


def _results_frame(self: Results, layer: str, geometry: bool = False):
    """One hourly results table as a pandas DataFrame: a row per element and hour (hour-major, as
    ``<layer>_hourly_data`` in the results GeoPackage), the element id and ``hour`` columns, then the
    table's values (float32 as simulated, flags as 0/1 integers). ``"hours"`` gives the citywide
    totals, one row per hour. ``geometry=True``: a GeoDataFrame with each element's geometry.
    Tables: ``Results.frame_tables``; ``"links"`` is an alias of ``"roads"``."""
    pd = _pandas()
    if layer == "hours":
        if geometry:
            raise ValueError("the hours table has no geometry")
        totals = dict(self.totals)
        return pd.DataFrame({"hour": np.asarray(self.hours, dtype=np.int64), **{k: v for k, v in totals.items() if k != "hour"}})
    layer = _LAYER_ALIASES.get(layer, layer)
    raw = _core.hourly_columns(self.twin, layer, self.arrays())
    n, hours = raw["count"], np.asarray(self.hours, dtype=np.int64)
    data = {raw["id"]: np.tile(np.arange(n, dtype=np.int64), len(hours)), "hour": np.repeat(hours, n)}
    for name, kind, values, _ in raw["columns"]:
        data[name] = values.view(np.uint8).astype(np.int32) if values.dtype == np.bool_ else values
    if not geometry:
        return pd.DataFrame(data)
    gpd = _geopandas()
    shapes = _shapes(self.twin, layer)
    return gpd.GeoDataFrame(data, geometry=shapes[data[raw["id"]]], crs=_crs(self.twin))


Results.frame = _results_frame
Results.geoframe = lambda self, layer: _results_frame(self, layer, geometry=True)
Results.frame_tables = ("hours",) + tuple(_core.hourly_tables())
__all__ += ["twin_frame"]
from ._forecast import Forecast, forecast  # noqa: E402  (issue 15; needs Scenario above)
__all__ += ["forecast", "Forecast"]


# ----------------------------------------------------------------------------- skims

def _results_skims(self: Results, hours: Union[Iterable[int], int, None] = None, value_of_time_per_h: Optional[float] = None,
                   cost_per_km: Optional[float] = None) -> dict:
    """Zone-to-zone skims of simulated hours (the same as ``citytwin run --skims``): a dict with
    ``hours``, ``zone`` (zone numbers 1..Z, district order) and ``time_min``, ``distance_km``,
    ``cost`` as float64 ``[hour, origin, destination]`` arrays over the shortest paths of each
    hour's congested link times (``inf`` where no path, 0 on the diagonal).
    cost = value_of_time_per_h * hours + cost_per_km * km + toll; both default to the run's
    scenario keys ``skim_value_of_time_per_h`` and ``skim_cost_per_km``."""
    chosen = list(self.hours) if hours is None else _hours_list(hours)
    rows = [self.hour_index(h) for h in chosen]
    params = self.scenario.parameters if self.scenario is not None else _core.baseline_parameters()
    vot = params["skim_value_of_time_per_h"] if value_of_time_per_h is None else float(value_of_time_per_h)
    per_km = params["skim_cost_per_km"] if cost_per_km is None else float(cost_per_km)
    out = _core.skims(self.twin, self.link_time_s[rows], self.link_capacity_factor[rows], vot, per_km)
    out["hours"] = chosen
    return out


Results.skims = _results_skims
