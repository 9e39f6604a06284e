#!/usr/bin/env python3
"""Tandem as separate processes: one writer per store, the CLI beside a running server, and
kill -9 during an ingest burst. Usage: process_test.py PATH_TO_TANDEM"""
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

TANDEM = None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, method, path, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


class Tandem:
    """A store in a temporary directory and the servers started on it."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="tandem-proc-")
        self.db = os.path.join(self.dir, "t.db")
        self.servers = []

    def run(self, *args, check=True):
        r = subprocess.run([TANDEM, "--db", self.db, *args], capture_output=True, text=True,
                           timeout=120)
        if check and r.returncode != 0:
            raise AssertionError(f"tandem {args} failed ({r.returncode}): {r.stderr}")
        return r

    def token(self, email="admin@example.com", role="admin"):
        return self.run("token", "create", "--user", email, "--role", role).stdout.strip()

    def serve(self, port):
        p = subprocess.Popen([TANDEM, "--db", self.db, "serve", "--listen", f"127.0.0.1:{port}"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.servers.append(p)
        deadline = time.time() + 10
        while time.time() < deadline:
            if p.poll() is not None:
                return p
            try:
                if call(port, "GET", "/health")[0] == 200:
                    return p
            except OSError:
                time.sleep(0.05)
        raise AssertionError("server did not start")

    def close(self):
        for p in self.servers:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
            for f in (p.stdout, p.stderr):
                f.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class ProcessTest(unittest.TestCase):
    def setUp(self):
        self.t = Tandem()

    def tearDown(self):
        self.t.close()

    def test_version(self):
        r = subprocess.run([TANDEM, "--version"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0)
        self.assertTrue(r.stdout.startswith("tandem "))

    def test_second_server_on_the_same_store_is_refused(self):
        self.t.token()
        port = free_port()
        self.t.serve(port)
        second = self.t.serve(free_port())
        second.wait(timeout=10)
        self.assertEqual(second.returncode, 3)
        err = second.stderr.read()
        self.assertIn(f"held by server http://127.0.0.1:{port}", err)
        self.assertEqual(call(port, "GET", "/health")[0], 200)

    def test_writing_subcommand_on_a_held_store_says_so_and_works_through_the_api(self):
        admin = self.t.token()
        port = free_port()
        self.t.serve(port)
        r = self.t.run("token", "create", "--user", "rep@example.com", check=False)
        self.assertEqual(r.returncode, 3)
        self.assertIn("held by server", r.stderr)
        self.assertIn("--url", r.stderr)
        r = self.t.run("token", "create", "--user", "rep@example.com", "--role", "sales_rep",
                       "--url", f"http://127.0.0.1:{port}", "--token", admin)
        rep = r.stdout.strip().splitlines()[-1]
        status, me = call(port, "GET", "/api/v1/me", rep)
        self.assertEqual(status, 200)
        self.assertEqual(me["role"], "sales_rep")
        # token list reads the store directly, even while a server holds it.
        listing = self.t.run("token", "list").stdout
        self.assertIn("rep@example.com", listing)
        r = self.t.run("token", "revoke", str(me["id"]), "--url", f"http://127.0.0.1:{port}",
                       "--token", admin)
        self.assertEqual(call(port, "GET", "/api/v1/me", rep)[0], 401)

    def test_kill_9_during_an_ingest_burst_loses_nothing_acknowledged(self):
        admin = self.t.token()
        port = free_port()
        server = self.t.serve(port)
        acked, lock, stop = [], threading.Lock(), threading.Event()

        def client(worker):
            n = 0
            while not stop.is_set():
                batch = [{"id": f"k{worker}-{n}-{i}", "type": "page_view",
                          "email": f"p{i % 50}@example.com",
                          "occurred_at": "2026-11-02T09:00:00Z",
                          "properties": {"path": "/pricing"}} for i in range(200)]
                n += 1
                try:
                    status, body = call(port, "POST", "/api/v1/activities", admin, batch)
                except OSError:
                    return
                if status == 200:
                    with lock:
                        acked.extend(b["id"] for b in batch)

        threads = [threading.Thread(target=client, args=(w,)) for w in range(3)]
        for th in threads:
            th.start()
        time.sleep(1.5)
        server.kill()  # SIGKILL: no chance to flush anything
        server.wait()
        stop.set()
        for th in threads:
            th.join()
        self.assertGreater(len(acked), 0)

        port = free_port()
        self.t.serve(port)
        con = sqlite3.connect(f"file:{self.t.db}?mode=ro", uri=True)
        rows = con.execute("SELECT client_id, COUNT(*) FROM journal WHERE kind='activity' "
                           "GROUP BY client_id").fetchall()
        con.close()
        stored = dict(rows)
        missing = [a for a in acked if a not in stored]
        self.assertEqual(missing, [], f"{len(missing)} acknowledged activities were lost")
        self.assertTrue(all(c == 1 for c in stored.values()), "an activity was stored twice")
        # Sending the acknowledged ones again changes nothing.
        again = [{"id": a, "type": "page_view", "email": f"p{int(a.split('-')[2]) % 50}@example.com",
                  "occurred_at": "2026-11-02T09:00:00Z", "properties": {"path": "/pricing"}}
                 for a in acked[:1000]]
        status, body = call(port, "POST", "/api/v1/activities", admin, again)
        self.assertEqual(status, 200)
        self.assertEqual(body["accepted"], 0)
        self.assertEqual(body["duplicates"], len(again))


if __name__ == "__main__":
    TANDEM = os.path.abspath(sys.argv.pop(1))
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
