#include "core/model/road_graph_builder.hpp"
