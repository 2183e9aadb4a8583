"""Scenarios go to the engine as values: parameters are properties from the engine's field list,
checked when set, and no key or string can turn into another parameter."""
import math

import pytest

import citytwin

CRAFTED = "ev_share = 1\nu_trip"


def other_value(field):
    """A valid value other than the field's default (an end of its range, another spelling)."""
    kind, default = field["kind"], field["default"]
    if kind == "bool":
        return not default
    if kind == "enum":
        return next(c for c in field["choices"] if c != default)
    if kind == "integer":
        return int(field["max"]) if default != field["max"] else int(field["min"])
    # inside the range, an inexact binary fraction: the writer and reader keep every bit
    return field["min"] + (field["max"] - field["min"]) * 0.3141592653589793


def test_a_crafted_key_is_an_unknown_parameter():
    with pytest.raises(citytwin.InvalidInput, match="unknown parameter") as e:
        citytwin.Scenario("crafted", **{CRAFTED: 0.5})
    assert "crafted" in str(e.value)
    s = citytwin.Scenario("crafted")
    with pytest.raises(ValueError, match="unknown parameter"):
        s.set_parameter(CRAFTED, 0.5)
    assert s.ev_share == 0 and s.u_trip == 1.2


def test_crafted_keys_and_strings_elsewhere_stay_data(twin, tmp_path):
    # a key inside an outage: rejected by the reader as an unknown key, not read as [parameters]
    bad = citytwin.Scenario("outage", outages=[{"substation": 0, "from_hour = 3\n[parameters]\nev_share": 1}])
    with pytest.raises(ValueError, match="unknown key"):
        bad.resolve(twin)
    # a name that looks like TOML stays the name
    name = 'x"\n[parameters]\nev_share = 1\n#'
    s = citytwin.Scenario(name)
    path = tmp_path / "named.toml"
    path.write_text(s.to_toml())
    back = citytwin.Scenario.from_file(path, twin)
    assert back.name == name and back.ev_share == 0


def test_the_field_list_is_complete_and_documented():
    fields = citytwin.Scenario.parameter_fields()
    names = [f["name"] for f in fields]
    assert len(names) == len(set(names)) == len(citytwin.Scenario.defaults())
    assert set(names) == set(citytwin.Scenario.parameter_names())
    for f in fields:
        assert f["kind"] in ("real", "integer", "bool", "enum") and f["doc"], f
        assert citytwin.Scenario.defaults()[f["name"]] == f["default"]
    alg = next(f for f in fields if f["name"] == "assignment_algorithm")
    assert alg["default"] == "bush" and alg["choices"] == ["bush", "bfw", "cfw", "fw"]


def test_every_parameter_is_settable_and_round_trips(twin, tmp_path):
    s = citytwin.Scenario("all")
    expected = {}
    for f in citytwin.Scenario.parameter_fields():
        v = other_value(f)
        setattr(s, f["name"], v)
        assert getattr(s, f["name"]) == v, f["name"]
        expected[f["name"]] = v
    # the charging shares must still sum to 1
    s.share_home, s.share_work, s.share_public = 0.5, 0.3, 0.2
    expected.update(share_home=0.5, share_work=0.3, share_public=0.2)
    assert s.parameters == expected
    # resolved by the engine, through the TOML serialiser, and through save()
    assert s.resolve(twin).parameters == expected
    text_file = tmp_path / "all.toml"
    text_file.write_text(s.to_toml())
    assert citytwin.Scenario.from_file(text_file, twin).parameters == expected
    saved = tmp_path / "saved.toml"
    s.save(saved, twin)
    assert citytwin.Scenario.from_file(saved, twin).parameters == expected


def test_values_are_checked_when_set():
    s = citytwin.Scenario("checked")
    with pytest.raises(ValueError, match=r"'ev_share' = 5 is outside 0\.\.1"):
        s.ev_share = 5
    assert s.ev_share == 0
    with pytest.raises(ValueError, match="whole number"):
        s.feedback_loops = 1.5
    with pytest.raises(ValueError, match="true or false"):
        s.carry_over_unserved = 1
    with pytest.raises(ValueError, match="bush, bfw, cfw or fw"):
        s.assignment_algorithm = "dijkstra"
    with pytest.raises(ValueError, match="must be a number|takes a number"):
        s.u_trip = "high"
    with pytest.raises(ValueError, match="outside"):
        s.u_trip = math.nan
    s.assignment_algorithm = "bfw"
    s.max_coupling_rounds = 10
    assert (s.assignment_algorithm, s.max_coupling_rounds) == ("bfw", 10)
    assert "assignment_algorithm='bfw'" in repr(s)


def test_a_file_scenario_takes_parameter_changes(twin, tmp_path):
    path = tmp_path / "file.toml"
    path.write_text('name = "file"\n[parameters]\nev_share = 0.2\n\n[[outages]]\nbus = 1\nfrom_hour = 3\n')
    s = citytwin.Scenario.from_file(path, twin)
    assert s.to_toml() == path.read_text()  # unchanged: the file itself
    s.ev_share = 0.4
    assert s.resolve(twin).parameters["ev_share"] == 0.4
    assert s.resolve(twin).outages == [("bus", 1, 3, None)]
    again = tmp_path / "again.toml"
    again.write_text(s.to_toml())
    back = citytwin.Scenario.from_file(again, twin)
    assert back.ev_share == 0.4 and back.outages == [("bus", 1, 3, None)]
