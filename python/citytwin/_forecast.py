"""citytwin.forecast: the rest of the day from today's counts and meter readings up to ``now``.

The method (core/forecast/forecast.hpp): the twin under ``scenario`` is the typical day; today's
observations before ``now`` give the traffic level per district (shrunk toward the citywide ratio
where a district has few count stations), each substation's load level and the EV share (the meter
residual the district load does not explain is EV charging); the coupled model runs the day so
changed. ``feeds="without_traffic"`` is the energy department alone, ``"without_grid"`` the
transport department alone.
"""
from __future__ import annotations

import os
from typing import Mapping, Optional, Union

import numpy as np

from . import _core
from . import Scenario, Twin

_FEEDS = ("shared", "without_traffic", "without_grid")


class Forecast:
    """A forecast day. Arrays are ``[hour, element]`` over hours 0..23; before ``now`` the
    metered substations and counted links hold the observed values.

    * ``substation_p_mw``, ``substation_low_mw``, ``substation_high_mw`` (float64, MW and band),
      ``substation_observed`` (bool), ``substation_utilisation`` (float32)
    * ``citywide_p_mw``, ``citywide_low_mw``, ``citywide_high_mw`` (1-D per hour)
    * ``substation_peak_hour`` / ``_mw`` / ``_low_mw`` / ``_high_mw`` (per substation, hours now..23),
      ``citywide_peak`` (dict: hour, mw, low_mw, high_mw)
    * ``link_flow``, ``link_speed_kph``, ``link_vc``, ``branch_loading_pct`` (float32), ``signal_dark`` (bool)
    * ``link_band_relative``: link flows' band is flow x (1 +- this) (NaN without counts)
    * ``adjustment`` (how today differs: ratios, levels, EV share), ``observations`` (what was
      used and ignored), ``alerts`` (list of dicts: kind, element, first_hour, hours, worst, reason)

    Bands are NaN where the department forecasting has no feed to measure them.
    """

    ARRAYS = (
        "link_flow", "link_speed_kph", "link_vc", "branch_loading_pct", "substation_utilisation", "signal_dark",
        "substation_p_mw", "substation_low_mw", "substation_high_mw", "substation_observed",
        "citywide_p_mw", "citywide_low_mw", "citywide_high_mw",
        "substation_peak_hour", "substation_peak_mw", "substation_peak_low_mw", "substation_peak_high_mw",
    )

    def __init__(self, raw: dict, twin: Twin):
        self.twin = twin
        self.feeds: str = raw["feeds"]
        self.now: int = raw["now"]
        self.date: str = raw["date"]
        self.hours = np.arange(24)
        for name in self.ARRAYS:
            a = raw[name]
            a.setflags(write=False)
            setattr(self, name, a)
        self.citywide_peak: dict = dict(raw["citywide_peak"])
        self.link_band_relative: float = raw["link_band_relative"]
        self.adjustment: dict = dict(raw["adjustment"])
        self.observations: dict = dict(raw["observations"])
        self.alerts: list = list(raw["alerts"])

    def __repr__(self) -> str:
        p = self.citywide_peak
        return (f"<citytwin.Forecast {self.date} from {self.now:02d}:00 ({self.feeds}): citywide peak "
                f"{p['mw']:.2f} MW at {p['hour']:02d}:00, EV share {self.adjustment['ev_share']:.3f}, "
                f"{len(self.alerts)} alerts>")


def _observations(value, kind: str):
    if value is None:
        return None
    if isinstance(value, Mapping):
        return {str(k): (v if k == "substation" else np.asarray(v)) for k, v in value.items()}
    if hasattr(value, "to_dict") and hasattr(value, "columns"):  # a pandas DataFrame
        return {str(c): (list(value[c]) if c == "substation" else value[c].to_numpy()) for c in value.columns}
    if isinstance(value, (str, os.PathLike)):
        return os.fspath(value)
    raise TypeError(f"{kind} must be a file path, a mapping of arrays or a DataFrame, got {type(value).__name__}")


def forecast(twin: Twin, counts=None, loads=None, now: int = 13, scenario: Union[Scenario, str, os.PathLike, None] = None,
             feeds: str = "shared", date: Optional[str] = None, band_z: float = 1.645, threads: int = 0) -> Forecast:
    """Forecast the rest of the day from today's observations before ``now`` (0..24).

    counts: a counts file (CSV / OGR / observation manifest, map-matched like ``citytwin forecast``),
        or arrays ``{"link": ..., "hour": ..., "vehicles": ...}`` already matched to twin links.
    loads: a meter file (``substation,time,p_mw``) or arrays ``{"substation": ids or names, "hour": ...,
        "p_mw": ...}``. Arrays are today's (no date); files use ``date`` or their latest date.
    scenario: the typical day (a ``Scenario``, a scenario file, or None for the baseline twin).
    feeds: "shared", "without_traffic" (energy department alone) or "without_grid" (transport alone).
    """
    if not isinstance(twin, Twin):
        raise TypeError(f"twin must be a citytwin.Twin (from citytwin.load), got {type(twin).__name__}")
    if feeds not in _FEEDS:
        raise ValueError(f"feeds must be one of {_FEEDS}, got {feeds!r}")
    if isinstance(now, bool) or not isinstance(now, (int, np.integer)) or not 0 <= int(now) <= 24:
        raise ValueError(f"now must be a whole hour 0..24 (the first hour not yet observed), got {now!r}")
    if scenario is not None and not isinstance(scenario, Scenario):
        scenario = Scenario.from_file(scenario, twin)
    resolved = scenario.resolve(twin) if scenario is not None else None
    if int(threads) < 0:
        raise ValueError("threads must be >= 0 (0 = all cores)")
    raw = _core.forecast(twin, resolved, _observations(counts, "counts"), _observations(loads, "loads"), int(now), feeds,
                         date, float(band_z), int(threads))
    return Forecast(raw, twin)
