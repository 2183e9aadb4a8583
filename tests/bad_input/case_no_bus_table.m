function mpc = broken
mpc.baseMVA = 100;
