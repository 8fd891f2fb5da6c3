#!/usr/bin/perl
# http-get.pl HOST PORT [PATH]: an HTTP/1.0 GET through netfs with plain
# open, print and read; writes the body to stdout. NETFS_DIR is the mount
# point (/net).
use strict;
use warnings;

my $net = $ENV{NETFS_DIR} // "/net";
my ($host, $port, $path) = (@ARGV, "/")[0, 1, 2];

# A /net/ctl session: the reply line is read back from the same file.
open(my $ctl, "+<", "$net/ctl") or die "$net/ctl: $!\n";
syswrite($ctl, "connect $host!$port\n") or die "connect: $!\n";
my ($name, $c) = ("", "");
while (sysread($ctl, $c, 1) == 1 && $c ne "\n") { $name .= $c }
close($ctl);

open(my $out, ">", "$net/$name/data") or die "data: $!\n";
syswrite($out, "GET $path HTTP/1.0\r\nHost: $host\r\n\r\n");
close($out);

open(my $in, "<:raw", "$net/$name/data") or die "data: $!\n";
my $response = "";
while (sysread($in, my $buf, 65536)) { $response .= $buf }
close($in);

open(my $sockctl, ">", "$net/$name/ctl") or die "ctl: $!\n";
print $sockctl "close\n";
close($sockctl);
binmode(STDOUT);
print substr($response, index($response, "\r\n\r\n") + 4);
