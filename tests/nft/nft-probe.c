/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Traffic for the nft integration tests (no nc, socat or python needed):
 *
 *   nft-probe serve PORT SECONDS COUNTFILE
 *	accept TCP connections on every address (IPv4 and IPv6) and count
 *	the UDP datagrams that reach PORT; when SECONDS have passed, or on
 *	SIGTERM, write "udp N tcp M" to COUNTFILE and exit 0
 *   nft-probe connect ADDR PORT TIMEOUT_MS
 *	one TCP connection: exit 0 when it is established, 1 otherwise (the
 *	reason on stderr)
 *   nft-probe udp ADDR PORT SECONDS
 *	send UDP datagrams to ADDR PORT as fast as the socket takes them,
 *	for SECONDS; print how many were sent
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t probe_stop;

static void probe_on_term(int sig)
{
	probe_stop = 1;
}

static double probe_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int probe_addr(const char *a, unsigned port,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, a, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		*len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, a, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*s6);
		return 0;
	}
	fprintf(stderr, "nft-probe: '%s' is not an address\n", a);
	return -EINVAL;
}

/* One dual-stack socket of `type` bound to [::]:port. */
static int probe_bind(int type, unsigned port)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	int fd = socket(AF_INET6, type | SOCK_CLOEXEC, 0), one = 1, zero = 0;

	if (fd < 0)
		return -1;
	s6.sin6_port = htons((uint16_t)port);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, (struct sockaddr *)&s6, sizeof(s6)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 64) < 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int probe_serve(unsigned port, double secs, const char *countfile)
{
	struct sigaction sa = { .sa_handler = probe_on_term };
	unsigned long udp = 0, tcp = 0;
	struct pollfd p[2];
	double end = probe_now() + secs;
	char buf[2048];
	FILE *f;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	p[0].fd = probe_bind(SOCK_STREAM, port);
	p[1].fd = probe_bind(SOCK_DGRAM, port);
	if (p[0].fd < 0 || p[1].fd < 0) {
		perror("nft-probe: bind");
		return 2;
	}
	p[0].events = p[1].events = POLLIN;
	/* ready: the test waits for this line */
	printf("listening %u\n", port);
	fflush(stdout);
	while (!probe_stop && probe_now() < end) {
		int n = poll(p, 2, 100);

		if (n <= 0)
			continue;
		if (p[0].revents & POLLIN) {
			int c = accept(p[0].fd, NULL, NULL);

			if (c >= 0) {
				tcp++;
				close(c);
			}
		}
		while (p[1].revents & POLLIN) {
			if (recv(p[1].fd, buf, sizeof(buf), MSG_DONTWAIT) < 0)
				break;
			udp++;
		}
	}
	f = fopen(countfile, "w");
	if (!f) {
		perror("nft-probe: count file");
		return 2;
	}
	fprintf(f, "udp %lu tcp %lu\n", udp, tcp);
	return fclose(f) ? 2 : 0;
}

static int probe_connect(const char *a, unsigned port, int timeout_ms)
{
	struct sockaddr_storage ss;
	struct pollfd p;
	socklen_t len;
	int fd, err = 0;
	socklen_t el = sizeof(err);

	if (probe_addr(a, port, &ss, &len))
		return 2;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0) {
		perror("nft-probe: socket");
		return 2;
	}
	if (connect(fd, (struct sockaddr *)&ss, len) == 0)
		goto ok;
	if (errno != EINPROGRESS) {
		fprintf(stderr, "nft-probe: connect %s:%u: %s\n", a, port,
			strerror(errno));
		close(fd);
		return 1;
	}
	p.fd = fd;
	p.events = POLLOUT;
	if (poll(&p, 1, timeout_ms) != 1) {
		fprintf(stderr, "nft-probe: connect %s:%u: timed out\n", a,
			port);
		close(fd);
		return 1;
	}
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
	if (err) {
		fprintf(stderr, "nft-probe: connect %s:%u: %s\n", a, port,
			strerror(err));
		close(fd);
		return 1;
	}
ok:
	close(fd);
	return 0;
}

static int probe_udp(const char *a, unsigned port, double secs)
{
	struct sockaddr_storage ss;
	double end = probe_now() + secs;
	unsigned long sent = 0, refused = 0;
	socklen_t len;
	int fd;

	if (probe_addr(a, port, &ss, &len))
		return 2;
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("nft-probe: socket");
		return 2;
	}
	while (probe_now() < end) {
		/* a drop by the filter is EPERM on the sender: keep going,
		 * about 20,000 packets a second */
		sent++;
		if (sendto(fd, "probe", 5, 0, (struct sockaddr *)&ss, len) != 5)
			refused++;
		usleep(50);
	}
	close(fd);
	printf("sent %lu, %lu refused by the filter\n", sent, refused);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "serve"))
		return probe_serve((unsigned)atoi(argv[2]), atof(argv[3]),
				   argv[4]);
	if (argc == 5 && !strcmp(argv[1], "connect"))
		return probe_connect(argv[2], (unsigned)atoi(argv[3]),
				     atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "udp"))
		return probe_udp(argv[2], (unsigned)atoi(argv[3]),
				 atof(argv[4]));
	fprintf(stderr, "usage: nft-probe serve PORT SECONDS COUNTFILE\n"
		"       nft-probe connect ADDR PORT TIMEOUT_MS\n"
		"       nft-probe udp ADDR PORT SECONDS\n");
	return 2;
}
