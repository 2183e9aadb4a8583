#pragma once
// Tiny hand-written TNTP networks with known answers, shared by the tests.
#include <string>

namespace citytwin::traffic::testing {

// Pigou-style: two parallel links from zone 1 to zone 2.
//   link 1: constant cost 2;  link 2: 1 + x^4.   Demand 3.
// Equilibrium: x2 = 1 (cost 2 = 2), x1 = 2; Beckmann = 2*2 + (1 + 1/5) = 5.2.
inline const std::string kPigouNet = R"(<NUMBER OF ZONES> 2
<NUMBER OF NODES> 2
<FIRST THRU NODE> 1
<NUMBER OF LINKS> 2
<END OF METADATA>

~ init term capacity length fft b power speed toll type ;
1 2 1 0 2 0 4 0 0 1 ;
1 2 1 0 1 1 4 0 0 1 ;
)";
inline const std::string kPigouTrips = R"(<NUMBER OF ZONES> 2
<TOTAL OD FLOW> 3.0
<END OF METADATA>

Origin 1
    2 : 3.0;
)";

// Braess with affine costs: s = zone 1, t = zone 2, a = 3, b = 4; demand 6.
//   s->a: 1 + 10x   a->t: 50 + x   s->b: 50 + x   b->t: 1 + 10x   a->b: 10 + x
// Path flows (s-a-t, s-b-t, s-a-b-t) = (27/13, 27/13, 24/13), all costing 1200/13.
inline const std::string kBraessNet = R"(<NUMBER OF ZONES> 2
<NUMBER OF NODES> 4
<FIRST THRU NODE> 3
<NUMBER OF LINKS> 5
<END OF METADATA>

~ init term capacity length fft b power speed toll type ;
1 3 1 0 1 10 1 0 0 1 ;
3 2 1 0 50 0.02 1 0 0 1 ;
1 4 1 0 50 0.02 1 0 0 1 ;
4 2 1 0 1 10 1 0 0 1 ;
3 4 1 0 10 0.1 1 0 0 1 ;
)";
inline const std::string kBraessTrips = R"(<NUMBER OF ZONES> 2
<TOTAL OD FLOW> 6
<END OF METADATA>
Origin 1
 2 : 6 ;
)";

}  // namespace citytwin::traffic::testing
