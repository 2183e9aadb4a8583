function mpc = case_low_voltage_start
% Two buses, 300 MW load over x = 0.1 pu, started at the LOW-voltage root
% (Vm 0.2 pu, Va -40 deg): Newton converges there. The single solve and the
% batch (--load-factors) must both call this implausible (exit 4).
mpc.version = '2';
mpc.baseMVA = 100;
mpc.bus = [
	1	3	0	0	0	0	1	1	0	110	1	1.1	0.9;
	2	1	300	60	0	0	1	0.2	-40	110	1	1.1	0.9;
];
mpc.gen = [
	1	0	0	300	-300	1	100	1	1000	0	0	0	0	0	0	0	0	0	0	0	0;
];
mpc.branch = [
	1	2	0.01	0.1	0	0	0	0	0	0	1	-360	360;
];
