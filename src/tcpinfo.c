/* tcpinfo.c: struct tcp_info as text (see tcpinfo.h). One table row per
 * field: its name as tcp(7) spells it without "tcpi_", its offset, size. */
#include "tcpinfo.h"

#include <linux/tcp.h>
#include <stdint.h>
#include <string.h>

#define F(f) { #f, offsetof(struct tcp_info, tcpi_##f), \
	       sizeof(((struct tcp_info *)0)->tcpi_##f) }

static const struct {
	const char *name;
	size_t off, size;
} fields[] = {
	F(state), F(ca_state), F(retransmits), F(probes), F(backoff),
	F(options), F(rto), F(ato), F(snd_mss), F(rcv_mss), F(unacked),
	F(sacked), F(lost), F(retrans), F(fackets), F(last_data_sent),
	F(last_ack_sent), F(last_data_recv), F(last_ack_recv), F(pmtu),
	F(rcv_ssthresh), F(rtt), F(rttvar), F(snd_ssthresh), F(snd_cwnd),
	F(advmss), F(reordering), F(rcv_rtt), F(rcv_space), F(total_retrans),
	F(pacing_rate), F(max_pacing_rate), F(bytes_acked),
	F(bytes_received), F(segs_out), F(segs_in), F(notsent_bytes),
	F(min_rtt), F(data_segs_in), F(data_segs_out), F(delivery_rate),
	F(busy_time), F(rwnd_limited), F(sndbuf_limited), F(delivered),
	F(delivered_ce), F(bytes_sent), F(bytes_retrans), F(dsack_dups),
	F(reord_seen), F(rcv_ooopack), F(snd_wnd),
};

int tcpinfo_format(const struct tcp_info *ti, size_t len, struct strbuf *sb)
{
	const unsigned char *p = (const unsigned char *)ti;
	size_t i;
	int r = 0;

	/* The window scales share a byte as two bitfields. */
	if (len > offsetof(struct tcp_info, tcpi_rto))
		r = sb_printf(sb, "snd_wscale %u\nrcv_wscale %u\n",
			      ti->tcpi_snd_wscale, ti->tcpi_rcv_wscale);
	for (i = 0; r == 0 && i < sizeof(fields) / sizeof(fields[0]); i++) {
		uint64_t v = 0;
		uint32_t v32;
		uint16_t v16;

		if (fields[i].off + fields[i].size > len)
			continue;
		switch (fields[i].size) {
		case 1:
			v = p[fields[i].off];
			break;
		case 2:
			memcpy(&v16, p + fields[i].off, 2);
			v = v16;
			break;
		case 4:
			memcpy(&v32, p + fields[i].off, 4);
			v = v32;
			break;
		default:
			memcpy(&v, p + fields[i].off, 8);
		}
		r = sb_printf(sb, "%s %llu\n", fields[i].name,
			      (unsigned long long)v);
	}
	return r;
}
