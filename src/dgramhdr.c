/* dgramhdr.c: the "ADDRESS\n" header line of sendto and recvfrom (see
 * dgramhdr.h). The address itself is addr.c's grammar; this file only
 * finds the line and says what is wrong with it. */
#include "dgramhdr.h"

#include <errno.h>
#include <string.h>

#include "errors.h"

int dgram_parse_hdr(const char *p, size_t n, int family, struct addrspec *a,
		    size_t *hdrlen, int *empty)
{
	size_t look = n < DGRAM_HDR_MAX ? n : DGRAM_HDR_MAX, ln;
	const char *nl = memchr(p, '\n', look);
	char q[QUOTE_MAX];

	memset(a, 0, sizeof(*a));
	*empty = 0;
	*hdrlen = 0;
	if (!nl)
		return errf(EINVAL, "sendto: a write is 'ADDRESS\\n' then the "
			    "datagram, and '%s' has no newline in its first "
			    "%d bytes", err_quote(p, look, q), DGRAM_HDR_MAX);
	*hdrlen = (size_t)(nl - p) + 1;
	ln = (size_t)(nl - p);
	if (ln && p[ln - 1] == '\r')
		ln--;
	if (memchr(p, '\0', ln))
		return errf(EINVAL, "sendto: NUL byte in the address line "
			    "'%s'", err_quote(p, ln, q));
	if (ln == 0) {
		*empty = 1;
		return 0;
	}
	return addr_parse_text(p, ln, family, a);
}

int dgram_format_hdr(const struct sockaddr *sa, socklen_t len,
		     struct strbuf *sb)
{
	int r = addr_format(sa, len, sb);

	return r ? r : sb_append(sb, "\n", 1);
}
