/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output `nft`: the table pushed by netlink (libnftnl + libmnl).
 *
 * A refresh is one batch (BEGIN ... END) that the kernel applies in one
 * transaction or not at all.  The batch leaves in ONE sendmsg(): the
 * kernel commits only a BEGIN...END run that arrives in one buffer.  It is
 * built in the pages of a struct nftnl_batch; element messages are written
 * straight into those pages with libmnl, so memory stays near the size of
 * the batch itself (about 40 bytes an IPv4 interval) instead of one
 * libnftnl object per element.  Every message asks for an ack; every ack
 * is read and checked, and the receive buffer is raised to hold them all:
 * a lost ack (ENOBUFS) is a failure, never a success.
 *
 * Reading (the table's chains and sets, the elements of a set, the named
 * counters) uses ordinary dump requests on the same socket.
 */
#include "config.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/object.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>

#include "nft.h"

#define NB_PAGE		(1u << 20)	/* batch page; one iovec each */
#define NB_OVERRUN	(128u << 10)	/* > the largest message (64 KiB) */
#define NB_IOV_MAX	1024		/* UIO_MAXIOV */
#define NB_NEST_MAX	(65535u - 256u)	/* element list nest: u16 length */
#define NB_ELEM_MAX	80	/* bytes of one interval, v6 with timeout */
#define NL_ACK_ROOM	2048	/* receive buffer per expected ack */
#define NL_BUF		(64u << 10)
#define NL_RETRIES	3

/* ---- the batch ---- */

#define NB_SEQ_ELEMS	(1u << 24)	/* first seq of prebuilt elements */

struct nft_bmsg {
	uint32_t seq;
	uint16_t type;		/* NFT_MSG_* */
	int16_t sid;		/* set, or -1 */
	int16_t hook;		/* chain, or -1 */
	uint32_t first, n;	/* elements: first index in the set, count */
};

/*
 * A run of messages: in the pages of one struct nftnl_batch, or (the
 * prebuilt elements, whose size is known beforehand) in one flat buffer
 * sized once, which goes out as one iovec as it is.
 */
struct nft_bpart {
	struct nftnl_batch *b;
	char *flat;
	size_t flat_len, flat_cap;
	struct nft_bmsg *m;	/* the messages asking for an ack */
	size_t n_m, alloc_m;
};

/*
 * A batch is head + elements + tail: the elements of the big sets may be
 * built before (struct nft_elembatch, when the text was rendered) and are
 * sent from their own pages, between a head and a tail that depend on what
 * the kernel holds.  One sendmsg() takes all the pages.
 */
struct nft_batch {
	const struct nft_cfg *cfg;
	struct nft_bpart head, tail;
	struct nft_bpart *cur;		/* where messages go now */
	const struct nft_elembatch *mid;	/* not owned; may be NULL */
	uint32_t seq;
	uint32_t set_id;
	struct iovec *iov;
	size_t n_iov;
	unsigned long elems;	/* element records written here */
	/* the element message being filled */
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	enum nft_sid sid;
	uint16_t etype;
	uint32_t first, n_elem, n_set;
};

/* The elements of one run: the feed sets' as netlink messages, the rest
 * held; built in one pass over the set. */
struct nft_elembatch {
	struct nft_batch *b;
	struct nft_elems held[NFT_S_MAX];
	bool streamed[NFT_S_MAX];
};

static int nb_record(struct nft_bpart *p, const struct nlmsghdr *nlh,
		     int sid, int hook, uint32_t first, uint32_t n)
{
	struct nft_bmsg *d;

	if (p->n_m == p->alloc_m) {
		size_t na = p->alloc_m ? p->alloc_m * 2 : 64;
		struct nft_bmsg *nm = realloc(p->m, na * sizeof(*nm));

		if (!nm)
			return -ENOMEM;
		p->m = nm;
		p->alloc_m = na;
	}
	d = &p->m[p->n_m++];
	d->seq = nlh->nlmsg_seq;
	d->type = (uint16_t)(nlh->nlmsg_type & 0xff);
	d->sid = (int16_t)sid;
	d->hook = (int16_t)hook;
	d->first = first;
	d->n = n;
	return 0;
}

/* The message at the head of the current page is complete. */
static int nb_done(struct nft_batch *b, struct nlmsghdr *nlh, int sid,
		   int hook, uint32_t first, uint32_t n)
{
	int err = 0;

	if (nlh->nlmsg_flags & NLM_F_ACK)
		err = nb_record(b->cur, nlh, sid, hook, first, n);
	if (err)
		return err;
	if (b->cur->flat)
		b->cur->flat_len += NLMSG_ALIGN(nlh->nlmsg_len);
	else if (nftnl_batch_update(b->cur->b) < 0)
		err = -ENOMEM;
	return err;
}

/*
 * Room for `need` more bytes after the message being filled (or after the
 * last one).  The flat buffer is sized from the counts, so this grows it
 * only if that estimate fell short; the message being filled moves along.
 */
static int nb_room(struct nft_batch *b, size_t need)
{
	struct nft_bpart *p = b->cur;
	size_t used = p->flat_len, cap;
	ptrdiff_t nlh_off = -1, nest_off = -1;
	char *nf;

	if (!p->flat)
		return 0;	/* pages: the overrun holds any one message */
	if (b->nlh)
		used += b->nlh->nlmsg_len;
	if (p->flat_cap - used >= need)
		return 0;
	if (b->nlh) {
		nlh_off = (char *)b->nlh - p->flat;
		nest_off = (char *)b->nest - p->flat;
	}
	cap = p->flat_cap + p->flat_cap / 2 + need;
	nf = realloc(p->flat, cap);
	if (!nf)
		return -ENOMEM;
	p->flat = nf;
	p->flat_cap = cap;
	if (nlh_off >= 0) {
		b->nlh = (struct nlmsghdr *)(nf + nlh_off);
		b->nest = (struct nlattr *)(nf + nest_off);
	}
	return 0;
}

#define NB_HDR_ROOM	512	/* a message's header and its names */

static struct nlmsghdr *nb_hdr(struct nft_batch *b, uint16_t type,
			       uint16_t flags)
{
	struct nft_bpart *p = b->cur;
	void *buf = p->flat ? p->flat + p->flat_len :
			      nftnl_batch_buffer(p->b);

	return nftnl_nlmsg_build_hdr(buf, type, NFPROTO_INET,
				     flags | NLM_F_ACK, b->seq++);
}

static void nb_part_free(struct nft_bpart *p)
{
	if (p->b)
		nftnl_batch_free(p->b);
	free(p->flat);
	free(p->m);
	memset(p, 0, sizeof(*p));
}

static int nb_part_new(struct nft_bpart *p)
{
	p->b = nftnl_batch_alloc(NB_PAGE, NB_OVERRUN);
	return p->b ? 0 : -ENOMEM;
}

/* A batch of messages; begin: with the BEGIN message (and the generation
 * the kernel must still be at, if genid), else only a run of messages. */
static int nb_new(struct nft_batch **out, const struct nft_cfg *cfg,
		  bool begin, uint32_t genid, uint32_t seq0)
{
	struct nft_batch *b = calloc(1, sizeof(*b));
	struct nlmsghdr *nlh;
	int err;

	*out = NULL;
	if (!b)
		return -ENOMEM;
	b->cfg = cfg;
	b->seq = seq0;
	b->cur = &b->head;
	err = nb_part_new(&b->head);
	if (err)
		goto fail;
	if (begin) {
		nlh = nftnl_batch_begin(nftnl_batch_buffer(b->head.b),
					b->seq++);
		/* the kernel refuses the batch (ERESTART) if the ruleset
		 * changed since we read it */
		if (genid)
			mnl_attr_put_u32(nlh, NFNL_BATCH_GENID, htonl(genid));
		if (nftnl_batch_update(b->head.b) < 0) {
			err = -ENOMEM;
			goto fail;
		}
	}
	*out = b;
	return 0;
fail:
	nft_batch_free(b);
	return err;
}

void nft_batch_free(struct nft_batch *b)
{
	if (!b)
		return;
	nb_part_free(&b->head);
	nb_part_free(&b->tail);
	free(b->iov);
	free(b);
}

/* Now the tail: what follows the prebuilt elements. */
static int nb_to_tail(struct nft_batch *b)
{
	int err = 0;

	if (!b->tail.b)
		err = nb_part_new(&b->tail);
	if (!err)
		b->cur = &b->tail;
	return err;
}

static int nb_part_iov(const struct nft_bpart *p, struct iovec *iov,
		       size_t *n)
{
	int k;

	if (p->flat) {
		if (!p->flat_len)
			return 0;
		if (*n + 1 > NB_IOV_MAX)
			return -E2BIG;
		if (iov) {
			iov[*n].iov_base = p->flat;
			iov[*n].iov_len = p->flat_len;
		}
		(*n)++;
		return 0;
	}
	if (!p->b)
		return 0;
	k = nftnl_batch_iovec_len(p->b);
	if (k <= 0)
		return 0;
	if (*n + (size_t)k > NB_IOV_MAX)
		return -E2BIG;
	if (iov)
		nftnl_batch_iovec(p->b, iov + *n, (uint32_t)k);
	*n += (size_t)k;
	return 0;
}

/* END, then the iovecs of head, elements and tail, in that order. */
static int nb_finish(struct nft_batch *b)
{
	const struct nft_bpart *mid = b->mid ? &b->mid->b->head : NULL;
	size_t n = 0;
	int err;

	err = nb_to_tail(b);
	if (err)
		return err;
	nftnl_batch_end(nftnl_batch_buffer(b->tail.b), b->seq++);
	if (nftnl_batch_update(b->tail.b) < 0)
		return -ENOMEM;
	err = nb_part_iov(&b->head, NULL, &n);
	if (!err && mid)
		err = nb_part_iov(mid, NULL, &n);
	if (!err)
		err = nb_part_iov(&b->tail, NULL, &n);
	if (err)
		return err;
	b->iov = calloc(n, sizeof(*b->iov));
	if (!b->iov)
		return -ENOMEM;
	b->n_iov = 0;
	nb_part_iov(&b->head, b->iov, &b->n_iov);
	if (mid)
		nb_part_iov(mid, b->iov, &b->n_iov);
	nb_part_iov(&b->tail, b->iov, &b->n_iov);
	return 0;
}

int nft_batch_iov(struct nft_batch *b, struct iovec **iov, size_t *n_iov,
		  size_t *len)
{
	size_t i;

	if (!b->iov)
		return -EINVAL;
	*iov = b->iov;
	*n_iov = b->n_iov;
	*len = 0;
	for (i = 0; i < b->n_iov; i++)
		*len += b->iov[i].iov_len;
	return 0;
}

size_t nft_batch_msgs(const struct nft_batch *b)
{
	return b->head.n_m + b->tail.n_m +
	       (b->mid ? b->mid->b->head.n_m : 0);
}

static const struct nft_bmsg *nb_part_find(const struct nft_bpart *p,
					   uint32_t seq)
{
	size_t lo = 0, hi = p->n_m;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (p->m[mid].seq == seq)
			return &p->m[mid];
		if (p->m[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct nft_bmsg *nb_find(const struct nft_batch *b,
				      uint32_t seq)
{
	const struct nft_bmsg *d = nb_part_find(&b->head, seq);

	if (!d)
		d = nb_part_find(&b->tail, seq);
	if (!d && b->mid)
		d = nb_part_find(&b->mid->b->head, seq);
	return d;
}

void nft_batch_describe(const struct nft_batch *b, uint32_t seq, char *buf,
			size_t len)
{
	const struct nft_bmsg *d = nb_find(b, seq);
	const char *set, *chain;

	if (!d) {
		snprintf(buf, len, "the batch as a whole");
		return;
	}
	set = d->sid >= 0 ? nft_sets[d->sid].name : "?";
	chain = d->hook >= 0 ? nft_hook_name((unsigned)d->hook) : "?";
	switch (d->type) {
	case NFT_MSG_NEWTABLE:
		snprintf(buf, len, "create table inet %s", b->cfg->table);
		break;
	case NFT_MSG_DELTABLE:
		snprintf(buf, len, "delete table inet %s", b->cfg->table);
		break;
	case NFT_MSG_NEWOBJ:
		snprintf(buf, len, "create counter %s", set);
		break;
	case NFT_MSG_NEWSET:
		snprintf(buf, len, "create set %s", set);
		break;
	case NFT_MSG_NEWCHAIN:
		snprintf(buf, len, "create chain %s", chain);
		break;
	case NFT_MSG_DELRULE:
		snprintf(buf, len, "flush chain %s", chain);
		break;
	case NFT_MSG_NEWRULE:
		snprintf(buf, len, "add rule %u of chain %s", d->first + 1,
			 chain);
		break;
	case NFT_MSG_NEWSETELEM:
	case NFT_MSG_DELSETELEM:
		if (d->type == NFT_MSG_DELSETELEM && !d->n)
			snprintf(buf, len, "flush set %s", set);
		else
			snprintf(buf, len, "%s elements %u-%u of set %s",
				 d->type == NFT_MSG_NEWSETELEM ? "add" :
								 "delete",
				 d->first + 1, d->first + d->n, set);
		break;
	default:
		snprintf(buf, len, "message %u", seq);
		break;
	}
}

static int nb_table(struct nft_batch *b, uint16_t type, uint16_t flags)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t)
		return -ENOMEM;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, b->cfg->table);
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, NFPROTO_INET);
	nlh = nb_hdr(b, type, flags);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	return nb_done(b, nlh, -1, -1, 0, 0);
}

static int nb_counter(struct nft_batch *b, enum nft_sid id)
{
	struct nftnl_obj *o = nftnl_obj_alloc();
	struct nlmsghdr *nlh;

	if (!o)
		return -ENOMEM;
	nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, b->cfg->table);
	nftnl_obj_set_str(o, NFTNL_OBJ_NAME, nft_sets[id].name);
	nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, NFT_OBJECT_COUNTER);
	nftnl_obj_set_u32(o, NFTNL_OBJ_FAMILY, NFPROTO_INET);
	/* the kernel wants the data; an existing counter keeps its values */
	nftnl_obj_set_u64(o, NFTNL_OBJ_CTR_PKTS, 0);
	nftnl_obj_set_u64(o, NFTNL_OBJ_CTR_BYTES, 0);
	nlh = nb_hdr(b, NFT_MSG_NEWOBJ, NLM_F_CREATE);
	nftnl_obj_nlmsg_build_payload(nlh, o);
	nftnl_obj_free(o);
	return nb_done(b, nlh, id, -1, 0, 0);
}

static int nb_set(struct nft_batch *b, enum nft_sid id)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nlmsghdr *nlh;

	if (!s)
		return -ENOMEM;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, b->cfg->table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, nft_sets[id].name);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_INET);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, nft_set_keytype(id));
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, nft_set_keylen(id));
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, nft_set_flags(id));
	nftnl_set_set_u32(s, NFTNL_SET_ID, ++b->set_id);
	if (nft_sets[id].tier == NFT_T_OFFENDERS) {
		nftnl_set_set_u64(s, NFTNL_SET_TIMEOUT,
				  b->cfg->offender_timeout_ms);
		nftnl_set_set_u32(s, NFTNL_SET_DESC_SIZE, NFT_OFFENDERS_SIZE);
	}
	nlh = nb_hdr(b, NFT_MSG_NEWSET, NLM_F_CREATE);
	nftnl_set_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	return nb_done(b, nlh, id, -1, 0, 0);
}

static int nb_chain(struct nft_batch *b, unsigned hook)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!c)
		return -ENOMEM;
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, b->cfg->table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, nft_hook_name(hook));
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, NFPROTO_INET);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hook);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, b->cfg->prio);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	nlh = nb_hdr(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	return nb_done(b, nlh, -1, (int)hook, 0, 0);
}

static int nb_rules_flush(struct nft_batch *b, unsigned hook)
{
	struct nlmsghdr *nlh = nb_hdr(b, NFT_MSG_DELRULE, 0);

	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, b->cfg->table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, nft_hook_name(hook));
	return nb_done(b, nlh, -1, (int)hook, 0, 0);
}

/* -- rule expressions, written with libmnl -- */

static struct nlattr *nr_open(struct nlmsghdr *nlh, const char *name,
			      struct nlattr **data)
{
	struct nlattr *el = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);

	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, name);
	*data = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
	return el;
}

static void nr_close(struct nlmsghdr *nlh, struct nlattr *el,
		     struct nlattr *data)
{
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, el);
}

static void nr_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	mnl_attr_put_u32(nlh, type, htonl(v));
}

static void nr_meta(struct nlmsghdr *nlh, uint32_t key)
{
	struct nlattr *d, *e = nr_open(nlh, "meta", &d);

	nr_u32(nlh, NFTA_META_KEY, key);
	nr_u32(nlh, NFTA_META_DREG, NFT_REG_1);
	nr_close(nlh, e, d);
}

static void nr_cmp_u8(struct nlmsghdr *nlh, uint8_t v)
{
	struct nlattr *d, *e = nr_open(nlh, "cmp", &d), *n;

	nr_u32(nlh, NFTA_CMP_SREG, NFT_REG_1);
	nr_u32(nlh, NFTA_CMP_OP, NFT_CMP_EQ);
	n = mnl_attr_nest_start(nlh, NFTA_CMP_DATA);
	mnl_attr_put(nlh, NFTA_DATA_VALUE, 1, &v);
	mnl_attr_nest_end(nlh, n);
	nr_close(nlh, e, d);
}

static void nr_payload(struct nlmsghdr *nlh, uint32_t base, uint32_t off,
		       uint32_t len)
{
	struct nlattr *d, *e = nr_open(nlh, "payload", &d);

	nr_u32(nlh, NFTA_PAYLOAD_DREG, NFT_REG_1);
	nr_u32(nlh, NFTA_PAYLOAD_BASE, base);
	nr_u32(nlh, NFTA_PAYLOAD_OFFSET, off);
	nr_u32(nlh, NFTA_PAYLOAD_LEN, len);
	nr_close(nlh, e, d);
}

static void nr_lookup(struct nlmsghdr *nlh, const char *set)
{
	struct nlattr *d, *e = nr_open(nlh, "lookup", &d);

	nr_u32(nlh, NFTA_LOOKUP_SREG, NFT_REG_1);
	mnl_attr_put_strz(nlh, NFTA_LOOKUP_SET, set);
	nr_close(nlh, e, d);
}

static void nr_objref_counter(struct nlmsghdr *nlh, const char *name)
{
	struct nlattr *d, *e = nr_open(nlh, "objref", &d);

	nr_u32(nlh, NFTA_OBJREF_IMM_TYPE, NFT_OBJECT_COUNTER);
	mnl_attr_put_strz(nlh, NFTA_OBJREF_IMM_NAME, name);
	nr_close(nlh, e, d);
}

static void nr_dynset_update(struct nlmsghdr *nlh, const char *set)
{
	struct nlattr *d, *e = nr_open(nlh, "dynset", &d), *x, *xd;

	nr_u32(nlh, NFTA_DYNSET_SREG_KEY, NFT_REG_1);
	nr_u32(nlh, NFTA_DYNSET_OP, NFT_DYNSET_OP_UPDATE);
	mnl_attr_put_strz(nlh, NFTA_DYNSET_SET_NAME, set);
	/* a counter on every element the rule adds: packets and bytes of
	 * each offender */
	x = mnl_attr_nest_start(nlh, NFTA_DYNSET_EXPR);
	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "counter");
	xd = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
	mnl_attr_nest_end(nlh, xd);
	mnl_attr_nest_end(nlh, x);
	nr_close(nlh, e, d);
}

static void nr_log(struct nlmsghdr *nlh, const char *prefix)
{
	struct nlattr *d, *e = nr_open(nlh, "log", &d);

	if (prefix && prefix[0])
		mnl_attr_put_strz(nlh, NFTA_LOG_PREFIX, prefix);
	nr_close(nlh, e, d);
}

static void nr_reject(struct nlmsghdr *nlh)
{
	struct nlattr *d, *e = nr_open(nlh, "reject", &d);

	nr_u32(nlh, NFTA_REJECT_TYPE, NFT_REJECT_ICMPX_UNREACH);
	mnl_attr_put_u8(nlh, NFTA_REJECT_ICMP_CODE,
			NFT_REJECT_ICMPX_ADMIN_PROHIBITED);
	nr_close(nlh, e, d);
}

static void nr_verdict(struct nlmsghdr *nlh, int code)
{
	struct nlattr *d, *e = nr_open(nlh, "immediate", &d), *n, *v;

	nr_u32(nlh, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	n = mnl_attr_nest_start(nlh, NFTA_IMMEDIATE_DATA);
	v = mnl_attr_nest_start(nlh, NFTA_DATA_VERDICT);
	nr_u32(nlh, NFTA_VERDICT_CODE, (uint32_t)code);
	mnl_attr_nest_end(nlh, v);
	mnl_attr_nest_end(nlh, n);
	nr_close(nlh, e, d);
}

static int nb_rule(struct nft_batch *b, unsigned hook, const struct nft_rule *r,
		   uint32_t idx)
{
	const struct nft_setdef *d = &nft_sets[r->set];
	struct nlmsghdr *nlh = nb_hdr(b, NFT_MSG_NEWRULE,
				      NLM_F_CREATE | NLM_F_APPEND);
	struct nlattr *list;
	bool v6 = d->key == NFT_KEY_V6;

	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, b->cfg->table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, nft_hook_name(hook));
	list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
	if (r->match == NFT_M_DPORT) {
		if (r->nfproto) {
			nr_meta(nlh, NFT_META_NFPROTO);
			nr_cmp_u8(nlh, r->nfproto);
		}
		nr_meta(nlh, NFT_META_L4PROTO);
		nr_cmp_u8(nlh, d->l4proto);
		nr_payload(nlh, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
	} else {
		nr_meta(nlh, NFT_META_NFPROTO);
		nr_cmp_u8(nlh, v6 ? NFPROTO_IPV6 : NFPROTO_IPV4);
		if (r->match == NFT_M_SADDR)
			nr_payload(nlh, NFT_PAYLOAD_NETWORK_HEADER,
				   v6 ? 8 : 12, v6 ? 16 : 4);
		else
			nr_payload(nlh, NFT_PAYLOAD_NETWORK_HEADER,
				   v6 ? 24 : 16, v6 ? 16 : 4);
	}
	nr_lookup(nlh, d->name);
	if (r->counter)
		nr_objref_counter(nlh, d->name);
	if (r->offenders >= 0) {
		bool o6 = r->offenders == NFT_S_OFF_V6;

		nr_payload(nlh, NFT_PAYLOAD_NETWORK_HEADER, o6 ? 8 : 12,
			   o6 ? 16 : 4);
		nr_dynset_update(nlh, nft_sets[r->offenders].name);
	}
	if (r->log)
		nr_log(nlh, r->prefix);
	switch (r->verdict) {
	case NFT_V_RETURN:
		nr_verdict(nlh, NFT_RETURN);
		break;
	case NFT_V_DROP:
		nr_verdict(nlh, NF_DROP);
		break;
	case NFT_V_REJECT:
		nr_reject(nlh);
		break;
	default:
		break;
	}
	mnl_attr_nest_end(nlh, list);
	return nb_done(b, nlh, r->set, (int)hook, idx, 0);
}

/* -- elements, written straight into the batch pages -- */

static int nb_set_flush(struct nft_batch *b, enum nft_sid id)
{
	struct nlmsghdr *nlh = nb_hdr(b, NFT_MSG_DELSETELEM, 0);

	mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, b->cfg->table);
	mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, nft_sets[id].name);
	return nb_done(b, nlh, id, -1, 0, 0);
}

static void nb_elems_start(struct nft_batch *b)
{
	uint16_t flags = b->etype == NFT_MSG_NEWSETELEM ? NLM_F_CREATE : 0;

	b->nlh = nb_hdr(b, b->etype, flags);
	mnl_attr_put_strz(b->nlh, NFTA_SET_ELEM_LIST_TABLE, b->cfg->table);
	mnl_attr_put_strz(b->nlh, NFTA_SET_ELEM_LIST_SET,
			  nft_sets[b->sid].name);
	b->nest = mnl_attr_nest_start(b->nlh, NFTA_SET_ELEM_LIST_ELEMENTS);
	b->first = b->n_set;
	b->n_elem = 0;
}

static int nb_elems_flush(struct nft_batch *b)
{
	struct nlmsghdr *nlh = b->nlh;

	if (!nlh)
		return 0;
	b->nlh = NULL;
	mnl_attr_nest_end(nlh, b->nest);
	return nb_done(b, nlh, b->sid, -1, b->first, b->n_elem);
}

static void nb_elems_open(struct nft_batch *b, enum nft_sid id, bool del)
{
	b->sid = id;
	b->etype = del ? NFT_MSG_DELSETELEM : NFT_MSG_NEWSETELEM;
	b->n_set = 0;
	b->nlh = NULL;
}

static void nb_elem_rec(struct nlmsghdr *nlh, const uint8_t *key,
			size_t klen, uint32_t flags, uint64_t timeout_ms)
{
	struct nlattr *el = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
	struct nlattr *k = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_KEY);

	mnl_attr_put(nlh, NFTA_DATA_VALUE, klen, key);
	mnl_attr_nest_end(nlh, k);
	if (flags)
		mnl_attr_put_u32(nlh, NFTA_SET_ELEM_FLAGS, htonl(flags));
	if (timeout_ms)
		mnl_attr_put_u64(nlh, NFTA_SET_ELEM_TIMEOUT,
				 htobe64(timeout_ms));
	mnl_attr_nest_end(nlh, el);
}

/*
 * One element.  An interval set holds [lo, hi] as a start key lo and an
 * end key hi + 1 flagged NFT_SET_ELEM_INTERVAL_END (none when hi is the
 * last key); the timeout goes on the start.  Other sets hold plain keys.
 */
static int nb_elem(void *ctx, const struct nft_elem *e)
{
	struct nft_batch *b = ctx;
	size_t klen = nft_set_keylen(b->sid);
	bool del = b->etype == NFT_MSG_DELSETELEM;
	uint8_t end[16];
	int err;

	if (b->nlh) {
		size_t used = (size_t)((char *)mnl_nlmsg_get_payload_tail(
					       b->nlh) - (char *)b->nest);

		if (used + NB_ELEM_MAX > NB_NEST_MAX) {
			err = nb_elems_flush(b);
			if (err)
				return err;
		}
	}
	err = nb_room(b, NB_ELEM_MAX + (b->nlh ? 0 : NB_HDR_ROOM));
	if (err)
		return err;
	if (!b->nlh)
		nb_elems_start(b);
	nb_elem_rec(b->nlh, e->lo, klen, 0, del ? 0 : e->timeout_ms);
	b->elems++;
	if (nft_set_flags(b->sid) & NFT_SET_INTERVAL) {
		memcpy(end, e->hi, 16);
		if (!nft_key_next(end, klen)) {
			nb_elem_rec(b->nlh, end, klen,
				    NFT_SET_ELEM_INTERVAL_END, 0);
			b->elems++;
		}
	}
	b->n_elem++;
	b->n_set++;
	return 0;
}

static int nb_elems_close(struct nft_batch *b)
{
	return nb_elems_flush(b);
}

static int nb_elems_array(struct nft_batch *b, enum nft_sid id,
			  const struct nft_elem *v, size_t n, bool del)
{
	size_t i;
	int err = 0;

	nb_elems_open(b, id, del);
	for (i = 0; i < n && !err; i++)
		err = nb_elem(b, &v[i]);
	if (!err)
		err = nb_elems_close(b);
	return err;
}

/* Kernel emergency elements that overlap one of the new ones. */
static int nb_overlaps(const struct nft_elem *k, size_t nk,
		       const struct nft_elem *v, size_t nv, size_t klen,
		       struct nft_elems *del)
{
	size_t i = 0, j;
	int err = 0;

	/* both sorted and free of overlaps: walk them side by side */
	for (j = 0; j < nv && i < nk && !err; j++) {
		while (i < nk && memcmp(k[i].hi, v[j].lo, klen) < 0)
			i++;
		while (i < nk && memcmp(k[i].lo, v[j].hi, klen) <= 0 &&
		       !err) {
			if (!del->n || memcmp(del->v[del->n - 1].lo, k[i].lo,
					      klen))
				err = nft_elems_push(del, &k[i]);
			if (memcmp(k[i].hi, v[j].hi, klen) > 0)
				break;	/* it may overlap the next one too */
			i++;
		}
	}
	return err;
}

/*
 * An emergency set: live blocks in the kernel stay unless the new content
 * overlaps them, then the new element (and its timeout) replaces them.
 * With flush (the run holds every live block), the set is refilled.
 */
static int nb_emerg(struct nft_batch *b, const struct nft_kstate *ks,
		    enum nft_sid id, const struct nft_elems *add, bool flush)
{
	struct nft_elems del = { 0 };
	int err = 0;

	if (ks->set[id] && flush)
		err = nb_set_flush(b, id);
	else if (ks->set[id])
		err = nb_overlaps(ks->emerg[id], ks->n_emerg[id], add->v,
				  add->n, nft_set_keylen(id), &del);
	if (!err && del.n)
		err = nb_elems_array(b, id, del.v, del.n, true);
	if (!err)
		err = nb_elems_array(b, id, add->v, add->n, false);
	nft_elems_free(&del);
	return err;
}

/* Every set of the run but the prebuilt ones (ks NULL: just created). */
static int nb_held(struct nft_batch *b, const struct nft_elembatch *eb,
		   const struct nft_kstate *ks, bool flush_emerg)
{
	size_t i;
	int err = 0;

	for (i = 0; i < NFT_S_MAX && !err; i++) {
		enum nft_sid id = (enum nft_sid)i;
		enum nft_tier t = nft_sets[i].tier;

		if (eb->streamed[i] || t == NFT_T_EXEMPT ||
		    t == NFT_T_OFFENDERS)
			continue;
		if (ks && t == NFT_T_EMERG) {
			err = nb_emerg(b, ks, id, &eb->held[i], flush_emerg);
			continue;
		}
		if (ks && ks->set[i])
			err = nb_set_flush(b, id);
		if (!err)
			err = nb_elems_array(b, id, eb->held[i].v,
					     eb->held[i].n, false);
	}
	return err;
}

static int nb_exempt(struct nft_batch *b, const struct nft_kstate *ks)
{
	const struct nft_cfg *cfg = b->cfg;
	int err = 0;

	if (ks && ks->set[NFT_S_EXEMPT_V4])
		err = nb_set_flush(b, NFT_S_EXEMPT_V4);
	if (!err)
		err = nb_elems_array(b, NFT_S_EXEMPT_V4, cfg->exempt4,
				     cfg->n_exempt4, false);
	if (!err && ks && ks->set[NFT_S_EXEMPT_V6])
		err = nb_set_flush(b, NFT_S_EXEMPT_V6);
	if (!err)
		err = nb_elems_array(b, NFT_S_EXEMPT_V6, cfg->exempt6,
				     cfg->n_exempt6, false);
	return err;
}

static int nb_counters(struct nft_batch *b)
{
	size_t i;
	int err = 0;

	for (i = 0; i < NFT_S_MAX && !err; i++) {
		if (nft_set_counted(b->cfg, (enum nft_sid)i))
			err = nb_counter(b, (enum nft_sid)i);
	}
	return err;
}

/* The whole table, from nothing: the sets, the elements, then the chains
 * that use them. */
static int nb_create_all(struct nft_batch *b, const struct nft_elembatch *eb)
{
	const struct nft_cfg *cfg = b->cfg;
	struct nft_rules rs;
	unsigned h;
	size_t i;
	int err;

	err = nb_table(b, NFT_MSG_NEWTABLE, NLM_F_CREATE);
	if (!err)
		err = nb_counters(b);
	for (i = 0; i < NFT_S_MAX && !err; i++)
		err = nb_set(b, (enum nft_sid)i);
	/* ... here the prebuilt elements ... */
	if (!err)
		err = nb_to_tail(b);
	if (!err)
		err = nb_exempt(b, NULL);
	if (!err)
		err = nb_held(b, eb, NULL, false);
	nft_rules(cfg, &rs);
	for (h = 0; h < 8 && !err; h++) {
		if (!(cfg->hooks & (1u << h)))
			continue;
		err = nb_chain(b, h);
		for (i = 0; i < rs.n && !err; i++)
			err = nb_rule(b, h, &rs.r[i], (uint32_t)i);
	}
	return err;
}

/* The table exists as configured: refill it in place. */
static int nb_update(struct nft_batch *b, const struct nft_elembatch *eb,
		     const struct nft_kstate *ks, bool flush_emerg)
{
	const struct nft_cfg *cfg = b->cfg;
	struct nft_rules rs;
	unsigned h;
	size_t i;
	int err;

	err = nb_table(b, NFT_MSG_NEWTABLE, NLM_F_CREATE);
	if (!err)
		err = nb_counters(b);
	/* sets that are missing (an admin deleted one): create them */
	for (i = 0; i < NFT_S_MAX && !err; i++) {
		if (!ks->set[i])
			err = nb_set(b, (enum nft_sid)i);
	}
	nft_rules(cfg, &rs);
	for (h = 0; h < 8 && !err; h++) {
		if (!(cfg->hooks & (1u << h)))
			continue;
		err = nb_rules_flush(b, h);
		for (i = 0; i < rs.n && !err; i++)
			err = nb_rule(b, h, &rs.r[i], (uint32_t)i);
	}
	if (!err)
		err = nb_exempt(b, ks);
	for (i = 0; i < NFT_S_MAX && !err; i++) {
		if (eb->streamed[i] && ks->set[i])
			err = nb_set_flush(b, (enum nft_sid)i);
	}
	/* ... here the prebuilt elements ... */
	if (!err)
		err = nb_to_tail(b);
	if (!err)
		err = nb_held(b, eb, ks, flush_emerg);
	return err;
}

int nft_batch_refresh(struct nft_batch **out, const struct nft_run *r,
		      const struct nft_elembatch *eb,
		      const struct nft_kstate *ks, bool flush_emerg)
{
	struct nft_batch *b;
	int err;

	err = nb_new(&b, r->cfg, true, ks->genid, 1);
	if (err)
		return err;
	b->mid = eb;
	if (!ks->table) {
		err = nb_create_all(b, eb);
	} else if (!ks->compatible) {
		/* the idiom of an `nft -f` file: make sure it exists, delete
		 * it, create it anew; all in the same transaction */
		err = nb_table(b, NFT_MSG_NEWTABLE, NLM_F_CREATE);
		if (!err)
			err = nb_table(b, NFT_MSG_DELTABLE, 0);
		if (!err)
			err = nb_create_all(b, eb);
	} else {
		err = nb_update(b, eb, ks, flush_emerg);
	}
	if (!err)
		err = nb_finish(b);
	if (err) {
		nft_batch_free(b);
		return err;
	}
	*out = b;
	return 0;
}

int nft_batch_elems(struct nft_batch **out, const struct nft_cfg *cfg,
		    enum nft_sid id, const struct nft_elem *del, size_t n_del,
		    const struct nft_elem *add, size_t n_add)
{
	struct nft_batch *b;
	int err;

	err = nb_new(&b, cfg, true, 0, 1);
	if (err)
		return err;
	if (n_del)
		err = nb_elems_array(b, id, del, n_del, true);
	if (!err && n_add)
		err = nb_elems_array(b, id, add, n_add, false);
	if (!err)
		err = nb_finish(b);
	if (err) {
		nft_batch_free(b);
		return err;
	}
	*out = b;
	return 0;
}

/* ---- the elements of a run, built once ---- */

struct eb_walk {
	struct nft_elembatch *eb;
	struct nft_run *r;
};

static int eb_cb(void *ctx, enum nft_sid id, const struct nft_elem *e)
{
	struct eb_walk *w = ctx;

	w->r->st.n[id]++;
	if (w->eb->streamed[id])
		return nb_elem(w->eb->b, e);
	return nft_elems_push(&w->eb->held[id], e);
}

/*
 * The prebuilt elements go into one buffer sized once from the counts of
 * the set (an upper bound: every item in the feed set, no timeout there),
 * in place of the pages: no page is copied, none left part empty, and the
 * batch's memory is what the kernel gets.
 */
static int eb_size(struct nft_batch *b, const struct nft_run *r)
{
	/* start and end records of one interval: v4, v6, a port */
	static const size_t per[] = { 40, 64, 40 };
	static const enum pw_ikind kinds[] = {
		PW_I_IPV4, PW_I_IPV6, PW_I_PORT,
	};
	size_t i, len = 0, n;

	for (i = 0; i < 3 && r->set; i++) {
		n = pw_set_count(r->set, kinds[i]);
		if (n > (SIZE_MAX / 2 - len) / per[i])
			return -E2BIG;
		len += n * per[i];
	}
	/* a header per message, three sets at least */
	len += (len / (NB_NEST_MAX - NB_ELEM_MAX) + 3) * NB_HDR_ROOM;
	nftnl_batch_free(b->head.b);
	b->head.b = NULL;
	b->head.flat = malloc(len);
	if (!b->head.flat)
		return -ENOMEM;
	b->head.flat_cap = len;
	return 0;
}

int nft_elems_build(struct nft_elembatch **out, struct nft_run *r)
{
	struct nft_elembatch *eb = calloc(1, sizeof(*eb));
	struct eb_walk w = { .eb = eb, .r = r };
	enum nft_sid ids[6];
	int k, err;

	*out = NULL;
	if (!eb)
		return -ENOMEM;
	err = nb_new(&eb->b, r->cfg, false, 0, NB_SEQ_ELEMS);
	if (!err)
		err = eb_size(eb->b, r);
	memset(&r->st, 0, sizeof(r->st));
	r->st.n[NFT_S_EXEMPT_V4] = r->cfg->n_exempt4;
	r->st.n[NFT_S_EXEMPT_V6] = r->cfg->n_exempt6;
	for (k = NFT_KEY_V4; k <= NFT_KEY_PORT && !err; k++) {
		unsigned long exp = 0;

		/* the first set of each kind (feed_v4, feed_v6, ports) goes
		 * straight into messages: it is the big one */
		nft_kind_sets((enum nft_key)k, ids);
		eb->streamed[ids[0]] = true;
		nb_elems_open(eb->b, ids[0], false);
		err = nft_elems_walk(r, (enum nft_key)k, eb_cb, &w, &exp);
		if (!err)
			err = nb_elems_close(eb->b);
		r->st.expired += exp;
	}
	for (k = PW_I_DOMAIN; k <= PW_I_HASH && r->set && !err; k++) {
		if (k == PW_I_IPV4 || k == PW_I_IPV6 || k == PW_I_PORT)
			continue;
		r->st.other[k] = pw_set_count(r->set, (enum pw_ikind)k);
	}
	if (err) {
		nft_elembatch_free(eb);
		return err;
	}
	*out = eb;
	return 0;
}

void nft_elembatch_free(struct nft_elembatch *eb)
{
	size_t i;

	if (!eb)
		return;
	nft_batch_free(eb->b);
	for (i = 0; i < NFT_S_MAX; i++)
		nft_elems_free(&eb->held[i]);
	free(eb);
}

/* One element record as nb_elem_rec() wrote it. */
static const uint8_t *eb_rec(const struct nlattr *el, bool *end,
			     uint64_t *tmo)
{
	const uint8_t *key = NULL;
	const struct nlattr *x;

	*end = false;
	*tmo = 0;
	mnl_attr_for_each_nested(x, el) {
		switch (mnl_attr_get_type(x)) {
		case NFTA_SET_ELEM_KEY:
			/* the nest holds one NFTA_DATA_VALUE */
			key = mnl_attr_get_payload(mnl_attr_get_payload(x));
			break;
		case NFTA_SET_ELEM_FLAGS:
			*end = ntohl(mnl_attr_get_u32(x)) &
			       NFT_SET_ELEM_INTERVAL_END;
			break;
		case NFTA_SET_ELEM_TIMEOUT:
			*tmo = be64toh(mnl_attr_get_u64(x));
			break;
		default:
			break;
		}
	}
	return key;
}

/* The element list of a message, if it is one for set `name`. */
static const struct nlattr *eb_list(const struct nlmsghdr *nlh,
				    const char *name)
{
	const struct nlattr *a, *list = NULL;
	bool mine = false;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == NFTA_SET_ELEM_LIST_SET)
			mine = !strcmp(mnl_attr_get_str(a), name);
		else if (mnl_attr_get_type(a) == NFTA_SET_ELEM_LIST_ELEMENTS)
			list = a;
	}
	return mine ? list : NULL;
}

struct eb_range {
	struct nft_elem e;
	bool open;		/* a start seen, its end not yet */
	size_t klen;
	nft_elem_cb cb;
	void *ctx;
};

/* Start and end records back into ranges. */
static int eb_range_rec(struct eb_range *g, const uint8_t *key, bool end,
			uint64_t tmo)
{
	int err = 0;

	if (end && g->open) {
		memcpy(g->e.hi, key, g->klen);
		nft_key_prev(g->e.hi, g->klen);
		g->open = false;
		return g->cb(g->ctx, &g->e);
	}
	if (g->open) {
		/* a start without an end runs to the last key */
		memset(g->e.hi, 0xff, g->klen);
		err = g->cb(g->ctx, &g->e);
	}
	if (err || end)
		return err;
	memset(&g->e, 0, sizeof(g->e));
	memcpy(g->e.lo, key, g->klen);
	g->e.timeout_ms = tmo;
	g->open = true;
	return 0;
}

/* The elements of a prebuilt set, read back from its messages. */
static int eb_decode(const struct nft_elembatch *eb, enum nft_sid id,
		     nft_elem_cb cb, void *ctx)
{
	struct eb_range g = {
		.klen = nft_set_keylen(id), .cb = cb, .ctx = ctx,
	};
	struct iovec *iov;
	size_t i, n = 0;
	int err = 0;

	err = nb_part_iov(&eb->b->head, NULL, &n);
	if (err || !n)
		return err;
	iov = calloc(n, sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	n = 0;
	nb_part_iov(&eb->b->head, iov, &n);
	for (i = 0; i < n && !err; i++) {
		const struct nlmsghdr *nlh = iov[i].iov_base;
		int left = (int)iov[i].iov_len;

		for (; mnl_nlmsg_ok(nlh, left) && !err;
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			const struct nlattr *list, *el;

			list = eb_list(nlh, nft_sets[id].name);
			if (!list)
				continue;
			mnl_attr_for_each_nested(el, list) {
				const uint8_t *key;
				uint64_t tmo;
				bool end;

				key = eb_rec(el, &end, &tmo);
				if (key)
					err = eb_range_rec(&g, key, end, tmo);
				if (err)
					break;
			}
		}
	}
	if (!err && g.open) {
		memset(g.e.hi, 0xff, g.klen);
		err = cb(ctx, &g.e);
	}
	free(iov);
	return err;
}

int nft_elembatch_foreach(const struct nft_elembatch *eb,
			  const struct nft_run *r, enum nft_sid id,
			  nft_elem_cb cb, void *ctx)
{
	const struct nft_setdef *d = &nft_sets[id];
	const struct nft_elem *v = eb->held[id].v;
	size_t i, n = eb->held[id].n;
	int err = 0;

	if (d->tier == NFT_T_OFFENDERS)
		return 0;
	if (d->tier == NFT_T_EXEMPT)
		return nft_elems_foreach(r, id, cb, ctx);
	if (eb->streamed[id])
		return eb_decode(eb, id, cb, ctx);
	for (i = 0; i < n && !err; i++)
		err = cb(ctx, &v[i]);
	return err;
}

/* ---- the socket ---- */

struct nft_nl {
	struct pw_host *h;
	struct mnl_socket *sk;
	uint32_t portid, seq;
	char *buf;
};

int nft_nl_open(struct nft_nl **out, struct pw_host *h)
{
	struct nft_nl *nl = calloc(1, sizeof(*nl));
	int one = 1, err = 0;

	*out = NULL;
	if (!nl)
		return -ENOMEM;
	nl->h = h;
	nl->buf = malloc(NL_BUF);
	if (!nl->buf) {
		err = -ENOMEM;
		goto out;
	}
	nl->sk = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!nl->sk) {
		err = -errno;
		pw_log(h, LOG_ERR, "netlink: cannot open a netfilter socket: "
		       "%s", strerror(errno));
		goto out;
	}
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		pw_log(h, LOG_ERR, "netlink: cannot bind: %s",
		       strerror(errno));
		goto out;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	/* acks carry only the header of the message they answer, and
	 * the kernel's own words when it has some */
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	nl->seq = (uint32_t)time(NULL);
out:
	if (err) {
		nft_nl_close(nl);
		return err;
	}
	*out = nl;
	return 0;
}

void nft_nl_close(struct nft_nl *nl)
{
	if (!nl)
		return;
	if (nl->sk)
		mnl_socket_close(nl->sk);
	free(nl->buf);
	free(nl);
}

/* Make a socket buffer hold `want` bytes; *got: what it holds. */
static int nl_sockbuf(struct nft_nl *nl, int opt, int force, size_t want,
		      size_t *got)
{
	int fd = mnl_socket_get_fd(nl->sk);
	socklen_t sl = sizeof(int);
	int v, cur = 0;

	*got = 0;
	if (want > (size_t)1 << 30)
		return -E2BIG;
	v = (int)want;
	/* the kernel keeps twice what it is given, for its overhead */
	if (!getsockopt(fd, SOL_SOCKET, opt, &cur, &sl) &&
	    (size_t)cur >= 2 * want)
		return 0;
	/* SO_*BUFFORCE needs CAP_NET_ADMIN in the first user namespace;
	 * the plain option is capped by net.core.[rw]mem_max */
	if (setsockopt(fd, SOL_SOCKET, force, &v, sizeof(v)) &&
	    setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v)))
		return -errno;
	sl = sizeof(int);
	if (getsockopt(fd, SOL_SOCKET, opt, &cur, &sl))
		return -errno;
	*got = (size_t)cur;
	return (size_t)cur >= want ? 0 : -ENOBUFS;
}

/* -- reading the acks of a batch -- */

struct nl_acks {
	const struct nft_batch *b;
	size_t acks;		/* zero acks of batch messages */
	int err;		/* first error, -errno */
	uint32_t err_seq;
	uint32_t err_off;	/* extack: offset of the bad attribute */
	char msg[160];		/* extack: the kernel's words */
};

static int nl_ext_cb(const struct nlattr *a, void *data)
{
	struct nl_acks *k = data;

	switch (mnl_attr_get_type(a)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(k->msg, sizeof(k->msg), "%s",
				 mnl_attr_get_str(a));
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			k->err_off = mnl_attr_get_u32(a);
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

static void nl_ack(struct nl_acks *k, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e;
	size_t off;

	if (nlh->nlmsg_type != NLMSG_ERROR ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
		return;
	e = mnl_nlmsg_get_payload(nlh);
	if (!e->error) {
		if (nb_find(k->b, nlh->nlmsg_seq))
			k->acks++;
		return;
	}
	if (k->err && nlh->nlmsg_seq >= k->err_seq)
		return;		/* keep the first failing message */
	k->err = e->error;
	k->err_seq = nlh->nlmsg_seq;
	k->err_off = 0;
	k->msg[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	off = MNL_ALIGN(off);
	if (off < mnl_nlmsg_get_payload_len(nlh))
		mnl_attr_parse_payload((const char *)e + off,
				       mnl_nlmsg_get_payload_len(nlh) - off,
				       nl_ext_cb, k);
}

/* The message of the batch with sequence number seq. */
static const struct nlmsghdr *nl_batch_msg(const struct nft_batch *b,
					   uint32_t seq)
{
	size_t i;

	for (i = 0; i < b->n_iov; i++) {
		const char *p = b->iov[i].iov_base;
		int left = (int)b->iov[i].iov_len;
		const struct nlmsghdr *nlh = (const void *)p;

		while (mnl_nlmsg_ok(nlh, left)) {
			if (nlh->nlmsg_seq == seq)
				return nlh;
			nlh = mnl_nlmsg_next(nlh, &left);
		}
	}
	return NULL;
}

/* The element an extack offset points into, as text (for the end of a
 * range: its start). */
static void nl_bad_elem(const struct nft_batch *b, uint32_t seq, uint32_t off,
			char *buf, size_t len)
{
	const struct nft_bmsg *d = nb_find(b, seq);
	const struct nlmsghdr *nlh = nl_batch_msg(b, seq);
	const struct nlattr *a, *el, *k, *v;
	struct nft_elem e;
	size_t klen;

	buf[0] = '\0';
	if (!d || !nlh || d->sid < 0 || !off || off >= nlh->nlmsg_len ||
	    (d->type != NFT_MSG_NEWSETELEM && d->type != NFT_MSG_DELSETELEM))
		return;
	klen = nft_set_keylen((enum nft_sid)d->sid);
	memset(&e, 0, sizeof(e));
	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_SET_ELEM_LIST_ELEMENTS)
			continue;
		mnl_attr_for_each_nested(el, a) {
			uint32_t s = (uint32_t)((const char *)el -
						(const char *)nlh);
			bool end = false, key = false;
			uint8_t kv[16];

			mnl_attr_for_each_nested(k, el) {
				if (mnl_attr_get_type(k) ==
					    NFTA_SET_ELEM_FLAGS &&
				    mnl_attr_get_payload_len(k) == 4)
					end = ntohl(mnl_attr_get_u32(k)) &
					      NFT_SET_ELEM_INTERVAL_END;
				if (mnl_attr_get_type(k) != NFTA_SET_ELEM_KEY)
					continue;
				v = mnl_attr_get_payload(k);
				if (mnl_attr_get_payload_len(v) != klen)
					return;
				memcpy(kv, mnl_attr_get_payload(v), klen);
				key = true;
			}
			if (key && !end)
				memcpy(e.lo, kv, klen);
			if (off < s || off >= s + el->nla_len)
				continue;
			if (!key)
				return;
			memcpy(e.hi, e.lo, 16);
			nft_elem_fmt(&e, nft_sets[d->sid].key, buf, len);
			return;
		}
	}
}

static void nl_report(struct nft_nl *nl, const struct nft_batch *b,
		      const struct nl_acks *k)
{
	char what[128], elem[64];

	nft_batch_describe(b, k->err_seq, what, sizeof(what));
	nl_bad_elem(b, k->err_seq, k->err_off, elem, sizeof(elem));
	/* ENFILE is how nf_tables says a set reached its size */
	pw_log(nl->h, LOG_ERR, "netlink: the kernel refused the batch at "
	       "'%s'%s%s%s: %s%s%s%s; nothing was changed", what,
	       elem[0] ? " (element " : "", elem, elem[0] ? ")" : "",
	       strerror(-k->err), k->err == -ENFILE ? " (the set is full)" :
	       "", k->msg[0] ? ": " : "", k->msg);
}

static int nl_read_acks(struct nft_nl *nl, struct nl_acks *k, int wait_ms)
{
	int fd = mnl_socket_get_fd(nl->sk);

	for (;;) {
		ssize_t n = recv(fd, nl->buf, NL_BUF, MSG_DONTWAIT);
		const struct nlmsghdr *nlh;
		int left;

		if (n < 0) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -errno;
			/* everything the kernel had to say is queued when
			 * sendmsg() returns; wait a little only if acks are
			 * still missing */
			if (k->err || k->acks >= nft_batch_msgs(k->b) ||
			    wait_ms <= 0)
				return 0;
			if (poll(&p, 1, wait_ms) <= 0)
				return 0;
			wait_ms = 0;
			continue;
		}
		nlh = (const void *)nl->buf;
		left = (int)n;
		while (mnl_nlmsg_ok(nlh, left)) {
			if (nlh->nlmsg_pid == nl->portid || !nlh->nlmsg_pid)
				nl_ack(k, nlh);
			nlh = mnl_nlmsg_next(nlh, &left);
		}
	}
}

int nft_nl_send(struct nft_nl *nl, struct nft_batch *b)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nl_acks k = { .b = b };
	struct msghdr mh = { 0 };
	struct iovec *iov;
	size_t n_iov, len, got;
	ssize_t sent;
	int err;

	err = nft_batch_iov(b, &iov, &n_iov, &len);
	if (err)
		return err;
	/* one send: the whole batch must fit in the send buffer, and every
	 * ack in the receive buffer, since the kernel answers all of them
	 * before sendmsg() returns */
	err = nl_sockbuf(nl, SO_SNDBUF, SO_SNDBUFFORCE, len + 4096, &got);
	if (!err)
		err = nl_sockbuf(nl, SO_RCVBUF, SO_RCVBUFFORCE,
				 (nft_batch_msgs(b) + 2) * NL_ACK_ROOM +
					 (64u << 10), &got);
	if (err) {
		pw_log(nl->h, LOG_ERR, "netlink: cannot raise the socket "
		       "buffers for a %zu-byte batch (%zu bytes allowed: "
		       "without CAP_NET_ADMIN, net.core.wmem_max and rmem_max "
		       "cap them): %s", len, got, strerror(-err));
		return err;
	}
	mh.msg_name = &sa;
	mh.msg_namelen = sizeof(sa);
	mh.msg_iov = iov;
	mh.msg_iovlen = n_iov;
	do {
		sent = sendmsg(mnl_socket_get_fd(nl->sk), &mh, 0);
	} while (sent < 0 && errno == EINTR);
	if (sent < 0) {
		err = -errno;
		pw_log(nl->h, LOG_ERR, "netlink: sending the %zu-byte batch "
		       "failed: %s; nothing was changed", len, strerror(errno));
		return err;
	}
	if ((size_t)sent != len) {
		pw_log(nl->h, LOG_ERR, "netlink: short send (%zd of %zu bytes)",
		       sent, len);
		return -EIO;
	}
	err = nl_read_acks(nl, &k, 1000);
	if (err == -ENOBUFS) {
		pw_log(nl->h, LOG_ERR, "netlink: acks were lost (receive "
		       "buffer overrun): cannot tell whether the kernel "
		       "applied the batch");
		return err;
	}
	if (err) {
		pw_log(nl->h, LOG_ERR, "netlink: reading the acks: %s",
		       strerror(-err));
		return err;
	}
	if (k.err) {
		if (k.err != -ERESTART)
			nl_report(nl, b, &k);
		return k.err;
	}
	if (k.acks != nft_batch_msgs(b)) {
		pw_log(nl->h, LOG_ERR, "netlink: %zu of %zu acks arrived: "
		       "cannot tell whether the kernel applied the batch",
		       k.acks, nft_batch_msgs(b));
		return -EPROTO;
	}
	return 0;
}

/* -- requests and dumps -- */

struct nl_req {
	int (*cb)(const struct nlmsghdr *nlh, void *data);
	void *data;
	bool intr;
};

static int nl_req_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_req *q = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		q->intr = true;
	return q->cb ? q->cb(nlh, q->data) : MNL_CB_OK;
}

/* Send one request and run cb on every answer.  0 or -errno. */
static int nl_request(struct nft_nl *nl, struct nlmsghdr *nlh,
		      int (*cb)(const struct nlmsghdr *, void *), void *data)
{
	struct nl_req q = { .cb = cb, .data = data };
	uint32_t seq = nlh->nlmsg_seq;
	int ret;

	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sk, nl->buf, NL_BUF);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		ret = mnl_cb_run(nl->buf, (size_t)n, seq, nl->portid,
				 nl_req_cb, &q);
		if (ret < 0)
			return errno ? -errno : -EIO;
		if (ret == MNL_CB_STOP)
			break;
	}
	return q.intr ? -EINTR : 0;
}

static struct nlmsghdr *nl_hdr(struct nft_nl *nl, uint16_t type,
			       uint16_t flags)
{
	return nftnl_nlmsg_build_hdr(nl->buf, type, NFPROTO_INET, flags,
				     ++nl->seq);
}

static int nl_gen_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == NFTA_GEN_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			*(uint32_t *)data = ntohl(mnl_attr_get_u32(a));
	}
	return MNL_CB_OK;
}

struct nl_state {
	const struct nft_cfg *cfg;
	struct nft_kstate *ks;
	unsigned chains;	/* hooks whose chain was found as wanted */
};

static void nl_incompatible(struct nft_kstate *ks, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void nl_incompatible(struct nft_kstate *ks, const char *fmt, ...)
{
	va_list ap;

	if (!ks->compatible)
		return;
	ks->compatible = false;
	va_start(ap, fmt);
	vsnprintf(ks->why, sizeof(ks->why), fmt, ap);
	va_end(ap);
}

static int nl_chain_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_state *st = data;
	struct nftnl_chain *c = nftnl_chain_alloc();
	const char *name, *table, *type;
	unsigned h;

	if (!c)
		return MNL_CB_ERROR;
	if (nftnl_chain_nlmsg_parse(nlh, c) < 0)
		goto out;
	table = nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE);
	name = nftnl_chain_get_str(c, NFTNL_CHAIN_NAME);
	if (!table || !name || strcmp(table, st->cfg->table))
		goto out;
	for (h = 0; h < 8; h++) {
		const char *hn = nft_hook_name(h);

		if (hn && !strcmp(hn, name) && (st->cfg->hooks & (1u << h)))
			break;
	}
	type = nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE);
	if (h == 8) {
		nl_incompatible(st->ks, "chain '%s' is not configured", name);
	} else if (!nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM) ||
		   nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM) != h ||
		   nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO) != st->cfg->prio ||
		   !type || strcmp(type, "filter") ||
		   nftnl_chain_get_u32(c, NFTNL_CHAIN_POLICY) != NF_ACCEPT) {
		nl_incompatible(st->ks, "chain '%s' has another hook, "
				"priority, type or policy", name);
	} else {
		st->chains |= 1u << h;
	}
out:
	nftnl_chain_free(c);
	return MNL_CB_OK;
}

static int nl_set_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_state *st = data;
	struct nftnl_set *s = nftnl_set_alloc();
	const char *name, *table;
	size_t i;

	if (!s)
		return MNL_CB_ERROR;
	if (nftnl_set_nlmsg_parse(nlh, s) < 0)
		goto out;
	table = nftnl_set_get_str(s, NFTNL_SET_TABLE);
	name = nftnl_set_get_str(s, NFTNL_SET_NAME);
	if (!table || !name || strcmp(table, st->cfg->table))
		goto out;
	for (i = 0; i < NFT_S_MAX; i++) {
		if (!strcmp(nft_sets[i].name, name))
			break;
	}
	if (i == NFT_S_MAX)
		goto out;	/* not ours to judge: left alone */
	if (nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN) !=
		    nft_set_keylen((enum nft_sid)i) ||
	    nftnl_set_get_u32(s, NFTNL_SET_FLAGS) !=
		    nft_set_flags((enum nft_sid)i) ||
	    (nft_sets[i].tier == NFT_T_OFFENDERS &&
	     nftnl_set_get_u64(s, NFTNL_SET_TIMEOUT) !=
		     st->cfg->offender_timeout_ms)) {
		nl_incompatible(st->ks, "set '%s' has another type, flags or "
				"timeout", name);
		goto out;
	}
	st->ks->set[i] = true;
out:
	nftnl_set_free(s);
	return MNL_CB_OK;
}

/* -- set elements, parsed with libmnl (counters included) -- */

struct nl_rec {
	uint8_t key[16];
	uint32_t flags;
	uint64_t timeout, expiration, packets, bytes;
};

struct nl_recs {
	size_t klen;
	struct nl_rec *v;
	size_t n, alloc;
	int err;
};

static void nl_rec_expr(const struct nlattr *x, struct nl_rec *r)
{
	const struct nlattr *a, *d = NULL;
	bool counter = false;

	mnl_attr_for_each_nested(a, x) {
		if (mnl_attr_get_type(a) == NFTA_EXPR_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			counter = !strcmp(mnl_attr_get_str(a), "counter");
		else if (mnl_attr_get_type(a) == NFTA_EXPR_DATA)
			d = a;
	}
	if (!counter || !d)
		return;
	mnl_attr_for_each_nested(a, d) {
		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			continue;
		if (mnl_attr_get_type(a) == NFTA_COUNTER_PACKETS)
			r->packets = be64toh(mnl_attr_get_u64(a));
		else if (mnl_attr_get_type(a) == NFTA_COUNTER_BYTES)
			r->bytes = be64toh(mnl_attr_get_u64(a));
	}
}

static int nl_rec_add(struct nl_recs *rs, const struct nlattr *el)
{
	const struct nlattr *a, *v, *x;
	struct nl_rec r;
	bool key = false;

	memset(&r, 0, sizeof(r));
	mnl_attr_for_each_nested(a, el) {
		switch (mnl_attr_get_type(a)) {
		case NFTA_SET_ELEM_KEY:
			v = mnl_attr_get_payload(a);
			if (mnl_attr_get_payload_len(a) < sizeof(*v) ||
			    mnl_attr_get_type(v) != NFTA_DATA_VALUE ||
			    mnl_attr_get_payload_len(v) != rs->klen)
				return 0;
			memcpy(r.key, mnl_attr_get_payload(v), rs->klen);
			key = true;
			break;
		case NFTA_SET_ELEM_FLAGS:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				r.flags = ntohl(mnl_attr_get_u32(a));
			break;
		case NFTA_SET_ELEM_TIMEOUT:
			if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
				r.timeout = be64toh(mnl_attr_get_u64(a));
			break;
		case NFTA_SET_ELEM_EXPIRATION:
			if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
				r.expiration = be64toh(mnl_attr_get_u64(a));
			break;
		case NFTA_SET_ELEM_EXPR:
			nl_rec_expr(a, &r);
			break;
		case NFTA_SET_ELEM_EXPRESSIONS:
			mnl_attr_for_each_nested(x, a)
				nl_rec_expr(x, &r);
			break;
		default:
			break;
		}
	}
	if (!key)
		return 0;
	if (rs->n == rs->alloc) {
		size_t na = rs->alloc ? rs->alloc * 2 : 256;
		struct nl_rec *nv = realloc(rs->v, na * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		rs->v = nv;
		rs->alloc = na;
	}
	rs->v[rs->n++] = r;
	return 0;
}

static int nl_elems_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_recs *rs = data;
	const struct nlattr *a, *el;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_SET_ELEM_LIST_ELEMENTS)
			continue;
		mnl_attr_for_each_nested(el, a) {
			rs->err = nl_rec_add(rs, el);
			if (rs->err)
				return MNL_CB_ERROR;
		}
	}
	return MNL_CB_OK;
}

static int nl_rec_cmp(const void *a, const void *b)
{
	const struct nl_rec *x = a, *y = b;
	int c = memcmp(x->key, y->key, 16);
	bool xe = x->flags & NFT_SET_ELEM_INTERVAL_END;
	bool ye = y->flags & NFT_SET_ELEM_INTERVAL_END;

	if (c)
		return c;
	/* at one key, the end of a range sorts before the next start */
	return (int)ye - (int)xe;
}

/* Turn start/end records into ranges and hand them out in key order. */
static int nl_recs_emit(struct nl_recs *rs, bool interval, nft_kelem_cb cb,
			void *ctx)
{
	size_t i = 0;
	int err = 0;

	if (rs->n)
		qsort(rs->v, rs->n, sizeof(*rs->v), nl_rec_cmp);
	while (i < rs->n && !err) {
		const struct nl_rec *r = &rs->v[i];
		struct nft_kelem ke;

		memset(&ke, 0, sizeof(ke));
		if (interval && (r->flags & NFT_SET_ELEM_INTERVAL_END)) {
			i++;	/* an end with no start (nft's leading 0) */
			continue;
		}
		memcpy(ke.e.lo, r->key, 16);
		ke.e.timeout_ms = r->timeout;
		ke.expires_ms = r->expiration;
		ke.packets = r->packets;
		ke.bytes = r->bytes;
		if (!interval) {
			memcpy(ke.e.hi, r->key, 16);
			i++;
		} else if (i + 1 < rs->n &&
			   (rs->v[i + 1].flags & NFT_SET_ELEM_INTERVAL_END)) {
			memcpy(ke.e.hi, rs->v[i + 1].key, 16);
			nft_key_prev(ke.e.hi, rs->klen);
			i += 2;
		} else {
			/* no end: the range runs to the last key */
			memset(ke.e.hi, 0xff, rs->klen);
			i++;
		}
		err = cb(ctx, &ke);
	}
	return err;
}

int nft_nl_read_elems(struct nft_nl *nl, const struct nft_cfg *cfg,
		      enum nft_sid id, nft_kelem_cb cb, void *ctx)
{
	struct nl_recs rs = { .klen = nft_set_keylen(id) };
	struct nlmsghdr *nlh;
	int err, tries = NL_RETRIES;

	do {
		rs.n = 0;
		nlh = nl_hdr(nl, NFT_MSG_GETSETELEM, NLM_F_DUMP | NLM_F_ACK);
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, cfg->table);
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET,
				  nft_sets[id].name);
		err = nl_request(nl, nlh, nl_elems_cb, &rs);
		if (rs.err)
			err = rs.err;
	} while (err == -EINTR && --tries);
	if (!err)
		err = nl_recs_emit(&rs, nft_set_flags(id) & NFT_SET_INTERVAL,
				   cb, ctx);
	free(rs.v);
	return err;
}

struct nl_collect {
	struct nft_elem *v;
	size_t n, alloc;
};

static int nl_collect_cb(void *ctx, const struct nft_kelem *ke)
{
	struct nl_collect *c = ctx;

	if (c->n == c->alloc) {
		size_t na = c->alloc ? c->alloc * 2 : 64;
		struct nft_elem *nv = realloc(c->v, na * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		c->v = nv;
		c->alloc = na;
	}
	c->v[c->n] = ke->e;
	c->v[c->n++].timeout_ms = ke->expires_ms;
	return 0;
}

void nft_kstate_free(struct nft_kstate *ks)
{
	size_t i;

	for (i = 0; i < NFT_S_MAX; i++) {
		free(ks->emerg[i]);
		ks->emerg[i] = NULL;
		ks->n_emerg[i] = 0;
	}
}

static int nl_read_state_once(struct nft_nl *nl, const struct nft_cfg *cfg,
			      struct nft_kstate *ks)
{
	struct nl_state st = { .cfg = cfg, .ks = ks };
	struct nlmsghdr *nlh;
	size_t i;
	int err;

	nft_kstate_free(ks);
	memset(ks, 0, sizeof(*ks));
	nlh = nl_hdr(nl, NFT_MSG_GETGEN, NLM_F_ACK);
	err = nl_request(nl, nlh, nl_gen_cb, &ks->genid);
	if (err)
		return err;
	nlh = nl_hdr(nl, NFT_MSG_GETTABLE, NLM_F_ACK);
	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, cfg->table);
	err = nl_request(nl, nlh, NULL, NULL);
	if (err == -ENOENT)
		return 0;
	if (err)
		return err;
	ks->table = true;
	ks->compatible = true;
	nlh = nl_hdr(nl, NFT_MSG_GETCHAIN, NLM_F_DUMP | NLM_F_ACK);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, cfg->table);
	err = nl_request(nl, nlh, nl_chain_cb, &st);
	if (err)
		return err;
	if (st.chains != cfg->hooks)
		nl_incompatible(ks, "a chain of `hooks` is missing");
	nlh = nl_hdr(nl, NFT_MSG_GETSET, NLM_F_DUMP | NLM_F_ACK);
	mnl_attr_put_strz(nlh, NFTA_SET_TABLE, cfg->table);
	err = nl_request(nl, nlh, nl_set_cb, &st);
	if (err || !ks->compatible)
		return err;
	for (i = 0; i < NFT_S_MAX && !err; i++) {
		struct nl_collect c = { 0 };

		if (nft_sets[i].tier != NFT_T_EMERG || !ks->set[i])
			continue;
		err = nft_nl_read_elems(nl, cfg, (enum nft_sid)i,
					nl_collect_cb, &c);
		ks->emerg[i] = c.v;
		ks->n_emerg[i] = c.n;
	}
	return err;
}

int nft_nl_read_state(struct nft_nl *nl, const struct nft_cfg *cfg,
		      struct nft_kstate *ks)
{
	int err, tries = NL_RETRIES;

	do {
		err = nl_read_state_once(nl, cfg, ks);
	} while (err == -EINTR && --tries);
	if (err)
		pw_log(nl->h, LOG_ERR, "netlink: reading table inet %s: %s",
		       cfg->table, strerror(-err));
	return err;
}

struct nl_ctrs {
	const struct nft_cfg *cfg;
	nft_counter_cb cb;
	void *ctx;
	int err;
};

static int nl_obj_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_ctrs *c = data;
	struct nftnl_obj *o = nftnl_obj_alloc();
	const char *table, *name;

	if (!o)
		return MNL_CB_ERROR;
	if (nftnl_obj_nlmsg_parse(nlh, o) >= 0 &&
	    nftnl_obj_get_u32(o, NFTNL_OBJ_TYPE) == NFT_OBJECT_COUNTER) {
		table = nftnl_obj_get_str(o, NFTNL_OBJ_TABLE);
		name = nftnl_obj_get_str(o, NFTNL_OBJ_NAME);
		if (table && name && !strcmp(table, c->cfg->table) && !c->err)
			c->err = c->cb(c->ctx, name,
				       nftnl_obj_get_u64(o, NFTNL_OBJ_CTR_PKTS),
				       nftnl_obj_get_u64(o,
							 NFTNL_OBJ_CTR_BYTES));
	}
	nftnl_obj_free(o);
	return c->err ? MNL_CB_ERROR : MNL_CB_OK;
}

int nft_nl_read_counters(struct nft_nl *nl, const struct nft_cfg *cfg,
			 nft_counter_cb cb, void *ctx)
{
	struct nl_ctrs c = { .cfg = cfg, .cb = cb, .ctx = ctx };
	struct nlmsghdr *nlh;
	int err;

	nlh = nl_hdr(nl, NFT_MSG_GETOBJ, NLM_F_DUMP | NLM_F_ACK);
	mnl_attr_put_strz(nlh, NFTA_OBJ_TABLE, cfg->table);
	mnl_attr_put_u32(nlh, NFTA_OBJ_TYPE, htonl(NFT_OBJECT_COUNTER));
	err = nl_request(nl, nlh, nl_obj_cb, &c);
	return c.err ? c.err : err;
}

/* ---- what the plugin calls ---- */

int nft_nl_push(struct nft_run *r, const struct nft_elembatch *eb,
		bool flush_emerg)
{
	struct nft_elembatch *own = NULL;
	struct nft_kstate ks = { 0 };
	struct nft_batch *b = NULL;
	struct nft_nl *nl = NULL;
	int err, tries = NL_RETRIES;
	size_t len = 0, n_iov;
	struct iovec *iov;

	if (!eb) {
		err = nft_elems_build(&own, r);
		if (err)
			return err;
		eb = own;
	}
	err = nft_nl_open(&nl, r->h);
	if (err)
		goto out;
	do {
		err = nft_nl_read_state(nl, r->cfg, &ks);
		if (err)
			break;
		if (ks.table && !ks.compatible)
			pw_log(r->h, LOG_NOTICE, "table inet %s is not as "
			       "configured (%s): replacing it; its counters, "
			       "offender sets and emergency elements start "
			       "again", r->cfg->table, ks.why);
		nft_batch_free(b);
		b = NULL;
		err = nft_batch_refresh(&b, r, eb, &ks, flush_emerg);
		if (err) {
			pw_log(r->h, LOG_ERR, "netlink: building the batch: %s",
			       strerror(-err));
			break;
		}
		err = nft_nl_send(nl, b);
		if (err == -ERESTART)
			pw_log(r->h, LOG_INFO, "the ruleset changed while the "
			       "batch was built: again");
	} while (err == -ERESTART && --tries);
	if (!err) {
		nft_batch_iov(b, &iov, &n_iov, &len);
		pw_log(r->h, LOG_INFO, "pushed table inet %s: %lu element "
		       "records in %zu messages, %zu bytes, one transaction",
		       r->cfg->table, b->elems + eb->b->elems,
		       nft_batch_msgs(b), len);
	}
out:
	nft_kstate_free(&ks);
	nft_batch_free(b);
	nft_elembatch_free(own);
	nft_nl_close(nl);
	return err;
}

struct nl_hold {
	struct nft_elems v[NFT_S_MAX];
};

static int nl_hold_cb(void *ctx, enum nft_sid id, const struct nft_elem *e)
{
	struct nl_hold *h = ctx;

	if (nft_sets[id].tier != NFT_T_EMERG)
		return 0;
	return nft_elems_push(&h->v[id], e);
}

static int nl_kcollect_cb(void *ctx, const struct nft_kelem *ke)
{
	return nft_elems_push(ctx, &ke->e);
}

/* The kernel's elements equal to one of the wanted; tell the others. */
static int nl_exact(struct pw_host *h, enum nft_sid id,
		    const struct nft_elems *k, const struct nft_elems *want,
		    struct nft_elems *del)
{
	size_t klen = nft_set_keylen(id), i, j = 0;
	char txt[2 * INET6_ADDRSTRLEN + 8];
	int err = 0;

	for (i = 0; i < want->n && !err; i++) {
		const struct nft_elem *w = &want->v[i];

		while (j < k->n && memcmp(k->v[j].lo, w->lo, klen) < 0)
			j++;
		if (j < k->n && !memcmp(k->v[j].lo, w->lo, klen) &&
		    !memcmp(k->v[j].hi, w->hi, klen)) {
			err = nft_elems_push(del, &k->v[j]);
			continue;
		}
		if (!nft_elem_fmt(w, nft_sets[id].key, txt, sizeof(txt)))
			pw_log(h, LOG_NOTICE, "%s is not in set %s", txt,
			       nft_sets[id].name);
	}
	return err;
}

int nft_nl_emerg(struct nft_run *r, bool del)
{
	const struct nft_cfg *cfg = r->cfg;
	struct nl_hold *hold = calloc(1, sizeof(*hold));
	struct nft_batch *b = NULL;
	struct nft_nl *nl = NULL;
	struct nlmsghdr *nlh;
	size_t i, want = 0;
	int k, err = 0;

	if (!hold)
		return -ENOMEM;
	for (k = NFT_KEY_V4; k <= NFT_KEY_PORT && !err; k++)
		err = nft_elems_walk(r, (enum nft_key)k, nl_hold_cb, hold,
				     NULL);
	for (i = 0; i < NFT_S_MAX; i++)
		want += hold->v[i].n;
	if (err || !want)
		goto out;
	err = nft_nl_open(&nl, r->h);
	if (err)
		goto out;
	nlh = nl_hdr(nl, NFT_MSG_GETTABLE, NLM_F_ACK);
	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, cfg->table);
	err = nl_request(nl, nlh, NULL, NULL);
	if (err == -ENOENT && del) {
		pw_log(r->h, LOG_NOTICE, "table inet %s does not exist: "
		       "nothing to remove", cfg->table);
		err = 0;
		goto out;
	}
	if (err == -ENOENT) {
		pw_log(r->h, LOG_NOTICE, "table inet %s does not exist: "
		       "creating it with the emergency entries (the next "
		       "update fills the rest)", cfg->table);
		nft_nl_close(nl);
		nl = NULL;
		err = nft_nl_push(r, NULL, false);
		goto out;
	}
	if (err) {
		pw_log(r->h, LOG_ERR, "netlink: reading table inet %s: %s",
		       cfg->table, strerror(-err));
		goto out;
	}
	err = nb_new(&b, cfg, true, 0, 1);
	for (i = 0; i < NFT_S_MAX && !err; i++) {
		struct nft_elems kern = { 0 }, dels = { 0 };
		enum nft_sid id = (enum nft_sid)i;

		if (!hold->v[i].n)
			continue;
		/* only the emergency set is read: a few elements, whatever
		 * the size of the feed sets */
		err = nft_nl_read_elems(nl, cfg, id, nl_kcollect_cb, &kern);
		if (err) {
			pw_log(r->h, LOG_ERR, "netlink: reading set %s of "
			       "table inet %s: %s%s", nft_sets[i].name,
			       cfg->table,
			       strerror(-err), err == -ENOENT ?
			       " (`poolwall update` rebuilds it)" : "");
		} else if (del) {
			err = nl_exact(r->h, id, &kern, &hold->v[i], &dels);
		} else {
			err = nb_overlaps(kern.v, kern.n, hold->v[i].v,
					  hold->v[i].n, nft_set_keylen(id),
					  &dels);
		}
		if (!err && dels.n)
			err = nb_elems_array(b, id, dels.v, dels.n, true);
		if (!err && !del)
			err = nb_elems_array(b, id, hold->v[i].v,
					     hold->v[i].n, false);
		nft_elems_free(&kern);
		nft_elems_free(&dels);
	}
	if (err || !nft_batch_msgs(b))
		goto out;
	err = nb_finish(b);
	if (!err)
		err = nft_nl_send(nl, b);
	if (!err)
		pw_log(r->h, LOG_INFO, "%s %zu emergency entr%s %s table inet "
		       "%s", del ? "removed" : "added", want,
		       want == 1 ? "y" : "ies", del ? "from" : "to",
		       cfg->table);
out:
	for (i = 0; i < NFT_S_MAX; i++)
		nft_elems_free(&hold->v[i]);
	free(hold);
	nft_batch_free(b);
	nft_nl_close(nl);
	return err;
}
