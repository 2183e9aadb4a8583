#include "core/demand/parameter_fields.hpp"

namespace citytwin::demand {

namespace {
using K = FieldKind;
}

const FieldList<DemandParameters>& demand_parameter_fields() {
  // hbw_per_job sits in the nested TripRates.
  static const FieldList<DemandParameters> list = [] {
    const auto rates = lift(FieldList<TripRates>{member_field({"hbw_per_job", K::Real, "trips/job", 0, 10, "work-trip attractions per job"},
                                                              &TripRates::hbw_per_job)},
                            &DemandParameters::rates);
    return FieldList<DemandParameters>{
        member_field({"demand_scale", K::Real, "", 0, 100, "all person trips (or a given OD matrix) times this"},
                     &DemandParameters::demand_scale),
        rates[0],
        member_field({"feedback_loops", K::Integer, "", 0, 3,
                      "outer loops feeding congested peak-hour times back into the gravity model (COUPLING.md: at most 3)"},
                     &DemandParameters::feedback_loops),
    };
  }();
  return list;
}

const FieldList<LoadParameters>& load_parameter_fields() {
  static const FieldList<LoadParameters> list = {
      member_field({"residential_kwh_per_household", K::Real, "kWh/year", 0, 1e6, "annual household consumption"},
                   &LoadParameters::residential_kwh_per_household),
      member_field({"commercial_kwh_per_job", K::Real, "kWh/year", 0, 1e7, "annual consumption per job"},
                   &LoadParameters::commercial_kwh_per_job),
      member_field({"day_of_year", K::Integer, "day", 1, 365, "day of the year, for the BDEW household dynamisation F(t)"},
                   &LoadParameters::day_of_year),
      member_field({"signal_kw", K::Real, "kW", 0, 100, "load of a signalised junction"}, &LoadParameters::signal_kw),
  };
  return list;
}

}  // namespace citytwin::demand
