#!/usr/bin/env python3
"""The soak's load (scripts/soak.sh): a steady mixed load against one tirkeu server on
127.0.0.1, for a given time, while the server's resident memory is sampled every 10 s.

The mix, per second at --rate 1 (scaled by --rate):
  60 status lookups of real cases (found), 20 of made-up well-formed numbers (not found),
  40 GET /healthz, 8 officer queue pages (GET /api/v1/cases, a random status filter),
  4 officer case reads (GET /api/v1/cases/{number}; each is audited, so also a write),
  and 1 application: create, upload its five required documents (PDF) and a photo (PNG,
  decoded and re-encoded), submit — 8 requests.
Requests are issued on a fixed schedule (open loop) by a pool of workers, each with its own
kept-alive connection, and come through the server's trusted proxy setting from a pool of
client addresses in X-Forwarded-For, so that the per-client limits see a realistic crowd.

Counted as errors: 5xx answers, connection errors and timeouts, and any other answer an
operation does not expect (a 4xx the mix never provokes). 429s are counted apart.
Writes rss.csv (seconds, rss_kib, requests, errors) and summary.json into --out.
"""

import argparse
import http.client
import json
import os
import queue
import random
import struct
import sys
import threading
import time
import zlib

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def times_two(v):
    v <<= 1
    return v ^ 0x25 if v & 0x20 else v


def made_up_number():
    """A well-formed application number (tirkeu_core::number: Damm over GF(32))."""
    vals = [random.randrange(32) for _ in range(15)]
    r = 0
    for d in vals:
        r = times_two(r) ^ d
    vals.append(times_two(r))
    s = "".join(ALPHABET[v] for v in vals)
    return "-".join(s[i:i + 4] for i in range(0, 16, 4))


def pdf():
    out = b"%PDF-1.4\n"
    objs = [b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n",
            b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n",
            b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"]
    offsets = []
    for o in objs:
        offsets.append(len(out))
        out += o
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer << /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return out


def png(w=120, h=160):
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes((200, 220, 240)) * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PDF, PNG = pdf(), png()
REQUIRED = ["passport", "application_form", "employment_contract",
            "fingerprinting_certificate", "health_insurance"]
STATES = ["submitted", "in_review", "info_requested", "approved", "ready_for_collection"]


def multipart(kind, filename, content_type, data):
    boundary = "soak%016x" % random.getrandbits(64)
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {content_type}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class Unexpected(Exception):
    pass


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.by_op = {}
        self.errors = {"5xx": 0, "connection": 0, "unexpected": 0}
        self.limited = 0
        self.examples = []

    def count(self, op):
        with self.lock:
            self.requests += 1
            self.by_op[op] = self.by_op.get(op, 0) + 1

    def error(self, kind, what):
        with self.lock:
            self.errors[kind] += 1
            if len(self.examples) < 20:
                self.examples.append(f"{kind}: {what}")

    def total_errors(self):
        with self.lock:
            return sum(self.errors.values())


class Worker:
    def __init__(self, port, stats, shared):
        self.port, self.stats, self.shared = port, stats, shared
        self.conn = None

    def request(self, op, method, path, body=None, headers=None, expect=(200,)):
        headers = dict(headers or {})
        headers["X-Forwarded-For"] = random.choice(self.shared["addresses"])
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                # A kept-alive connection the server closed while idle (its header timer):
                # reconnect once; a fresh connection failing is an error.
                self.conn.close()
                self.conn = None
                if attempt == 0:
                    continue
                self.stats.count(op)
                self.stats.error("connection", f"{op} {path}: {e!r}")
                raise Unexpected() from e
            except OSError as e:
                self.conn.close()
                self.conn = None
                self.stats.count(op)
                self.stats.error("connection", f"{op} {path}: {e!r}")
                raise Unexpected() from e
            break
        self.stats.count(op)
        if r.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        if r.status >= 500:
            self.stats.error("5xx", f"{op} {method} {path}: {r.status} {data[:200]!r}")
            raise Unexpected()
        if r.status == 429:
            with self.stats.lock:
                self.stats.limited += 1
            raise Unexpected()
        if r.status not in expect:
            self.stats.error("unexpected", f"{op} {method} {path}: {r.status} {data[:200]!r}")
            raise Unexpected()
        return r.status, data

    def json(self, op, method, path, payload, expect=(200,), token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        status, data = self.request(op, method, path, json.dumps(payload).encode(), headers, expect)
        return json.loads(data) if data else None

    def status_found(self):
        with self.shared["lock"]:
            number, passport = random.choice(self.shared["pairs"])
        body = self.json("status_found", "POST", "/api/v1/status",
                         {"number": number, "passport_number": passport})
        if not body or body.get("number", "").replace("-", "") != number.replace("-", ""):
            self.stats.error("unexpected", f"status_found {number}: {body!r}")

    def status_not_found(self):
        with self.shared["lock"]:
            passport = random.choice(self.shared["pairs"])[1]
        self.json("status_not_found", "POST", "/api/v1/status",
                  {"number": made_up_number(), "passport_number": passport}, expect=(404,))

    def healthz(self):
        self.request("healthz", "GET", "/healthz")

    def queue_page(self):
        st = random.choice(STATES)
        body = self.json("queue", "GET", f"/api/v1/cases?status={st}&limit=50", None,
                         token=self.shared["token"])
        numbers = [i["number"] for i in body["items"]]
        if numbers:
            with self.shared["lock"]:
                cases = self.shared["cases"]
                cases.extend(numbers[:5])
                del cases[:-2000]

    def case_read(self):
        with self.shared["lock"]:
            number = random.choice(self.shared["cases"]) if self.shared["cases"] else None
        if number is None:
            return self.queue_page()
        self.json("case", "GET", f"/api/v1/cases/{number}", None, token=self.shared["token"])

    def application(self):
        with self.shared["lock"]:
            self.shared["passport_seq"] += 1
            passport = "SK%07d" % self.shared["passport_seq"]
        created = self.json("create", "POST", "/api/v1/applications", {
            "permit_type": "work", "language": random.choice(["kk", "ru", "en", "zh"]),
            "applicant": {"surname": "SOAK", "given_names": "TEST PERSON",
                          "passport_number": passport, "nationality": "DEU",
                          "birth_date": "1980-01-01", "sex": "F", "passport_expiry": "2034-04-15"},
            "contact": {"email": "soak@example.org", "phone": "+49 30 123456"},
            "address": {"city": "Almaty", "line": "Abay 10, apt 5"},
            "arrival_date": "2026-11-01"}, expect=(201,))
        number, code = created["number"], created["access_code"]
        auth = {"Authorization": f"Bearer {code}"}
        for kind in REQUIRED:
            body, ct = multipart(kind, "doc.pdf", "application/pdf", PDF)
            self.request("upload", "POST", f"/api/v1/applications/{number}/documents", body,
                         {**auth, "Content-Type": ct}, expect=(201,))
        body, ct = multipart("photos", "photo.png", "image/png", PNG)
        self.request("upload", "POST", f"/api/v1/applications/{number}/documents", body,
                     {**auth, "Content-Type": ct}, expect=(201,))
        self.json("submit", "POST", f"/api/v1/applications/{number}/submit", {}, token=code)
        with self.shared["lock"]:
            self.shared["pairs"].append((number, passport))


MIX = [("status_found", 60), ("status_not_found", 20), ("healthz", 40), ("queue_page", 8),
       ("case_read", 4), ("application", 1)]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--rate", type=float, default=1.0, help="multiplier of the mix per second")
    ap.add_argument("--pairs", required=True, help="file of NUMBER,PASSPORT lines (real cases)")
    ap.add_argument("--token", required=True, help="an officer's session token")
    ap.add_argument("--workers", type=int, default=16)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sample-seconds", type=float, default=10.0)
    a = ap.parse_args()

    pairs = [tuple(l.strip().split(",", 1)) for l in open(a.pairs) if l.strip()]
    # 20,000 client addresses (IPv4 and IPv6): at 80 lookups/s each sees about 0.2 a minute.
    addresses = [f"100.{64 + i // 65536}.{i // 256 % 256}.{i % 256}" for i in range(10000)] + \
                [f"2001:db8:{i:x}::{random.getrandbits(16):x}" for i in range(10000)]
    shared = {"lock": threading.Lock(), "pairs": pairs, "cases": [], "token": a.token,
              "addresses": addresses, "passport_seq": random.randrange(1_000_000) * 10}
    stats = Stats()
    tickets = queue.Queue(maxsize=a.workers * 50)
    stop = threading.Event()
    skipped = [0]

    def work():
        w = Worker(a.port, stats, shared)
        while True:
            op = tickets.get()
            if op is None:
                return
            try:
                getattr(w, op)()
            except Unexpected:
                pass
            except Exception as e:  # a bug in the driver is an error too
                stats.error("unexpected", f"{op}: {e!r}")

    threads = [threading.Thread(target=work, daemon=True) for _ in range(a.workers)]
    for t in threads:
        t.start()

    ops, weights = zip(*MIX)
    per_second = sum(weights) * a.rate

    os.makedirs(a.out, exist_ok=True)
    csv = open(os.path.join(a.out, "rss.csv"), "w")
    csv.write("seconds,rss_kib,requests,errors\n")
    start = time.monotonic()

    def sample():
        """False when the server is gone (the soak then stops and fails)."""
        t = time.monotonic() - start
        try:
            rss = rss_kib(a.pid)
        except FileNotFoundError:
            stats.error("connection", f"the server (pid {a.pid}) is gone at {t:.0f} s")
            return False
        csv.write(f"{t:.0f},{rss},{stats.requests},{stats.total_errors()}\n")
        csv.flush()
        return True

    sample()
    next_sample = a.sample_seconds
    issued = 0
    while True:
        now = time.monotonic() - start
        if now >= a.seconds:
            break
        if now >= next_sample:
            if not sample():
                break
            next_sample += a.sample_seconds
        due = int(now * per_second)
        while issued < due:
            try:
                tickets.put_nowait(random.choices(ops, weights)[0])
            except queue.Full:
                skipped[0] += 1
            issued += 1
        time.sleep(0.005)
    for _ in threads:
        tickets.put(None)
    for t in threads:
        t.join(timeout=60)
    sample()
    csv.close()
    summary = {"seconds": a.seconds, "requests": stats.requests, "by_op": stats.by_op,
               "errors": stats.errors, "limited": stats.limited, "skipped": skipped[0],
               "examples": stats.examples, "planned_per_second": per_second}
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary))


if __name__ == "__main__":
    sys.exit(main())
