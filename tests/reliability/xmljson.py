#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""XML and JSON attacks on the openioc, stix, misp and xmrig feeds.

  xmljson.py run WORKDIR     TAP on stdout

Each attack is a document written into WORKDIR and compiled by
`poolwall compile -i FORMAT:FILE -t ioc:OUT -t domains:OUT` under a time
limit (PW_XJ_TIMEOUT, 20 s) and an address-space limit (PW_XJ_MEM_MB,
1024 MB; not under AddressSanitizer, whose shadow memory needs terabytes
of address space: the run says so).  Every attack must end with the exit
status `compile` documents (0 done, 1 error with no output written), never
a signal or a timeout; a refusal must say why on stderr, naming the feed;
the secret file that external entities point at must never show up in
an output or a message; and the loopback listener that external
entities and DTDs point at must never see a connection.

Environment: POOLWALL, POOLWALL_PLUGIN_DIR.
"""
import os
import re
import resource
import socket
import subprocess
import sys
import threading
import time

SECRET = b"zq7xsecret.example.test"
GOOD = b"good-xj.example.test"
TIMEOUT = float(os.environ.get("PW_XJ_TIMEOUT", "20"))
MEM_MB = int(os.environ.get("PW_XJ_MEM_MB", "1024"))


class Listener:
    """A loopback TCP port that counts connections (it serves nothing)."""

    def __init__(self):
        self.s = socket.socket()
        self.s.bind(("127.0.0.1", 0))
        self.s.listen(16)
        self.port = self.s.getsockname()[1]
        self.hits = 0
        t = threading.Thread(target=self.loop, daemon=True)
        t.start()

    def loop(self):
        while True:
            try:
                c, _ = self.s.accept()
            except OSError:
                return
            self.hits += 1
            c.close()


# ---- documents --------------------------------------------------------------

def openioc(content=b"", doctype=b"", items=None, extra_ns=b""):
    """An OpenIOC 1.1 document: the good name, then the items given
    (each the text of a <Content>)."""
    its = [GOOD] + (items if items is not None else [content])
    body = b"".join(
        b'<IndicatorItem id="i%d" condition="is"><Context '
        b'document="DnsEntryItem" search="DnsEntryItem/Host" type="mir"/>'
        b'<Content type="string">%s</Content></IndicatorItem>\n' % (n, c)
        for n, c in enumerate(its))
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n' + doctype +
            b'<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1"' +
            extra_ns + b' id="x"><criteria><Indicator operator="OR" '
            b'id="y">\n' + body + b"</Indicator></criteria></OpenIOC>\n")


def stix(objs):
    head = (b'{"type": "indicator", "spec_version": "2.1", "id": '
            b'"indicator--00000000-0000-4000-8000-000000000001", '
            b'"created": "2024-01-01T00:00:00.000Z", "modified": '
            b'"2024-01-01T00:00:00.000Z", "pattern_type": "stix", '
            b'"valid_from": "2024-01-01T00:00:00Z", "pattern": '
            b'"[domain-name:value = \'' + GOOD + b'\']"}')
    return (b'{"type": "bundle", "id": '
            b'"bundle--00000000-0000-4000-8000-000000000000", '
            b'"objects": [' + b", ".join([head] + objs) + b"]}\n")


def stix_domain(v, n=2):
    return (b'{"type": "domain-name", "spec_version": "2.1", "id": '
            b'"domain-name--00000000-0000-4000-8000-%012d", "value": "' % n
            + v + b'"}')


def misp(attrs):
    head = (b'{"uuid": "00000000-0000-4000-8000-000000000001", "type": '
            b'"domain", "category": "Network activity", "to_ids": true, '
            b'"value": "' + GOOD + b'"}')
    return (b'{"Event": {"id": "7", "info": "x", "uuid": '
            b'"00000000-0000-4000-8000-000000000000", "Attribute": [' +
            b", ".join([head] + attrs) + b"]}}\n")


def misp_attr(v, n=2):
    return (b'{"uuid": "00000000-0000-4000-8000-%012d", "type": "domain", '
            b'"category": "Network activity", "to_ids": true, "value": "'
            % n + v + b'"}')


def xmrig(pools, extra=b""):
    good = b'{"url": "' + GOOD + b':3333", "user": "x", "pass": "x"}'
    return (b'{"autosave": true, ' + extra + b'"pools": [' +
            b", ".join([good] + pools) + b"]}\n")


def xmrig_pool(url):
    return b'{"url": "' + url + b'", "user": "x", "pass": "x"}'


def nest_arrays(n):
    return b"[" * n + b"]" * n


def nest_objects(n):
    return b'{"a": ' * n + b"1" + b"}" * n


def cases(w, port):
    """(format, expect, name, bytes): expect is 1 (a clear refusal), 0
    (read, the good name published) or "0|1"."""
    secret = os.path.join(w, "secret.txt").encode()
    sdtd = os.path.join(w, "secret.dtd").encode()
    http = b"http://127.0.0.1:%d" % port
    lol = b"".join(b'<!ENTITY l%d "%s">\n' % (
        i, (b"&l%d;" % (i - 1)) * 10 if i else b"lol") for i in range(10))
    quad = b"A" * 50000
    c = []
    # -- OpenIOC (libxml2)
    c += [
        ("openioc", 1, "external entity reading a local file (XXE)",
         openioc(b"&xxe;", b'<!DOCTYPE OpenIOC [<!ENTITY xxe SYSTEM "file://'
                 + secret + b'">]>\n')),
        ("openioc", 1, "external entity fetched over HTTP",
         openioc(b"&xxe;", b'<!DOCTYPE OpenIOC [<!ENTITY xxe SYSTEM "' +
                 http + b'/xxe">]>\n')),
        ("openioc", 1, "parameter entity loading a local DTD",
         openioc(b"&leak;", b'<!DOCTYPE OpenIOC [<!ENTITY % p SYSTEM '
                 b'"file://' + sdtd + b'"> %p;]>\n')),
        ("openioc", 1, "parameter entity loading a DTD over HTTP",
         openioc(b"&leak;", b'<!DOCTYPE OpenIOC [<!ENTITY % p SYSTEM "' +
                 http + b'/p.dtd"> %p;]>\n')),
        ("openioc", 1, "parameter entity defining a general entity",
         openioc(b"&e;", b'<!DOCTYPE OpenIOC [<!ENTITY % d "<!ENTITY e '
                 b"'zq7xparam.example.test'>\"> %d;]>\n")),
        ("openioc", "0|1", "an external DTD (never loaded)",
         openioc(b"ok.example.test", b'<!DOCTYPE OpenIOC SYSTEM "' + http +
                 b'/ext.dtd">\n')),
        ("openioc", "0|1", "an external DTD on a local file (never loaded)",
         openioc(b"ok.example.test", b'<!DOCTYPE OpenIOC SYSTEM "file://' +
                 sdtd + b'">\n')),
        ("openioc", 1, "billion laughs (10^9 expansions)",
         openioc(b"&l9;", b"<!DOCTYPE OpenIOC [\n" + lol + b"]>\n")),
        ("openioc", 1, "quadratic blowup (50 kB entity used 50,000 times)",
         openioc(b"&a;" * 50000, b'<!DOCTYPE OpenIOC [<!ENTITY a "' + quad +
                 b'">]>\n')),
        ("openioc", "0|1", "XInclude of a local file (never processed)",
         openioc(b'<xi:include href="file://' + secret +
                 b'" parse="text"/>',
                 extra_ns=b' xmlns:xi="http://www.w3.org/2001/XInclude"')),
        ("openioc", 1, "100,000 nested elements",
         openioc(b"<a>" * 100000 + b"</a>" * 100000)),
        ("openioc", "0|1", "a 20 MB text node",
         lambda: openioc(b"z" * (20 << 20))),
        ("openioc", "0|1", "a 20 MB attribute value",
         lambda: openioc(b"ok.example.test", extra_ns=b' data-x="' +
                         b"z" * (20 << 20) + b'"')),
        ("openioc", 0, "100,000 indicator items",
         lambda: openioc(items=[b"n%d.example.test" % i
                                for i in range(100000)])),
        ("openioc", 1, "a document over the 64 MB cap",
         lambda: openioc(b"ok.example.test", doctype=b"<!-- " +
                         b"x" * (65 << 20) + b" -->\n")),
        ("openioc", 1, "a truncated document",
         openioc(b"ok.example.test")[:300]),
        ("openioc", "0|1", "a UTF-7 encoding declaration",
         openioc(b"ok.example.test").replace(b"UTF-8", b"UTF-7")),
        ("openioc", "0|1", "a UTF-16 declaration on UTF-8 bytes",
         openioc(b"ok.example.test").replace(b"UTF-8", b"UTF-16")),
        ("openioc", 1, "a NUL byte inside the document",
         openioc(b"ok\0.example.test")),
    ]
    # -- JSON (jansson): STIX, MISP, XMRig
    for fmt, wrap, one in (
            ("stix", stix, stix_domain), ("misp", misp, misp_attr),
            ("xmrig", xmrig, lambda v, n=2: xmrig_pool(v + b":3333"))):
        c += [
            (fmt, 1, "100,000 nested arrays", wrap([nest_arrays(100000)])),
            (fmt, 1, "100,000 nested objects", wrap([nest_objects(100000)])),
            (fmt, 1, "a truncated document", wrap([one(b"ok.example.test")])
             [:120]),
            (fmt, 1, "a NUL escape in a value", wrap([one(b"a\\u0000" +
                                                          SECRET)])),
            (fmt, "0|1", "a lone surrogate escape", wrap([one(b"\\ud800" +
                                                             b"x.test")])),
            (fmt, "0|1", "bytes that are not UTF-8", wrap([one(b"\xff\xfe" +
                                                               b"x.test")])),
            (fmt, "0|1", "a number of 10^999999",
             wrap([one(b"ok.example.test"), b"1e999999"])),
            (fmt, "0|1", "an integer of 100,000 digits",
             wrap([one(b"ok.example.test"), b"9" * 100000])),
            (fmt, "0|1", "100,000 keys in one object",
             wrap([b"{" + b", ".join(b'"k%d": %d' % (i, i)
                                     for i in range(100000)) + b"}"])),
        ]
        if fmt != "xmrig":
            c += [
                (fmt, "0|1", "a 30 MB string",
                 lambda wrap=wrap, one=one: wrap([one(b"z" * (30 << 20))])),
                (fmt, 0, "100,000 indicators",
                 lambda wrap=wrap, one=one: wrap([
                     one(b"n%d.example.test" % i, i + 10)
                     for i in range(100000)])),
            ]
        else:
            c += [
                (fmt, 1, "a config over the 16 MB cap",
                 lambda wrap=wrap, one=one: wrap(
                     [one(b"ok.example.test")],
                     extra=b'"x": "' + b"z" * (17 << 20) + b'", ')),
                (fmt, "0|1", "5,000 pools (over the 4,096 cap)",
                 wrap([one(b"n%d.example.test" % i) for i in range(5000)])),
            ]
    c += [
        ("stix", 1, "a bundle over the 64 MB cap",
         lambda: stix([stix_domain(b"z" * (65 << 20))])),
    ]
    return c


# ---- running -------------------------------------------------------------

def asan():
    try:
        with open(os.environ["POOLWALL"], "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


def run(work, fmt, path, limit_mem):
    outs = [os.path.join(work, "out.ioc"), os.path.join(work, "out.dom")]
    for o in outs:
        if os.path.exists(o):
            os.unlink(o)
    cmd = [os.environ["POOLWALL"], "compile", "--permit-documentation",
           "-i", "%s:%s" % (fmt, path), "-t", "ioc:" + outs[0],
           "-t", "domains:" + outs[1]]

    def limits():
        if limit_mem:
            b = MEM_MB << 20
            resource.setrlimit(resource.RLIMIT_AS, (b, b))
    timer_cmd = os.environ.get("PW_XJ_TIME", "/usr/bin/time")
    if os.access(timer_cmd, os.X_OK):
        # its own child, so the size is poolwall's, not this script's
        cmd = [timer_cmd, "-f", "PW-XJ-RSS %M"] + cmd
    t0 = time.monotonic()
    with open(os.path.join(work, "stdout"), "wb+") as fo, \
            open(os.path.join(work, "stderr"), "wb+") as fe:
        p = subprocess.Popen(cmd, stdout=fo, stderr=fe, preexec_fn=limits)
        timer = threading.Timer(TIMEOUT, p.kill)
        timer.start()
        _, status, _ = os.wait4(p.pid, 0)
        timer.cancel()
        p.returncode = rc = os.waitstatus_to_exitcode(status)
        fo.seek(0)
        fe.seek(0)
        out, err = fo.read(), fe.read()
    secs = time.monotonic() - t0
    timed_out = secs >= TIMEOUT
    files = {}
    for o in outs:
        if os.path.exists(o):
            with open(o, "rb") as f:
                files[o] = f.read()
    rss = 0
    m = re.search(rb"PW-XJ-RSS (\d+)\n?$", err)
    if m:
        rss = int(m.group(1))
        err = err[:m.start()]
    # time(1) says how its child ended: as if it were not in between
    m = re.search(rb"Command terminated by signal (\d+)\n?$", err)
    if m:
        rc = -int(m.group(1))
        err = err[:m.start()]
    m = re.search(rb"Command exited with non-zero status \d+\n?$", err)
    if m:
        err = err[:m.start()]
    return rc, out, err, files, secs, timed_out, rss


def cmd_run(work):
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "secret.txt"), "wb") as f:
        f.write(SECRET + b"\n")
    with open(os.path.join(work, "secret.dtd"), "wb") as f:
        f.write(b'<!ENTITY leak "' + SECRET + b'">\n')
    lis = Listener()
    have = subprocess.run([os.environ["POOLWALL"], "plugins"],
                          stdout=subprocess.PIPE).stdout.decode()
    feeds = set(l.split()[1] for l in have.splitlines()
                if l.startswith("feed "))
    limit_mem = not asan()
    n = 0
    fails = 0
    tried = 0
    slowest = (0, "")
    peak = (0, "")
    by_fmt = {}

    def tap(ok, desc, diag=()):
        nonlocal n, fails
        n += 1
        print("%sok %d - %s" % ("" if ok else "not ", n, desc))
        if not ok:
            fails += 1
            for d in diag:
                print("# " + d)

    if not limit_mem:
        print("# AddressSanitizer build: no address-space limit (ASan "
              "reserves terabytes of shadow memory); time limits only")
    skipped = set()
    for fmt, expect, name, data in cases(work, lis.port):
        if fmt not in feeds:
            if fmt not in skipped:
                n += 1
                print("ok %d # SKIP feed %s is not built" % (n, fmt))
                skipped.add(fmt)
            continue
        path = os.path.join(work, "doc-%s.%s" % (
            fmt, "xml" if fmt == "openioc" else "json"))
        with open(path, "wb") as f:
            f.write(data() if callable(data) else data)
        del data
        tried += 1
        rc, out, err, files, secs, timed_out, rss = run(work, fmt, path,
                                                        limit_mem)
        peak = max(peak, (rss, "%s: %s" % (fmt, name)))
        by_fmt[fmt] = by_fmt.get(fmt, 0) + 1
        slowest = max(slowest, (secs, "%s: %s" % (fmt, name)))
        problems = []
        if timed_out:
            problems.append("killed after %.0f s" % TIMEOUT)
        elif rc < 0 or rc > 2:
            problems.append("exit %d (a signal or an undocumented status)"
                            % rc)
        elif expect == 1 and rc != 1:
            problems.append("exit %d, expected a refusal (1)" % rc)
        elif expect == 0 and rc != 0:
            problems.append("exit %d, expected 0" % rc)
        if rc == 1 and not timed_out:
            if b"error" not in err or fmt.encode() not in err:
                problems.append("a refusal without a message naming the "
                                "feed: %r" % err[-200:])
            if files:
                problems.append("exit 1 but outputs were written")
        if rc == 0 and GOOD not in files.get(
                os.path.join(work, "out.dom"), b""):
            problems.append("exit 0 but the good name is not published")
        for what, blob in [("stdout", out), ("stderr", err)] + \
                list(files.items()):
            if SECRET in blob or b"zq7xparam" in blob:
                problems.append("the secret leaked into " + what)
        if b"AddressSanitizer" in err or b"runtime error" in err:
            problems.append("sanitizer: " + err.decode(
                "utf-8", "replace")[:300])
        msg = err.decode("utf-8", "replace").strip().split("\n")
        tap(not problems, "%s: %s: exit %s in %.2f s, %d MB%s" % (
            fmt, name, rc, secs, rss >> 10,
            "" if rc != 1 else " (%s)" % msg[0][:100]), problems)
        os.unlink(path)
    tap(lis.hits == 0, "no connection to the loopback listener the "
        "documents point at (%d)" % lis.hits)
    print("# slowest: %.2f s (%s)" % slowest)
    print("# most memory: %d MB resident (%s)" % (peak[0] >> 10, peak[1]))
    print("# xml-json: %d attacks (%s), the time limit %.0f s, %s" % (
        tried, ", ".join("%s %d" % kv for kv in sorted(by_fmt.items())),
        TIMEOUT, "address space %d MB" % MEM_MB if limit_mem else
        "no memory limit (ASan)"))
    print("# figures: suite=xml-json tried=%d failures=%d" % (tried, fails))
    print("1..%d" % n)
    return 1 if fails else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "run":
        sys.exit(cmd_run(sys.argv[2]))
    sys.stderr.write(__doc__)
    sys.exit(2)
