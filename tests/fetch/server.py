#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A small HTTP(S) server for tests/fetch/fetch.sh, on 127.0.0.1 only.

usage: server.py ROOT PORTFILE [--tls CERT KEY] [--lifetime SECONDS]

Listens on free ports it picks, writes "HTTP_PORT HTTPS_PORT DEAD_PORT" to
PORTFILE (HTTPS_PORT is 0 without --tls; DEAD_PORT is a port nothing
listens on), and exits by itself after --lifetime seconds (120).

Paths:
  /doc/NAME          ROOT/NAME with ETag and Last-Modified; 304 on a match
  /ok                a short list, no validators
  /status/CODE       that status
  /flaky/KEY         503 on the first hit, then 200
  /slow              a body that trickles for a minute
  /truncated         Content-Length 5000, 1000 bytes sent, then closed
  /html, /html-sniff an HTML error page with status 200 (text/html, and
                     text/plain with an HTML body)
  /huge              Content-Length 2 GiB, zeros until the client leaves
  /endless           no Content-Length, lines until the client leaves
  /gzip, /bomb       Content-Encoding gzip: a list; 64 MiB of zeros
  /redirect          302 to /ok; /redirect-loop to itself;
  /redirect-file     302 to file:///etc/hostname
  /redirect-http/P   302 to http://127.0.0.1:P/ok
  /ua                the User-Agent it was sent
  /hold/GROUP        answers after 1.5 s, counting concurrent requests
  /stats             hits per path and peak concurrency per hold group
An absolute URI in the request line is answered as a proxy would:
"proxied URI".
"""

import email.utils
import gzip
import hashlib
import os
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LIST = b"pool-a.example.test\npool-b.example.test\npool-c.example.test\n"
STREAM_LIMIT = 64 << 20     # a stream ends here even if nobody hangs up

lock = threading.Lock()
hits = {}
holding = {}
peak = {}
bomb = []


def gzip_bomb():
    with lock:
        if not bomb:
            chunk = b"\0" * (1 << 20)
            z = gzip.compress(chunk * 64, compresslevel=9)
            bomb.append(z)
        return bomb[0]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "poolwall-test-server"
    root = "."

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    def reply(self, code, body=b"", ctype="text/plain", headers=()):
        self.send_response(code)
        if code != 304:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if code != 304:
            self.wfile.write(body)

    def stream(self, chunk, length=None, delay=0.0):
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Connection", "close")
        self.end_headers()
        sent = 0
        while sent < STREAM_LIMIT:
            self.wfile.write(chunk)
            self.wfile.flush()
            sent += len(chunk)
            if delay:
                time.sleep(delay)

    def do_GET(self):
        path = self.path
        with lock:
            hits[path] = hits.get(path, 0) + 1
            count = hits[path]
        try:
            self.route(path, count)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError,
                socket.timeout):
            self.close_connection = True

    def route(self, full, count):
        path = full.split("?")[0]
        if full.startswith("http://") or full.startswith("https://"):
            self.reply(200, b"proxied " + full.encode() + b"\n")
        elif path.startswith("/doc/"):
            self.doc(path[5:])
        elif path == "/ok":
            self.reply(200, LIST)
        elif path.startswith("/status/"):
            code = int(path[8:])
            self.reply(code, b"status %d\n" % code)
        elif path.startswith("/flaky/"):
            if count == 1:
                self.reply(503, b"try again\n")
            else:
                self.reply(200, b"flaky.example.test\n")
        elif path == "/slow":
            self.stream(b"slow.example.test\n", 100000, delay=0.5)
        elif path == "/truncated":
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "5000")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"a.example.test\n" * 66 + b"a.examp")
            self.wfile.flush()
        elif path == "/html":
            self.reply(200, b"<!DOCTYPE html>\n<html><head><title>502 Bad "
                       b"Gateway</title></head><body>oops</body></html>\n",
                       ctype="text/html; charset=utf-8")
        elif path == "/html-sniff":
            self.reply(200, b"\n  <HTML><body>Service unavailable</body>"
                       b"</HTML>\n")
        elif path == "/huge":
            self.stream(b"\0" * 65536, 2 << 30)
        elif path == "/endless":
            self.stream(b"endless.example.test\n" * 1000)
        elif path == "/gzip":
            self.reply(200, gzip.compress(LIST),
                       headers=[("Content-Encoding", "gzip")])
        elif path == "/bomb":
            self.reply(200, gzip_bomb(),
                       headers=[("Content-Encoding", "gzip")])
        elif path == "/redirect":
            self.reply(302, b"", headers=[("Location", "/ok")])
        elif path == "/redirect-loop":
            self.reply(302, b"", headers=[("Location", "/redirect-loop")])
        elif path == "/redirect-file":
            self.reply(302, b"",
                       headers=[("Location", "file:///etc/hostname")])
        elif path.startswith("/redirect-http/"):
            self.reply(302, b"", headers=[
                ("Location", "http://127.0.0.1:%s/ok" % path[15:])])
        elif path == "/ua":
            ua = self.headers.get("User-Agent", "")
            self.reply(200, ua.encode() + b"\n")
        elif path.startswith("/hold/"):
            self.hold(path[6:])
        elif path == "/stats":
            with lock:
                lines = ["hits %s %d" % kv for kv in sorted(hits.items())]
                lines += ["peak %s %d" % kv for kv in sorted(peak.items())]
            self.reply(200, ("\n".join(lines) + "\n").encode())
        else:
            self.reply(404, b"no such test path\n")

    def doc(self, name):
        if "/" in name or name.startswith("."):
            self.reply(404, b"bad name\n")
            return
        try:
            with open(os.path.join(self.root, name), "rb") as f:
                body = f.read()
            mtime = os.path.getmtime(os.path.join(self.root, name))
        except OSError:
            self.reply(404, b"no such document\n")
            return
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        lm = email.utils.formatdate(int(mtime), usegmt=True)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        fresh = False
        if inm is not None:
            fresh = inm == etag
        elif ims is not None:
            try:
                fresh = (email.utils.parsedate_to_datetime(ims).timestamp()
                         >= int(mtime))
            except (TypeError, ValueError):
                fresh = False
        hdrs = [("ETag", etag), ("Last-Modified", lm)]
        if fresh:
            self.reply(304, headers=hdrs)
            return
        ctype = "text/html" if name.endswith(".html") else "text/plain"
        self.reply(200, body, ctype=ctype, headers=hdrs)

    def hold(self, group):
        with lock:
            holding[group] = holding.get(group, 0) + 1
            peak[group] = max(peak.get(group, 0), holding[group])
        try:
            time.sleep(1.5)
            self.reply(200, b"held.example.test\n")
        finally:
            with lock:
                holding[group] -= 1


def serve(httpd):
    try:
        httpd.serve_forever(poll_interval=0.2)
    except Exception as e:  # the listener must not take the process down
        sys.stderr.write("server: %s\n" % e)


def main(argv):
    args = argv[1:]
    tls = None
    lifetime = 120.0
    rest = []
    while args:
        a = args.pop(0)
        if a == "--tls":
            tls = (args.pop(0), args.pop(0))
        elif a == "--lifetime":
            lifetime = float(args.pop(0))
        else:
            rest.append(a)
    if len(rest) != 2:
        sys.stderr.write(__doc__)
        return 2
    Handler.root, portfile = rest

    # stop by ourselves, whatever happens to the test
    stopper = threading.Timer(lifetime, lambda: os._exit(0))
    stopper.daemon = True
    stopper.start()

    ThreadingHTTPServer.daemon_threads = True
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    servers = [httpd]
    https_port = 0
    if tls:
        httpsd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(tls[0], tls[1])
        httpsd.socket = ctx.wrap_socket(httpsd.socket, server_side=True)
        https_port = httpsd.server_address[1]
        servers.append(httpsd)

    dead = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    dead.bind(("127.0.0.1", 0))
    dead_port = dead.getsockname()[1]
    dead.close()

    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d %d %d\n" % (httpd.server_address[1], https_port,
                                dead_port))
    os.rename(tmp, portfile)

    threads = [threading.Thread(target=serve, args=(s,), daemon=True)
               for s in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
