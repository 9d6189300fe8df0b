#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The hostile-feed suite: every case of
tests/reliability/hostile-corpus/*.txt, wrapped in every feed format of
the build, compiled by `poolwall compile` into every output of the build,
then scanned.

  hostile.py run WORKDIR     TAP on stdout; leaves, for the consumer test,
                             WORKDIR/union.list: "FORMAT DIR" per line, DIR
                             holding one file per output (named after it)
  hostile.py cases           print the decoded cases (for debugging)

Environment: POOLWALL, POOLWALL_PLUGIN_DIR, top_srcdir; PW_HOSTILE_JOBS
(parallel compiles, default: the number of CPUs).

A format is compiled as one batch (the canary and every case in one file
or document); when the batch is refused as a whole (a document that does
not parse, a line over a cap), every case is compiled again on its own
with the canary, and each either passes the scan or is refused cleanly:
exit 1, a message, and no output file at all.
"""
import concurrent.futures
import ipaddress
import os
import re
import subprocess
import sys
import threading
import time
import uuid

MARK = b"zq7x"
CANARY = b"pwcanary.example.test"
CANARY_IP = b"198.51.100.77"
WALLET = (b"44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7"
          b"SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A")
LINE_FORMATS = ("hosts", "adblock", "domains", "netset", "text", "ioc",
                "csv", "cmdline")
DOC_FORMATS = ("xmrig", "stix", "misp", "openioc")
# formats that find indicators inside prose: a refused value may still
# give a valid name found inside it, so only the needle counts there
PROSE = ("text", "cmdline")
# formats that cut a line into fields at blanks
SPLIT_AT_BLANKS = ("hosts", "adblock", "domains", "netset", "ioc")
COMPILE_TIMEOUT = 120
# Failures known and reported, shown as TODO while they happen (automake
# counts them as XFAIL; once fixed the check is a plain ok again and the
# entry can go): (check, regular expression every diagnostic of it must
# match, reason).  Any other diagnostic of the check fails it.
KNOWN = [
    # none open: the canonical URL over the cap (core/normalize.c
    # norm_url()) was the last, fixed with a regression input in
    # tests/fuzz/crashes/normalize/
]


class Case:
    def __init__(self, num, src, expect, needle, payload, comment):
        self.num = num
        self.src = src          # file:line
        self.expect = expect
        self.marker = MARK + b"%03d" % num
        self.payload = payload.replace(MARK, self.marker)
        self.scope = "all"
        if needle is not None and needle.startswith(b"ioc:"):
            self.scope = "ioc"
            needle = needle[4:]
        self.needle = None if needle is None else \
            needle.replace(MARK, self.marker)
        self.comment = comment
        if expect == "addr":
            self.kind = "ipv6" if b":" in payload else "ipv4"
        elif b"://" in payload:
            self.kind = "url"
        else:
            self.kind = "domain"

    def name(self):
        return "%s (%s)" % (self.src, self.comment)


def decode(text):
    """The corpus escapes (hostile-corpus/README) to bytes."""
    out = bytearray()
    i = 0
    simple = {"s": b" ", "t": b"\t", "n": b"\n", "r": b"\r", "0": b"\0",
              "\\": b"\\"}
    while i < len(text):
        c = text[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        e = text[i + 1]
        if e in simple:
            out += simple[e]
            i += 2
        elif e == "x":
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        elif e == "u":
            j = text.index("}", i)
            out += chr(int(text[i + 3:j], 16)).encode("utf-8",
                                                       "surrogatepass")
            i = j + 1
        elif e == "{":
            # the matching brace: TEXT may hold escapes with braces
            depth, j = 0, i + 1
            while True:
                if text[j] == "{":
                    depth += 1
                elif text[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            n, rep = text[i + 2:j].split("*", 1)
            out += decode(rep) * int(n)
            i = j + 1
        else:
            raise ValueError("unknown escape \\%s in %r" % (e, text))
    return bytes(out)


def load_cases(d):
    cases = []
    for fn in sorted(os.listdir(d)):
        if not fn.endswith(".txt"):
            continue
        with open(os.path.join(d, fn), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                m = re.match(r"^(\S+)\s+(\S+)\s+(\S+)\s+#\s*(.*)$", line)
                if not m:
                    raise ValueError("%s:%d: not EXPECT NEEDLE PAYLOAD "
                                     "# COMMENT" % (fn, n))
                expect, needle, payload, comment = m.groups()
                if expect not in ("refuse", "clean", "addr", "policy"):
                    raise ValueError("%s:%d: bad EXPECT" % (fn, n))
                cases.append(Case(len(cases) + 1, "%s:%d" % (fn, n),
                                  expect,
                                  None if needle == "-" else decode(needle),
                                  decode(payload), comment))
    return cases


# ---- wrapping a value in each feed format ----------------------------------

def json_str(b):
    """A JSON string holding bytes b: quotes, backslashes and control
    bytes escaped (NUL as \\u0000), every other byte as it is (so bytes
    that are not UTF-8 reach the parser raw)."""
    out = bytearray(b'"')
    for c in b:
        if c == 0x22:
            out += b'\\"'
        elif c == 0x5c:
            out += b"\\\\"
        elif c < 0x20:
            out += b"\\u%04x" % c
        else:
            out.append(c)
    return bytes(out + b'"')


def xml_text(b):
    return (b.replace(b"&", b"&amp;").replace(b"<", b"&lt;")
            .replace(b">", b"&gt;").replace(b'"', b"&quot;"))


def pool_host(case_kind, p):
    return b"[" + p + b"]" if case_kind == "ipv6" else p


def line_wrap(fmt, kind, p):
    if fmt == "hosts":
        return b"0.0.0.0 " + p
    if fmt == "adblock":
        return b"||" + p + b"^"
    if fmt in ("domains", "netset"):
        return p
    if fmt == "text":
        return b"Seen on web01: the miner talked to " + p + \
            b" before cleanup."
    if fmt == "ioc":
        return kind.encode() + b" " + p
    if fmt == "csv":
        t = {"domain": b"domain", "url": b"url", "ipv4": b"ip",
             "ipv6": b"ip"}[kind]
        return b'"' + p.replace(b'"', b'""') + b'",' + t
    if fmt == "cmdline":
        url = p if kind == "url" else \
            b"stratum+tcp://" + pool_host(kind, p) + b":3333"
        return b"xmrig -o " + url + b" -u " + WALLET + b" -p x -k"
    raise KeyError(fmt)


def doc_wrap(fmt, items):
    """items: [(kind, value)], the canary first."""
    if fmt == "xmrig":
        pools = []
        for kind, p in items:
            url = p if kind == "url" else pool_host(kind, p) + b":3333"
            pools.append(b'{"url": ' + json_str(url) + b', "user": ' +
                         json_str(WALLET) + b', "pass": "x", '
                         b'"enabled": true}')
        return (b'{"autosave": true, "cpu": true, "pools": [\n' +
                b",\n".join(pools) + b"\n]}\n")
    if fmt == "stix":
        objs = []
        stype = {"domain": b"domain-name", "url": b"url",
                 "ipv4": b"ipv4-addr", "ipv6": b"ipv6-addr"}
        for n, (kind, p) in enumerate(items):
            lit = p.replace(b"\\", b"\\\\").replace(b"'", b"\\'")
            pat = b"[" + stype[kind] + b":value = '" + lit + b"']"
            objs.append(b'{"type": "indicator", "spec_version": "2.1", '
                        b'"id": "indicator--' +
                        str(uuid.UUID(int=n + 1)).encode() +
                        b'", "created": "2024-01-01T00:00:00.000Z", '
                        b'"modified": "2024-01-01T00:00:00.000Z", '
                        b'"pattern_type": "stix", "valid_from": '
                        b'"2024-01-01T00:00:00Z", "pattern": ' +
                        json_str(pat) + b"}")
            objs.append(b'{"type": ' + json_str(stype[kind]) +
                        b', "spec_version": "2.1", "id": ' +
                        json_str(stype[kind] + b"--" +
                                 str(uuid.UUID(int=n + 1 << 64)).encode())
                        + b', "value": ' + json_str(p) + b"}")
        return (b'{"type": "bundle", "id": "bundle--' +
                str(uuid.UUID(int=7)).encode() + b'", "objects": [\n' +
                b",\n".join(objs) + b"\n]}\n")
    if fmt == "misp":
        attrs = []
        mtype = {"domain": b"domain", "url": b"url", "ipv4": b"ip-dst",
                 "ipv6": b"ip-dst"}
        for n, (kind, p) in enumerate(items):
            attrs.append(b'{"uuid": "' + str(uuid.UUID(int=n + 1)).encode()
                         + b'", "type": "' + mtype[kind] + b'", '
                         b'"category": "Network activity", '
                         b'"to_ids": true, "value": ' + json_str(p) + b"}")
        return (b'{"Event": {"id": "42", "info": "hostile feed", '
                b'"uuid": "' + str(uuid.UUID(int=42)).encode() +
                b'", "Attribute": [\n' + b",\n".join(attrs) + b"\n]}}\n")
    if fmt == "openioc":
        search = {"domain": b"DnsEntryItem/Host", "url": b"Network/URI",
                  "ipv4": b"PortItem/remoteIP", "ipv6": b"PortItem/remoteIP"}
        doc = {"domain": b"DnsEntryItem", "url": b"Network",
               "ipv4": b"PortItem", "ipv6": b"PortItem"}
        its = []
        for n, (kind, p) in enumerate(items):
            its.append(b'<IndicatorItem id="' +
                       str(uuid.UUID(int=n + 1)).encode() +
                       b'" condition="is"><Context document="' + doc[kind] +
                       b'" search="' + search[kind] + b'" type="mir"/>'
                       b'<Content type="string">' + xml_text(p) +
                       b"</Content></IndicatorItem>")
        return (b'<?xml version="1.0" encoding="UTF-8"?>\n'
                b'<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" '
                b'id="' + str(uuid.UUID(int=9)).encode() +
                b'" last-modified="2024-01-01T00:00:00">\n'
                b'<criteria><Indicator operator="OR" id="' +
                str(uuid.UUID(int=10)).encode() + b'">\n' +
                b"\n".join(its) + b"\n</Indicator></criteria></OpenIOC>\n")
    raise KeyError(fmt)


def canary_in(fmt, ioc):
    """The canary, or a name that covers it (found in a hostile line by
    a prose format), is in the canonical output."""
    if fmt == "netset":
        return b"\nipv4 " + CANARY_IP + b" " in ioc
    for line in ioc.split(b"\n"):
        f = line.split(b" ")
        if len(f) > 1 and f[0] == b"domain" and \
                (f[1] == CANARY or CANARY.endswith(b"." + f[1])):
            return True
    return False


def feed_bytes(fmt, cases):
    items = [("ipv4", CANARY_IP) if fmt == "netset" else
             ("domain", CANARY)] + [(c.kind, c.payload) for c in cases]
    if fmt in DOC_FORMATS:
        return doc_wrap(fmt, items)
    head = b"indicator,type\n" if fmt == "csv" else b""
    return head + b"".join(line_wrap(fmt, k, p) + b"\n" for k, p in items)


EXT = {"xmrig": "json", "stix": "json", "misp": "json", "openioc": "ioc",
       "csv": "csv"}


# ---- compiling --------------------------------------------------------------

class Result:
    def __init__(self, fmt, cases, outdir, rc, err, files):
        self.fmt, self.cases, self.outdir = fmt, cases, outdir
        self.rc, self.err, self.files = rc, err, files


SLOTS = None   # a semaphore: how many compiles run at once


def compile_one(fmt, cases, path, outdir, outputs):
    with open(path, "wb") as f:
        f.write(feed_bytes(fmt, cases))
    os.makedirs(outdir, exist_ok=True)
    cmd = [os.environ["POOLWALL"], "compile", "--permit-documentation",
           "-i", "%s:%s" % (fmt, path)]
    for o in outputs:
        cmd += ["-t", "%s:%s" % (o, os.path.join(outdir, o))]
    with SLOTS:
        t0 = time.monotonic()
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE,
                               timeout=COMPILE_TIMEOUT)
            rc, err = p.returncode, p.stderr
        except subprocess.TimeoutExpired:
            rc, err = "timeout", b""
    if os.environ.get("PW_HOSTILE_VERBOSE"):
        sys.stderr.write("%.2fs %s\n" % (time.monotonic() - t0, path))
    files = {}
    for fn in os.listdir(outdir):
        with open(os.path.join(outdir, fn), "rb") as f:
            files[fn] = f.read()
    return Result(fmt, cases, outdir, rc, err, files)


# ---- scanning ---------------------------------------------------------------

RESERVED = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
    "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4",
    "240.0.0.0/4", "::/128", "::1/128", "::ffff:0:0/96", "fe80::/10",
    "fc00::/7", "ff00::/8")]
NAME_RE = re.compile(rb"^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+"
                     rb"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
URL_RE = re.compile(rb"^[a-z][a-z0-9+.-]*://[A-Za-z0-9._~%!$&()*+,;=:@/?"
                    rb"\[\]-]+$")
PRINTABLE = re.compile(rb"[^\t\n\x20-\x7e]")
NFT_ADDR = re.compile(rb"(?<![0-9A-Za-z:.])((?:\d{1,3}\.){3}\d{1,3}"
                      rb"(?:/\d+)?|[0-9a-f]*:[0-9a-f:.]+(?:/\d+)?)"
                      rb"(?![0-9A-Za-z:.])")


def bad_prefix(text):
    try:
        net = ipaddress.ip_network(text.decode(), strict=False)
    except ValueError:
        return None
    if net.prefixlen < (8 if net.version == 4 else 32):
        return "shorter than /%d" % (8 if net.version == 4 else 32)
    for r in RESERVED:
        if r.version == net.version and net.overlaps(r):
            return "overlaps reserved %s" % r
    return None


class Scan:
    def __init__(self):
        self.fail = {}          # check -> [diagnostics]
        self.todo = {}          # case -> [format]
        self.refused_whole = 0
        self.known = 0
        self.combos = 0

    def bad(self, check, diag):
        self.fail.setdefault(check, []).append(diag)


def first_line(err, what):
    for line in err.decode("utf-8", "replace").split("\n"):
        if what in line:
            return line[:160]
    return ""


def scan(res, sc, outputs):
    fmt = res.fmt
    tag = "%s%s" % (fmt, "" if len(res.cases) != 1 else
                    " case %s" % res.cases[0].src)
    if res.rc == "timeout" or (isinstance(res.rc, int) and res.rc < 0):
        sc.bad("no crash, no hang", "%s: compile %s" % (tag, res.rc))
        return
    failed = set(m.decode() for m in re.findall(
        rb"output ([a-z]+)\[[^]]*\]: render failed", res.err))
    if failed and res.rc == 1:
        # an output that cannot render what the core accepted: the
        # others are written, that one is left as it was (here: absent)
        for o in sorted(failed):
            sc.bad("every output renders every value the core accepts",
                   "%s -> %s: %s" % (tag, o, first_line(res.err, o)))
            if o in res.files:
                sc.bad("a refusal writes nothing",
                       "%s: %s written after its render failed" % (tag, o))
    elif res.rc != 0:
        # refused as a whole: cleanly, with nothing written
        if res.rc != 1:
            sc.bad("a refusal exits 1", "%s: exit %s" % (tag, res.rc))
        if not res.err.strip():
            sc.bad("a refusal says why", "%s: nothing on stderr" % tag)
        if res.files:
            sc.bad("a refusal writes nothing",
                   "%s: left %s" % (tag, sorted(res.files)))
        sc.refused_whole += len(res.cases)
        sc.combos += len(res.cases) * len(outputs)
        return
    if b"Sanitizer" in res.err or b"runtime error" in res.err:
        sc.bad("no crash, no hang", "%s: %s" % (tag, res.err[:200]))
    sc.combos += len(res.cases) * len(outputs)
    missing = [o for o in outputs if o not in res.files and o not in failed]
    stray = [f for f in res.files if f not in outputs]
    if missing or stray:
        sc.bad("every output written, no temporary file left",
               "%s: missing %s, stray %s" % (tag, missing, stray))
    if not canary_in(fmt, res.files.get("ioc", b"")):
        sc.bad("the canary of each feed gets through",
               "%s: no canary in the ioc output" % tag)
    for o, data in res.files.items():
        m = PRINTABLE.search(data)
        if m:
            ln = data.count(b"\n", 0, m.start()) + 1
            sc.bad("every output is printable ASCII",
                   "%s -> %s:%d: byte %r" % (tag, o, ln, m.group()))
    for c in res.cases:
        if c.needle is not None:
            where = res.files.items() if c.scope == "all" else \
                [("ioc", res.files.get("ioc", b""))]
            for o, data in where:
                if c.needle in data:
                    if c.expect == "policy":
                        sc.todo.setdefault(c, []).append(fmt)
                        break
                    sc.bad("no hostile byte sequence in any output",
                           "%s -> %s: %r of %s" % (fmt, o, c.needle[:40],
                                                   c.name()))
        if c.expect != "refuse" or fmt in PROSE:
            continue
        if fmt in SPLIT_AT_BLANKS and re.search(rb"[ \t\n\r\v\f]",
                                                c.payload):
            continue
        for o, data in res.files.items():
            if c.marker in data:
                i = data.index(c.marker)
                line = data[data.rfind(b"\n", 0, i) + 1:
                            data.find(b"\n", i)][:120]
                sc.bad("a refused value reaches no output",
                       "%s -> %s: %s: %r" % (fmt, o, c.name(), line))
                break
    # the canonical set: every name and URL well formed
    for line in res.files.get("ioc", b"").split(b"\n"):
        f = line.split(b" ")
        if len(f) < 2 or line.startswith(b"#"):
            continue
        if f[0] == b"domain" and (not NAME_RE.match(f[1]) or
                                  len(f[1]) > 253):
            sc.bad("every name in the set is a valid A-label name",
                   "%s: %r" % (tag, line[:120]))
        if f[0] == b"url" and not URL_RE.match(f[1]):
            sc.bad("every URL in the set is canonical",
                   "%s: %r" % (tag, line[:120]))
        if f[0] in (b"ipv4", b"ipv6"):
            why = bad_prefix(f[1])
            if why:
                sc.bad("no reserved or too wide prefix is blocked",
                       "%s -> ioc: %s %s" % (tag, f[1].decode(), why))
    # the canonical set reads back as itself (a hub's export is a
    # gateway's feed)
    ioc = os.path.join(res.outdir, "ioc")
    if "ioc" in res.files:
        p = subprocess.run([os.environ["POOLWALL"], "compile",
                            "--permit-documentation", "-i", "ioc:" + ioc,
                            "-t", "ioc"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=COMPILE_TIMEOUT)
        first = set(tuple(line.split(b" ")[:2]) for line in
                    res.files["ioc"].split(b"\n")
                    if line and not line.startswith(b"#"))
        again = set(tuple(line.split(b" ")[:2]) for line in
                    p.stdout.split(b"\n")
                    if line and not line.startswith(b"#"))
        if p.returncode != 0 or first != again:
            lost = sorted(first - again)[:3]
            sc.bad("the ioc output reads back as the same set",
                   "%s: exit %d, lost %d (%s), gained %d: %s" % (
                       tag, p.returncode, len(first - again),
                       b" ".join(b" ".join(x) for x in lost)[:160],
                       len(again - first),
                       first_line(p.stderr, "rejected")))
    nft = res.files.get("nft", b"")
    for m in re.finditer(rb"elements = \{([^}]*)\}", nft):
        for a in NFT_ADDR.finditer(m.group(1)):
            why = bad_prefix(a.group(1))
            if why:
                sc.bad("no reserved or too wide prefix is blocked",
                       "%s -> nft: %s %s" % (tag, a.group(1).decode(), why))


def plugins():
    p = subprocess.run([os.environ["POOLWALL"], "plugins"],
                       stdout=subprocess.PIPE, check=True)
    feeds, outs = [], []
    for line in p.stdout.decode().splitlines():
        f = line.split()
        if len(f) >= 2 and f[0] == "feed":
            feeds.append(f[1])
        elif len(f) >= 2 and f[0] == "output":
            outs.append(f[1])
    return feeds, outs


WANT_FEEDS = LINE_FORMATS + DOC_FORMATS
WANT_OUTPUTS = ("ioc", "hosts", "domains", "dnsmasq", "rpz", "unbound",
                "squid", "openioc", "stix", "suricata", "nft")


def cmd_run(work):
    srcdir = os.environ.get("top_srcdir", ".")
    cases = load_cases(os.path.join(srcdir,
                                    "tests/reliability/hostile-corpus"))
    have_f, have_o = plugins()
    fmts = [f for f in WANT_FEEDS if f in have_f]
    outputs = [o for o in WANT_OUTPUTS if o in have_o]
    jobs = int(os.environ.get("PW_HOSTILE_JOBS", os.cpu_count() or 2))
    n = 0
    fails = 0

    def tap(ok, desc, diag=(), todo=None):
        nonlocal n, fails
        n += 1
        s = "%sok %d - %s" % ("" if ok else "not ", n, desc)
        if todo:
            s += " # TODO " + todo
        print(s)
        if not ok and not todo:
            fails += 1
        most = 1 << 30 if os.environ.get("PW_HOSTILE_VERBOSE") else 12
        for d in list(diag)[:most]:
            print("# " + str(d))
        if len(diag) > most:
            print("# ... and %d more (PW_HOSTILE_VERBOSE=1 shows all)" %
                  (len(diag) - most))

    skipped = [f for f in WANT_FEEDS if f not in have_f] + \
        [o for o in WANT_OUTPUTS if o not in have_o]
    for s in skipped:
        n += 1
        print("ok %d # SKIP plugin %s is not built" % (n, s))
    sc = Scan()
    union = []
    global SLOTS
    SLOTS = threading.Semaphore(jobs)

    def bisect(fmt, group, label):
        """Compile a group of cases; a group refused as a whole is cut in
        two until each refusal is pinned on one case."""
        d = os.path.join(work, fmt)
        res = compile_one(fmt, group, os.path.join(
            d, "%s.%s" % (label, EXT.get(fmt, "txt"))),
            os.path.join(d, label + ".out"), outputs)
        if res.rc == 0 or len(group) == 1:
            return [res]
        h = len(group) // 2
        return bisect(fmt, group[:h], label + "a") + \
            bisect(fmt, group[h:], label + "b")

    def one_format(fmt):
        os.makedirs(os.path.join(work, fmt), exist_ok=True)
        results = bisect(fmt, cases, "g")
        ok = [c for r in results if r.rc == 0 for c in r.cases]
        u = None
        if len(results) == 1:
            u = results[0]
        elif ok:
            # the cases that passed in groups, together again
            u = compile_one(fmt, ok, os.path.join(
                work, fmt, "union." + EXT.get(fmt, "txt")),
                os.path.join(work, fmt, "union.out"), outputs)
        return results, u

    with concurrent.futures.ThreadPoolExecutor(
            max_workers=len(fmts) or 1) as pool:
        futs = {fmt: pool.submit(one_format, fmt) for fmt in fmts}
    for fmt in fmts:
        results, u = futs[fmt].result()
        before = sc.refused_whole
        for res in results:
            scan(res, sc, outputs)
        print("# %s: %d cases in %d compile%s; %d refused as a whole" %
              (fmt, len(cases), len(results),
               "" if len(results) == 1 else "s (groups cut in two until "
               "each refusal is pinned on one case)",
               sc.refused_whole - before))
        if u is not None and u.rc == 0:
            union.append((fmt, u.outdir))
        elif u is not None:
            sc.bad("the cases that pass alone pass together",
                   "%s: exit %s: %s" % (fmt, u.rc, u.err[-200:]))
    checks = ["no crash, no hang", "a refusal exits 1", "a refusal says why",
              "a refusal writes nothing",
              "every output written, no temporary file left",
              "every output renders every value the core accepts",
              "the canary of each feed gets through",
              "every output is printable ASCII",
              "no hostile byte sequence in any output",
              "a refused value reaches no output",
              "every name in the set is a valid A-label name",
              "every URL in the set is canonical",
              "the ioc output reads back as the same set",
              "no reserved or too wide prefix is blocked",
              "the cases that pass alone pass together"]
    for chk in checks + sorted(set(sc.fail) - set(checks)):
        d = sc.fail.get(chk, [])
        todo = None
        for k, rx, why in KNOWN:
            if k == chk and d and all(re.search(rx, x) for x in d):
                todo = "known: " + why
        if todo:
            sc.known += len(d)
        tap(not d, "%s (%d cases x %d formats x %d outputs)" %
            (chk, len(cases), len(fmts), len(outputs)), d, todo=todo)
    for c in sorted(sc.todo, key=lambda c: c.num):
        tap(False, "special-use name %r is not blocked" %
            c.payload.decode("utf-8", "replace"),
            ["accepted from: " + " ".join(sc.todo[c])],
            todo="policy gap: %s" % c.comment)
    with open(os.path.join(work, "union.list"), "w") as f:
        for fmt, d in union:
            f.write("%s %s\n" % (fmt, d))
    combos = len(cases) * len(fmts) * len(outputs)
    print("# hostile: %d cases x %d formats x %d outputs = %d "
          "combinations scanned (%d case-format pairs refused as a whole)"
          % (len(cases), len(fmts), len(outputs), combos, sc.refused_whole))
    print("# figures: suite=hostile cases=%d formats=%d outputs=%d "
          "tried=%d failures=%d known=%d todo=%d" %
          (len(cases), len(fmts), len(outputs), combos,
           sum(len(v) for v in sc.fail.values()) - sc.known, sc.known,
           len(sc.todo)))
    print("1..%d" % n)
    return 1 if fails else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "run":
        return cmd_run(argv[2])
    if len(argv) == 2 and argv[1] == "cases":
        srcdir = os.environ.get("top_srcdir", ".")
        for c in load_cases(os.path.join(srcdir,
                                         "tests/reliability/hostile-corpus")):
            print(c.num, c.src, c.expect, c.kind, repr(c.needle),
                  repr(c.payload[:80]))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
