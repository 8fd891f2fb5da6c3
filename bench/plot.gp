# plot.gp: docs/bench.png from the data bench/report.py writes.
set terminal pngcairo size 1200,800 font "sans,10"
set output outfile
set multiplot layout 2,2 title "netfs against a direct socket and the usual tools (loopback)"
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.8
set grid ytics
set yrange [0:*]
set xtics rotate by -30
set key off
set title "bulk receive (GB/s, higher is better)"
plot datafile index 0 using 2:xtic(1) lc rgb "#4477aa"
set title "bulk send (GB/s, higher is better)"
plot datafile index 1 using 2:xtic(1) lc rgb "#66aa55"
set title "64-byte round trip (us, lower is better)"
plot datafile index 2 using 2:xtic(1) lc rgb "#cc6644"
set title "connect + close per second (higher is better)"
plot datafile index 3 using 2:xtic(1) lc rgb "#aa55aa"
unset multiplot
