/* test_procsig.c: the signal masks of /proc/TID/status (procsig.c): a
 * real status text, the masks that make a waiting signal and those that
 * do not, and the reasons a text is refused. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "errors.h"
#include "procsig.h"

#define S(s) s, sizeof(s) - 1

static const char status[] =
	"Name:\tcat\n"
	"State:\tD (disk sleep)\n"
	"Tgid:\t4242\n"
	"SigQ:\t1/95538\n"
	"SigPnd:\t0000000000000100\n"
	"ShdPnd:\t0000000000004000\n"
	"SigBlk:\t0000000000010000\n"
	"SigIgn:\t0000000000000000\n"
	"SigCgt:\t0000000000000000\n"
	"Cpus_allowed_list:\t0-1\n";

static void real_text(void **state)
{
	struct procsig ps;

	(void)state;
	assert_int_equal(procsig_parse(S(status), &ps), 0);
	assert_int_equal(ps.pending, 1u << (SIGKILL - 1));
	assert_int_equal(ps.shared, 1u << (SIGTERM - 1));
	assert_int_equal(ps.blocked, 1u << (SIGCHLD - 1));
	assert_true(procsig_waiting(&ps));
}

static void waiting(void **state)
{
	struct procsig ps = { 0 };

	(void)state;
	assert_false(procsig_waiting(&ps));
	ps.shared = 1u << (SIGINT - 1);
	assert_true(procsig_waiting(&ps));
	ps.blocked = ps.shared;		/* blocked: does not wake the wait */
	assert_false(procsig_waiting(&ps));
	ps.pending = 1ull << 63;	/* a real-time signal, thread's own */
	assert_true(procsig_waiting(&ps));
}

/* This process's own status parses, and says that nothing is waiting;
 * after raising a blocked SIGUSR1 it is pending but still not waiting. */
static void own_status(void **state)
{
	char buf[8192];
	struct procsig ps;
	sigset_t set, old;
	FILE *f;
	size_t n;

	(void)state;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	f = fopen("/proc/thread-self/status", "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(procsig_parse(buf, n, &ps), 0);
	assert_true((ps.pending | ps.shared) & 1u << (SIGUSR1 - 1));
	assert_true(ps.blocked & 1u << (SIGUSR1 - 1));
	assert_false(procsig_waiting(&ps));
	signal(SIGUSR1, SIG_IGN);	/* discards the pending one */
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
}

static void refuse(const char *text, size_t n, const char *detail)
{
	struct procsig ps;

	err_clear();
	assert_int_equal(procsig_parse(text, n, &ps), -EINVAL);
	assert_non_null(strstr(err_detail(), detail));
}

static void refused(void **state)
{
	(void)state;
	refuse(S(""), "no SigPnd line");
	refuse(S("SigPnd:\t0\nShdPnd:\t0\n"), "no SigBlk line");
	refuse(S("SigPnd:\t0\nShdPnd:\t0\nSigBlk:\t0\nSigPnd:\t1\n"),
	       "SigPnd given twice");
	refuse(S("SigPnd:\t00000000000000001\nShdPnd:\t0\nSigBlk:\t0\n"),
	       "SigPnd: '00000000000000001' is not a mask");
	refuse(S("SigPnd:\t\nShdPnd:\t0\nSigBlk:\t0\n"), "SigPnd: '' is");
	refuse(S("SigPnd:\t12g\nShdPnd:\t0\nSigBlk:\t0\n"), "SigPnd: '12g' is");
	refuse(S("SigPnd:\t0\nShdPnd:\t0 1\nSigBlk:\t0\n"), "ShdPnd");
	refuse(S("SigPnd:\t0\nShdPnd:\t0\nSigBlk:\t0\0\n"), "SigBlk");
}

/* Lines that only begin like a mask are other lines; CRLF and a last
 * line without a newline are lines too. */
static void lookalikes(void **state)
{
	struct procsig ps;

	(void)state;
	assert_int_equal(procsig_parse(S("SigPndX:\tzz\nSigPnd\n"
					 "SigPnd:\tA\r\nShdPnd: \t f\n"
					 "SigBlk:\t0"), &ps), 0);
	assert_int_equal(ps.pending, 10);
	assert_int_equal(ps.shared, 15);
	assert_int_equal(ps.blocked, 0);
	assert_int_equal(procsig_parse(S("SigPnd:\tffffffffffffffff\n"
					 "ShdPnd:\t0\nSigBlk:\tFFFFFFFFFFFFFFFF\n"),
				       &ps), 0);
	assert_false(procsig_waiting(&ps));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_text),
		cmocka_unit_test(waiting),
		cmocka_unit_test(own_status),
		cmocka_unit_test(refused),
		cmocka_unit_test(lookalikes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
