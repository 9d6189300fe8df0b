#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers for the integration tests of the squid, openioc, stix and
suricata outputs.

  pw_outputs.py inputs CORPUS        print the -i arguments for the corpus
  pw_outputs.py hostile DIR          write hostile feeds into DIR and print
                                     their -i arguments
  pw_outputs.py openioc-check XML IOC [TERMS_DIR]
                                     check an OpenIOC document against the
                                     set it came from (`ioc` output) and the
                                     OpenIOC term dictionaries
  pw_outputs.py stix-check FILE...   check STIX 2.1 bundles (TAP lines)
  pw_outputs.py pcap FILE            write the stratum test capture
"""
import json
import os
import re
import struct
import sys

# every feed and IoC file of the shared corpus, with the format it is in
CORPUS_INPUTS = """
hosts feeds/coinblockerlists/hosts
hosts feeds/coinblockerlists/hosts_browser
hosts feeds/coinblockerlists/hosts_optional
hosts feeds/nocoin/hosts.txt
hosts feeds/blocklistproject/crypto.txt
domains feeds/coinblockerlists/list.txt
domains feeds/coinblockerlists/list_browser.txt
domains feeds/coinblockerlists/list_optional.txt
domains feeds/blocklistproject/crypto-nl.txt
domains feeds/akamai/dhpcd_mining_pool_domains.txt
domains feeds/unit42/coinhive_top_domains.txt
adblock feeds/nocoin/nocoin.txt
adblock feeds/blocklistproject/crypto-ags.txt
adblock feeds/coinblockerlists/list_browser_UBO.txt
netset feeds/coinblockerlists/MiningServerIPList.txt
netset feeds/firehol-coinbl/coinbl_hosts.ipset
netset feeds/firehol-coinbl/coinbl_ips.ipset
text feeds/maltrail/crypto_mining.txt
text feeds/unit42/6908_of_8712_coin_mining_urls_in_pandb.txt
text iocs/akamai/cryptominers_part2_ioc.md
text iocs/akamai/dhpcd_hash_list.txt
text iocs/avast/Crackonosh_network.txt
text iocs/avast/GuptiMiner_xmrig.txt
text iocs/lacework/h2miner.csv
text iocs/lacework/8220_pwnrig_tsunami.csv
text iocs/lacework/teamtnt.csv
text iocs/maltrail/elf_coinminer.txt
text iocs/sophos/malware-MyKings-v2.csv
text iocs/signature-base/hash-iocs.txt
"""

# Every hostile line below contains "evil" and every good line does not: no
# output may contain "evil", escaped or not, since the core must refuse each
# of those lines as a whole.  Hostile provenance (incident=, sources=) is
# cleaned instead: "xss" may only appear followed by "_".

def cmd_inputs(corpus):
    for line in CORPUS_INPUTS.split("\n"):
        if not line.strip():
            continue
        fmt, path = line.split()
        full = os.path.join(corpus, path)
        if os.path.exists(full):
            print("-i %s:%s" % (fmt, full))


def cmd_hostile(d):
    """Feeds a hostile or broken source could send.  Good lines prove that
    each feed itself was read."""
    os.makedirs(d, exist_ok=True)
    evil = [
        'evil"quote.example.test',
        "evil;semi.example.test",
        "evil\\back.example.test",
        "evil<tag>.example.test",
        "evil&amp.example.test",
        "evil'apos.example.test",
        "evil{brace}.example.test",
        "evil|pipe|.example.test",
        "evil$dollar.example.test",
        "evil%25pct.example.test",
        "evil)paren.example.test",
        "evil\x00nul.example.test",
        "evil\x01ctl.example.test",
        "evil\x7fdel.example.test",
        "evil\xffbyte.example.test",
        "evil/slash.example.test",
        "evil:colon.example.test",
        "evil,comma.example.test",
        "evil=equal.example.test",
        "evil#hash.example.test",
    ]
    good = [b"good-1.example.test", b"good-2.example.net"]
    with open(os.path.join(d, "hostile.domains"), "wb") as f:
        f.write(good[0] + b"\n")
        for e in evil:
            f.write(e.encode("latin-1") + b"\n")
        f.write(b'evil.test"; sid:1; http_access allow all\n')
    with open(os.path.join(d, "hostile.hosts"), "wb") as f:
        f.write(b"0.0.0.0 " + good[1] + b"\n")
        for e in evil:
            f.write(b"0.0.0.0 " + e.encode("latin-1") + b"\n")
    with open(os.path.join(d, "hostile.ioc"), "wb") as f:
        f.write(b"domain good-3.example.test incident=IR-7\n")
        for e in evil:
            f.write(b"domain " + e.encode("latin-1") + b"\n")
            f.write(b"url stratum+tcp://" + e.encode("latin-1") +
                    b":3333\n")
        f.write(b"wallet 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3X"
                b"jrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A;evil\n")
        f.write(b'wallet "evil44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7o'
                b'tXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3\n')
        f.write(b"hash <evil>0123456789abcdef0123456789abcdef\n")
        f.write(b"hash 0123456789abcdef0123456789abcdef;evil\n")
        f.write(b"ipv4 192.0.2.1;evil\n")
        f.write(b"ipv6 2001:db8::1\"evil\n")
        f.write(b"port tcp/3333;evil\n")
        f.write(b"port evil/3333\n")
        # provenance is cleaned by the core, not refused: what is left of
        # "xss" must be followed by "_"
        f.write(b'domain good-4.example.test incident=IR"<xss>&amp;\n')
        f.write(b"domain good-5.example.test sources=x'</xss>\n")
    with open(os.path.join(d, "hostile.txt"), "wb") as f:
        f.write(b"The miner used stratum+tcp://good-6.example.com:4444 "
                b"and hxxp://evil\"quote[.]example[.]test/x and "
                b"evil<b>[.]example[.]test.\n")
    for fmt, name in (("domains", "hostile.domains"),
                      ("hosts", "hostile.hosts"), ("ioc", "hostile.ioc"),
                      ("text", "hostile.txt")):
        print("-i %s:%s" % (fmt, os.path.join(d, name)))


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, desc, diag=None):
        self.n += 1
        print("%sok %d - %s" % ("" if cond else "not ", self.n, desc))
        if not cond:
            self.failed += 1
            for line in (diag or [])[:10]:
                print("# " + str(line))
        return cond

    def done(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def load_terms(d):
    """Context/@search -> display-type, from the .iocterms dictionaries
    (current.iocterms has a comment before its XML declaration)."""
    import xml.etree.ElementTree as ET
    terms = {}
    for name in ("current.iocterms", "eventitem.iocterms"):
        with open(os.path.join(d, name), "rb") as f:
            data = f.read()
        start = data.find(b"<?xml")
        root = ET.fromstring(data[start:])
        for el in root.iter():
            if el.tag.endswith("iocterm") and el.get("text"):
                terms[el.get("text")] = el.get("display-type")
    return terms


def ioc_prefixes(path):
    import ipaddress
    nets = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "ipv4":
                nets.append(ipaddress.ip_network(parts[1]))
    return nets


def openioc_check(args):
    import ipaddress
    import random
    import xml.etree.ElementTree as ET
    t = Tap()
    ns = "{http://openioc.org/schemas/OpenIOC_1.1}"
    root = ET.parse(args[0]).getroot()
    items = list(root.iter(ns + "IndicatorItem"))
    t.ok(len(items) > 0, "the document has %d items" % len(items))
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    import collections
    dup = [i for i, n in collections.Counter(ids).items() if n > 1]
    t.ok(not dup, "all %d ids are unique" % len(ids), dup)
    uuid_re = re.compile(
        r"^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
        r"[0-9a-f]{12}$")
    bad = [i for i in ids if not uuid_re.match(i)]
    t.ok(not bad, "every id is a version 5 UUID", bad)
    refs = set(ids)
    bad = [p.get("ref-id") for p in root.iter(ns + "param")
           if p.get("ref-id") not in refs]
    t.ok(not bad, "every parameter refers to an element of the document",
         bad)
    if len(args) > 2 and os.path.isdir(args[2]):
        terms = load_terms(args[2])
        bad = []
        for it in items:
            ctx = it.find(ns + "Context")
            con = it.find(ns + "Content")
            search = ctx.get("search")
            if search not in terms:
                bad.append("unknown term " + search)
            elif terms[search] != con.get("type"):
                bad.append("%s: Content type %s, term says %s" %
                           (search, con.get("type"), terms[search]))
            if ctx.get("document") != search.split("/")[0]:
                bad.append("document %s for %s" % (ctx.get("document"),
                                                   search))
            want = "event" if search[0].islower() else "mir"
            if ctx.get("type") != want:
                bad.append("type %s for %s" % (ctx.get("type"), search))
        t.ok(not bad, "every term is in the OpenIOC dictionaries with its "
             "content type", bad)
    # each IPv4 prefix of the set: one regular expression that matches
    # exactly its addresses
    regexes = [re.compile(it.find(ns + "Content").text) for it in items
               if it.get("condition") == "matches" and
               it.find(ns + "Context").get("search") == "PortItem/remoteIP"]
    nets = [n for n in ioc_prefixes(args[1]) if n.prefixlen < 32]
    rnd = random.Random(7)
    bad = []
    for n in nets:
        first = int(n.network_address)
        last = int(n.broadcast_address)
        rx = [r for r in regexes
              if r.match(str(ipaddress.IPv4Address(first)))]
        if len(rx) != 1:
            bad.append("%s: %d regexes match its first address" %
                       (n, len(rx)))
            continue
        r = rx[0]
        inside = [first, last] + [rnd.randint(first, last)
                                  for _ in range(20)]
        outside = [a for a in (first - 1, last + 1) if 0 <= a < 2 ** 32]
        for a in inside:
            if not r.match(str(ipaddress.IPv4Address(a))):
                bad.append("%s: %s misses %s" % (n, r.pattern,
                                                 ipaddress.IPv4Address(a)))
        for a in outside:
            if r.match(str(ipaddress.IPv4Address(a))):
                bad.append("%s: %s matches %s" % (n, r.pattern,
                                                  ipaddress.IPv4Address(a)))
    t.ok(not bad, "each of the %d IPv4 prefixes has one regular expression "
         "matching exactly its addresses" % len(nets), bad)
    return t.done()


# ---- STIX 2.1 ---------------------------------------------------------------

UUID_RE = (r"[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-"
           r"[0-9a-f]{12}")
TYPE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$")
TS_MS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
SCO_NS = "00abedb4-aa42-466c-9c01-fed23315a9b7"
POOLWALL_NS = "fbb73b35-cca0-5bb2-a2b5-223cffd85ae8"
SDO_TYPES = {"identity", "indicator", "relationship"}
INDICATOR_TYPES = {"anomalous-activity", "anonymization", "benign",
                   "compromised", "malicious-activity", "attribution",
                   "unknown"}
IDENTITY_CLASSES = {"individual", "group", "system", "organization",
                    "class", "unknown"}
# the object paths poolwall emits, with a check of their values
HASH_LEN = {"MD5": 32, "SHA-1": 40, "SHA-256": 64}


class PatternError(Exception):
    pass


def stix_tokens(text):
    tok_re = re.compile(r"""
        (?P<ws>\s+)|
        (?P<str>'(?:[^'\\]|\\['\\])*')|
        (?P<num>-?\d+(?:\.\d+)?)|
        (?P<op><=|>=|!=|=|<|>)|
        (?P<punct>[\[\]():.,*])|
        (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
    """, re.X)
    pos, out = 0, []
    while pos < len(text):
        m = tok_re.match(text, pos)
        if not m:
            raise PatternError("bad character at %d: %r" % (pos,
                                                           text[pos:pos + 10]))
        pos = m.end()
        kind = m.lastgroup
        if kind == "ws":
            continue
        val = m.group()
        if kind == "str":
            val = re.sub(r"\\(.)", r"\1", val[1:-1])
        out.append((kind, val))
    return out


class PatternParser:
    """Recursive descent over the STIX 2.1 patterning grammar (the
    constructs of a comparison expression; qualifiers are not emitted)."""

    def __init__(self, text):
        self.t = stix_tokens(text)
        self.i = 0
        self.tests = []

    def peek(self, kind=None, val=None):
        if self.i >= len(self.t):
            return False
        k, v = self.t[self.i]
        return (kind is None or k == kind) and (val is None or v == val)

    def take(self, kind=None, val=None):
        if not self.peek(kind, val):
            got = self.t[self.i] if self.i < len(self.t) else "end"
            raise PatternError("expected %s %s, got %s" % (kind, val, got))
        self.i += 1
        return self.t[self.i - 1][1]

    def parse(self):
        self.obs_or()
        if self.i != len(self.t):
            raise PatternError("trailing tokens %r" % (self.t[self.i:],))
        return self.tests

    def obs_or(self):
        self.obs_and()
        while self.peek("word", "OR") or self.peek("word", "FOLLOWEDBY"):
            self.take()
            self.obs_and()

    def obs_and(self):
        self.obs_atom()
        while self.peek("word", "AND"):
            self.take()
            self.obs_atom()

    def obs_atom(self):
        if self.peek("punct", "("):
            self.take()
            self.obs_or()
            self.take("punct", ")")
            return
        self.take("punct", "[")
        self.cmp_or()
        self.take("punct", "]")

    def cmp_or(self):
        self.cmp_and()
        while self.peek("word", "OR"):
            self.take()
            self.cmp_and()

    def cmp_and(self):
        self.prop_test()
        while self.peek("word", "AND"):
            self.take()
            self.prop_test()

    def path(self):
        otype = self.take("word")
        if not TYPE_RE.match(otype):
            raise PatternError("bad object type %r" % otype)
        self.take("punct", ":")
        comps = [self.take("word") if self.peek("word") else
                 self.take("str")]
        while self.peek("punct", ".") or self.peek("punct", "["):
            if self.take() == ".":
                comps.append(self.take("word") if self.peek("word") else
                             self.take("str"))
            else:
                comps.append("[%s]" % (self.take("punct", "*")
                                       if self.peek("punct", "*")
                                       else self.take("num")))
                self.take("punct", "]")
        return otype, comps

    def prop_test(self):
        if self.peek("punct", "("):
            self.take()
            self.cmp_or()
            self.take("punct", ")")
            return
        path = self.path()
        neg = False
        if self.peek("word", "NOT"):
            self.take()
            neg = True
        if self.peek("op"):
            op = self.take()
            if self.peek("num"):
                val = int(self.take())
            else:
                val = self.take("str")
        elif self.peek("word") and self.t[self.i][1] in (
                "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET"):
            op = self.take()
            val = self.take("str")
        else:
            raise PatternError("expected a comparison after %r" % (path,))
        self.tests.append((path, neg, op, val))


def stix_value_check(path, op, val):
    """Semantic checks of the object paths poolwall emits."""
    import ipaddress
    otype, comps = path
    key = otype + ":" + ".".join(comps)
    if key == "domain-name:value":
        if op == "=":
            ok = re.match(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)+$", val)
        elif op == "LIKE":
            ok = re.match(r"^%\.[a-z0-9-]+(\.[a-z0-9-]+)+$", val)
        elif op == "MATCHES":
            re.compile(val)
            ok = val.startswith("^") and val.endswith("$")
        else:
            ok = False
    elif key in ("ipv4-addr:value", "ipv6-addr:value"):
        cls = ipaddress.IPv4Network if otype == "ipv4-addr" else \
            ipaddress.IPv6Network
        if op == "=":
            ok = "/" not in val and cls(val, strict=True)
        elif op == "ISSUBSET":
            ok = "/" in val and cls(val, strict=True)
        else:
            ok = False
    elif key == "network-traffic:dst_port":
        ok = op in ("=", ">=", "<=") and isinstance(val, int) and \
            1 <= val <= 65535
    elif key == "network-traffic:protocols.[*]":
        ok = op == "=" and val in ("tcp", "udp")
    elif key == "url:value":
        ok = op == "=" and re.match(r"^[a-z][a-z0-9+.-]*://\S+$", val)
    elif key.startswith("file:hashes."):
        alg = comps[1]
        ok = op == "=" and alg in HASH_LEN and \
            re.match(r"^[0-9a-f]{%d}$" % HASH_LEN[alg], val)
    elif key == "process:command_line":
        ok = op == "LIKE" and re.match(r"^%[0-9A-Za-z]+%$", val)
    else:
        raise PatternError("unexpected object path %s" % key)
    if not ok:
        raise PatternError("bad value for %s %s %r" % (key, op, val))


def stix_check_bundle(path, t):
    import uuid
    with open(path) as f:
        b = json.load(f)
    name = os.path.basename(path)
    problems = []

    def bad(obj, msg):
        problems.append("%s: %s" % (obj.get("id", "?"), msg))

    t.ok(b.get("type") == "bundle" and
         re.match("^bundle--" + UUID_RE + "$", b.get("id", "")) and
         isinstance(b.get("objects"), list) and "spec_version" not in b,
         "%s: a bundle with an id and objects" % name)
    objs = b.get("objects", [])
    ids = {}
    for o in objs:
        if o.get("id") in ids:
            bad(o, "duplicate id")
        ids[o.get("id")] = o
    counts = {}
    for o in objs:
        ty = o.get("type", "")
        counts[ty] = counts.get(ty, 0) + 1
        if not TYPE_RE.match(ty):
            bad(o, "bad type %r" % ty)
        m = re.match("^([a-z0-9-]+)--(" + UUID_RE + ")$", o.get("id", ""))
        if not m or m.group(1) != ty:
            bad(o, "id does not match <type>--<uuid>")
        if o.get("spec_version") != "2.1":
            bad(o, "spec_version is not 2.1")
        if ty in SDO_TYPES:
            for k in ("created", "modified"):
                if not TS_MS_RE.match(o.get(k, "")):
                    bad(o, "%s is not a millisecond UTC timestamp" % k)
            if o.get("modified", "") < o.get("created", ""):
                bad(o, "modified before created")
            if ty != "identity":
                ref = ids.get(o.get("created_by_ref"))
                if not ref or ref.get("type") != "identity":
                    bad(o, "created_by_ref is not an identity of the bundle")
        if ty == "identity":
            if not o.get("name") or \
                    o.get("identity_class") not in IDENTITY_CLASSES:
                bad(o, "identity without name or identity_class")
        elif ty == "indicator":
            for k in ("pattern", "pattern_type", "valid_from"):
                if k not in o:
                    bad(o, "missing %s" % k)
            if o.get("pattern_type") != "stix" or \
                    o.get("pattern_version") != "2.1":
                bad(o, "pattern_type/pattern_version")
            if not TS_MS_RE.match(o.get("valid_from", "")):
                bad(o, "valid_from format")
            if "valid_until" in o and not (
                    TS_MS_RE.match(o["valid_until"]) and
                    o["valid_until"] > o.get("valid_from", "")):
                bad(o, "valid_until not after valid_from")
            if not set(o.get("indicator_types", [])) <= INDICATOR_TYPES or \
                    not o.get("indicator_types"):
                bad(o, "indicator_types %r" % o.get("indicator_types"))
            for lab in o.get("labels", []):
                if not isinstance(lab, str) or not lab:
                    bad(o, "label %r" % lab)
            for r in o.get("external_references", []):
                if not r.get("source_name") or not (
                        r.get("external_id") or r.get("url")):
                    bad(o, "external reference %r" % r)
            try:
                tests = PatternParser(o.get("pattern", "")).parse()
                for path_, neg, op, val in tests:
                    stix_value_check(path_, op, val)
            except (PatternError, ValueError, re.error) as e:
                bad(o, "pattern %r: %s" % (o.get("pattern"), e))
            want = "indicator--%s" % uuid.uuid5(
                uuid.UUID(POOLWALL_NS), "stix\nindicator\n" + o["pattern"])
            if o["id"] != want:
                bad(o, "id is not the UUIDv5 of its pattern")
        elif ty == "relationship":
            if not re.match(r"^[a-z0-9-]+$", o.get("relationship_type", "")):
                bad(o, "relationship_type")
            for k in ("source_ref", "target_ref"):
                if o.get(k) not in ids:
                    bad(o, "%s is not in the bundle" % k)
        elif ty == "cryptocurrency-wallet":
            if "created" in o or "modified" in o:
                bad(o, "an SCO has no created/modified")
            v = o.get("value", "")
            want = "cryptocurrency-wallet--%s" % uuid.uuid5(
                uuid.UUID(SCO_NS), json.dumps({"value": v},
                                              separators=(",", ":")))
            if o["id"] != want:
                bad(o, "SCO id is not the UUIDv5 of its value")
        else:
            bad(o, "unexpected type %s" % ty)
    t.ok(not problems, "%s: %d objects (%s) follow the STIX 2.1 rules" %
         (name, len(objs), ", ".join("%d %s" % (n, k) for k, n in
                                      sorted(counts.items()))), problems)
    return b


def stix_check(paths):
    t = Tap()
    for p in paths:
        try:
            stix_check_bundle(p, t)
        except (ValueError, OSError) as e:
            t.ok(False, "%s: %s" % (p, e))
    return t.done()


# ---- a capture with stratum, DNS and TLS, and unrelated traffic -------------
#
# Written byte by byte (no scapy): Ethernet, IPv4, TCP with a full
# handshake (so `flow:established` holds), UDP for DNS.  The client is
# 10.0.0.2 (HOME_NET 10.0.0.0/8); the `.test` names and documentation
# addresses match the set in suricata-rules.sh.  Every unrelated flow comes
# from a client port >= 50000, every related one from below.

CLIENT = "10.0.0.2"
WALLET = ("44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBY"
          "Bb98uNbr2VBBEt7f2wfn3RVGQBEP3A")


def _csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def _ip(a):
    return bytes(int(x) for x in a.split("."))


class Pcap:
    def __init__(self):
        self.frames = []
        self.t = 1767225600.0
        self.ipid = 1

    def packet(self, src, dst, proto, l4):
        self.ipid += 1
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), self.ipid,
                          0x4000, 64, proto, 0, _ip(src), _ip(dst))
        hdr = hdr[:10] + struct.pack("!H", _csum(hdr)) + hdr[12:]
        eth = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00"
        self.t += 0.001
        self.frames.append((self.t, eth + hdr + l4))

    def _pseudo(self, src, dst, proto, l4):
        return _ip(src) + _ip(dst) + struct.pack("!BBH", 0, proto, len(l4))

    def tcp(self, src, dst, sport, dport, seq, ack, flags, data=b""):
        hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4,
                          flags, 65535, 0, 0)
        seg = hdr + data
        c = _csum(self._pseudo(src, dst, 6, seg) + seg)
        seg = seg[:16] + struct.pack("!H", c) + seg[18:]
        self.packet(src, dst, 6, seg)

    def udp(self, src, dst, sport, dport, data):
        seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
        c = _csum(self._pseudo(src, dst, 17, seg) + seg) or 0xffff
        seg = seg[:6] + struct.pack("!H", c) + seg[8:]
        self.packet(src, dst, 17, seg)

    def session(self, server, sport, dport, to_server, to_client=()):
        """A TCP session: handshake, the client's messages each answered
        by the server, then FIN both ways."""
        c, s = CLIENT, server
        cs, ss = 1000, 5000
        self.tcp(c, s, sport, dport, cs, 0, 0x02)
        self.tcp(s, c, dport, sport, ss, cs + 1, 0x12)
        cs += 1
        ss += 1
        self.tcp(c, s, sport, dport, cs, ss, 0x10)
        replies = list(to_client)
        for msg in to_server:
            self.tcp(c, s, sport, dport, cs, ss, 0x18, msg)
            cs += len(msg)
            if replies:
                r = replies.pop(0)
                self.tcp(s, c, dport, sport, ss, cs, 0x18, r)
                ss += len(r)
            else:
                self.tcp(s, c, dport, sport, ss, cs, 0x10)
        self.tcp(c, s, sport, dport, cs, ss, 0x11)
        self.tcp(s, c, dport, sport, ss, cs + 1, 0x11)
        self.tcp(c, s, sport, dport, cs + 1, ss + 1, 0x10)

    def dns(self, name, sport, qid):
        q = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
        for label in name.split("."):
            q += bytes([len(label)]) + label.encode()
        q += b"\0" + struct.pack("!HH", 1, 1)
        self.udp(CLIENT, "10.0.0.53", sport, 53, q)
        # NXDOMAIN answer
        r = struct.pack("!HHHHHH", qid, 0x8183, 1, 0, 0, 0) + q[12:]
        self.udp("10.0.0.53", CLIENT, 53, sport, r)

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535,
                                1))
            for t, fr in self.frames:
                sec = int(t)
                usec = int(round((t - sec) * 1e6))
                f.write(struct.pack("<IIII", sec, usec, len(fr), len(fr)))
                f.write(fr)


def client_hello(sni):
    name = sni.encode()
    ext_sni = struct.pack("!HBH", len(name) + 3, 0, len(name)) + name
    exts = struct.pack("!HH", 0, len(ext_sni)) + ext_sni
    # supported_versions: TLS 1.3, 1.2
    sv = b"\x04\x03\x04\x03\x03"
    exts += struct.pack("!HH", 43, len(sv)) + sv
    body = (b"\x03\x03" + bytes(range(32)) + b"\x00" +
            struct.pack("!H", 4) + b"\x13\x01\xc0\x2f" + b"\x01\x00" +
            struct.pack("!H", len(exts)) + exts)
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def write_pcap(path):
    p = Pcap()
    # related: DNS for a pool name, a name below it, an exact name, a
    # name below a *.name entry
    p.dns("pool.example.test", 40001, 1)
    p.dns("eu.pool.example.test", 40002, 2)
    p.dns("exact.example.test", 40003, 3)
    p.dns("x.wild.example.test", 40004, 4)
    # TLS to a pool name (SNI)
    p.session("203.0.113.80", 40010, 443, [client_hello("pool.example.test")])
    # stratum v1 to a pool address on 3333: subscribe, authorize (wallet)
    p.session("198.51.100.7", 40020, 3333, [
        b'{"id":1,"method":"mining.subscribe","params":["cpuminer/2.5.1"]}\n',
        b'{"id": 2, "method": "mining.authorize", "params": ["' +
        WALLET.encode() + b'.worker1", "x"]}\n'],
        [b'{"id":1,"result":[[["mining.notify","ae6812eb4cd7735a302a8a9d'
         b'd95cf71f"]],"08000002",4],"error":null}\n',
         b'{"id":2,"result":true,"error":null}\n'])
    # XMRig to an unlisted address on a stratum port range: login with its
    # agent and the wallet, then a share
    p.session("203.0.113.50", 40030, 14444, [
        b'{"id":1,"jsonrpc":"2.0","method":"login","params":{"login":"' +
        WALLET.encode() + b'","pass":"x","agent":"XMRig/6.21.0 (Linux '
        b'x86_64) libuv/1.44.2 gcc/12.2.0","algo":["rx/0"]}}\n',
        b'{"id":2,"jsonrpc":"2.0","method":"submit","params":{"id":"1",'
        b'"job_id":"42","nonce":"deadbeef","result":"00ff"}}\n'],
        [b'{"id":1,"jsonrpc":"2.0","error":null,"result":{"id":"1",'
         b'"job":{},"status":"OK"}}\n'])
    # xmr-stak to an unlisted address on 443 (no port rule): the agent rule
    p.session("203.0.113.60", 40040, 443, [
        b'{"method":"login","params":{"login":"' + WALLET.encode() +
        b'","pass":"x","rigid":"","agent":"xmr-stak/2.10.8/mining"},'
        b'"id":1}\n'])
    # unrelated: web, DNS and TLS of other names (one ends like a pool
    # name, one is below an exact name, one is a *.name entry itself),
    # JSON-RPC on a non-stratum port, a login without a miner agent
    p.session("203.0.113.99", 50001, 80, [
        b"GET / HTTP/1.1\r\nHost: www.example.org\r\nUser-Agent: curl/7.88\r"
        b"\n\r\n"], [b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"])
    p.dns("www.example.org", 50002, 11)
    p.dns("xpool.example.test", 50003, 12)
    p.dns("sub.exact.example.test", 50004, 13)
    p.dns("wild.example.test", 50005, 14)
    p.session("203.0.113.99", 50010, 443, [client_hello("www.example.org")])
    p.session("203.0.113.99", 50011, 443, [client_hello("xpool.example.test")])
    p.session("203.0.113.99", 50020, 8545, [
        b'{"jsonrpc":"2.0","method":"eth_blockNumber","params":[],"id":1}\n'])
    p.session("203.0.113.99", 50021, 8080, [
        b'{"id":1,"method":"login","params":{"login":"alice","pass":"x",'
        b'"agent":"Mozilla/5.0"}}\n'])
    p.write(path)


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "inputs" and len(args) == 1:
        cmd_inputs(args[0])
    elif cmd == "hostile" and len(args) == 1:
        cmd_hostile(args[0])
    elif cmd == "openioc-check" and len(args) in (2, 3):
        return openioc_check(args)
    elif cmd == "stix-check" and args:
        return stix_check(args)
    elif cmd == "pcap" and len(args) == 1:
        write_pcap(args[0])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
