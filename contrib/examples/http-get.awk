#!/usr/bin/awk -f
# http-get.awk -v host=HOST -v port=PORT [-v path=PATH]: an HTTP/1.0 GET
# with awk's own file I/O on netfs, through the Plan 9 view: reading
# tcp/clone makes a conversation (it lives while awk holds clone open)
# and gives its number. Prints the body. -v net= is the mount point.
BEGIN {
	if (net == "") net = "/net"
	if (path == "") path = "/"
	getline n < (net "/tcp/clone")
	conv = net "/tcp/" n
	print "connect " host "!" port > (conv "/ctl")
	close(conv "/ctl")
	printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path, host > (conv "/data")
	close(conv "/data")
	RS = "\001"			# read the response as one record
	response = ""
	while ((getline part < (conv "/data")) > 0)
		response = response part
	printf "%s", substr(response, index(response, "\r\n\r\n") + 4)
	close(net "/tcp/clone")		# the conversation closes with it
}
