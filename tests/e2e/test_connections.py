"""Heavy and hostile connections: 1,000 concurrent keep-alive clients, slow clients trickling
headers, idle connections; and --sync, which holds every reply until the WAL is fsynced."""

import json
import re
import resource
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest

import support
from support import (RawResponseReader, Server, error_type, raw_request_bytes, read_stream,
                     unique_name, wait_active)


def vm_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def raise_fd_limit(wanted):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class ManyConnectionsTest(unittest.TestCase):
    CONNECTIONS = 1000

    def setUp(self):
        if raise_fd_limit(self.CONNECTIONS + 200) < self.CONNECTIONS + 100:
            self.skipTest("the open-files limit is below what 1,000 connections need")
        self.server = Server()
        self.addCleanup(self.server.cleanup)
        self.server.start()
        self.kin = self.server.client()

    def put_request(self, stream, i):
        return raw_request_bytes(self.server.port, "PutRecord",
                                 {"StreamName": stream, "Data": "aGVsbG8=",
                                  "PartitionKey": f"k{i}"})

    def test_a_thousand_keep_alive_connections_are_all_served(self):
        stream = unique_name("many")
        self.kin.create_stream(StreamName=stream, ShardCount=4)
        wait_active(self.kin, stream)
        pid = self.server.proc.pid
        rss_before = vm_kb(pid, "VmRSS")

        socks = []
        self.addCleanup(lambda: [s.close() for s in socks])
        for _ in range(self.CONNECTIONS):
            socks.append(socket.create_connection(("127.0.0.1", self.server.port), timeout=30))
        readers = [RawResponseReader(s) for s in socks]
        # Two rounds over every connection: all are open at once, and each stays usable.
        for round_ in range(2):
            for i, s in enumerate(socks):
                s.sendall(self.put_request(stream, round_ * self.CONNECTIONS + i))
            for i, r in enumerate(readers):
                status, _, body = r.read_response()
                self.assertEqual(status, 200, f"connection {i}, round {round_}: {body[:200]}")
                self.assertIn("SequenceNumber", json.loads(body))
        rss_with_connections = vm_kb(pid, "VmRSS")
        for s in socks:
            s.close()

        stored = sum(len(records) for records in read_stream(self.kin, stream).values())
        self.assertEqual(stored, 2 * self.CONNECTIONS)
        # Per connection the server keeps a read buffer and a small response; 1,000 of them
        # must not cost more than a few tens of MB (measured: see the printed figure).
        grown_mb = (rss_with_connections - rss_before) / 1024
        print(f"\n1,000 connections: server RSS {rss_before / 1024:.1f} MB before, "
              f"{rss_with_connections / 1024:.1f} MB with them open (+{grown_mb:.1f} MB)")
        self.assertLess(grown_mb, 64)


class SlowClientTest(unittest.TestCase):
    def setUp(self):
        self.server = Server(extra_args=["--idle-timeout", "2"])
        self.addCleanup(self.server.cleanup)
        self.server.start()

    def closed_within(self, sock, seconds, trickle=None):
        """Seconds until the server closed `sock` (None if it stayed open); `trickle` is sent a
        byte at a time meanwhile."""
        start = time.monotonic()
        sock.settimeout(0.2)
        pending = list(trickle or b"")
        while time.monotonic() - start < seconds:
            if pending:
                try:
                    sock.send(bytes([pending.pop(0)]))
                except OSError:
                    return time.monotonic() - start
            try:
                data = sock.recv(4096)
                if not data:
                    return time.monotonic() - start
            except socket.timeout:
                continue
            except OSError:
                return time.monotonic() - start
        return None

    def test_headers_trickling_in_are_cut_off(self):
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        self.addCleanup(sock.close)
        # A request that would take ~8 s to arrive at 5 bytes per second.
        request = raw_request_bytes(self.server.port, "ListStreams", {})
        closed_after = self.closed_within(sock, 8, trickle=request[:40])
        self.assertIsNotNone(closed_after, "a slow client kept its connection")
        self.assertLess(closed_after, 5)

    def test_idle_connection_is_closed_and_others_still_served(self):
        idle = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        self.addCleanup(idle.close)
        closed_after = self.closed_within(idle, 6)
        self.assertIsNotNone(closed_after, "an idle connection stayed open")
        self.assertGreater(closed_after, 1.5)
        status, _, _, parsed = support.raw_call(self.server.port, "ListStreams", {})
        self.assertEqual(status, 200, parsed)


class SyncModeTest(unittest.TestCase):
    """--sync: every acknowledged write was fsynced first; concurrent requests share fsyncs."""

    def setUp(self):
        self.server = Server(extra_args=["--sync"])
        self.addCleanup(self.server.cleanup)
        self.server.start()
        self.kin = self.server.client()

    def test_concurrent_writes_are_acknowledged_and_survive_kill_9(self):
        stream = unique_name("sync")
        self.kin.create_stream(StreamName=stream, ShardCount=2)
        wait_active(self.kin, stream)
        acked = {}
        errors = []

        def writer(w):
            try:
                client = self.server.client()
                for i in range(40):
                    key = f"w{w}-{i}"
                    r = client.put_record(StreamName=stream, Data=key.encode(), PartitionKey=key)
                    acked[key] = r["SequenceNumber"]
                r = client.put_records(StreamName=stream, Records=[
                    {"Data": f"w{w}-batch-{j}".encode(), "PartitionKey": f"w{w}-batch-{j}"}
                    for j in range(50)])
                self.assertEqual(r["FailedRecordCount"], 0)
                for j, rec in enumerate(r["Records"]):
                    acked[f"w{w}-batch-{j}"] = rec["SequenceNumber"]
            except Exception as e:  # reported below: a thread's assertion is otherwise lost
                errors.append(e)

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        self.assertEqual(errors, [])
        self.assertEqual(len(acked), 8 * 90)

        self.server.restart(graceful=False)  # kill -9
        self.kin = self.server.client()
        stored = {r["Data"].decode(): r["SequenceNumber"]
                  for records in read_stream(self.kin, stream).values() for r in records}
        self.assertEqual(stored, acked)


class SyncCountTest(unittest.TestCase):
    """--sync holds successful answers until a WAL fsync covers them, whichever way they came;
    concurrent requests share fsyncs, and errors (which changed nothing) do not wait."""

    def test_answers_wait_for_shared_fsyncs(self):
        server = Server(extra_args=["--sync", "--log-level", "debug"])
        self.addCleanup(server.cleanup)
        server.start()
        kin = server.client()
        stream = unique_name("sync-count")
        kin.create_stream(StreamName=stream, ShardCount=1)
        wait_active(kin, stream)

        def writer(w):
            client = server.client()
            for i in range(25):
                client.put_record(StreamName=stream, Data=b"x", PartitionKey=f"{w}-{i}")

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        with self.assertRaises(Exception):
            kin.describe_stream(StreamName=stream + "-missing")
        # The same wait over HTTP/2: 100 multiplexed PutRecords, every one answered 200.
        if shutil.which("h2load"):
            body = json.dumps({"StreamName": stream, "PartitionKey": "k", "Data": "eA=="})
            with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
                f.write(body)
                f.flush()
                headers = support.signed_headers(server.endpoint, "PutRecord", body.encode())
                cmd = ["h2load", "-n", "100", "-c", "2", "-m", "10", "-d", f.name]
                for k, v in headers.items():
                    if k.lower() not in ("host", "content-length"):
                        cmd += ["-H", f"{k}: {v}"]
                out = subprocess.run(cmd + [server.endpoint + "/"], capture_output=True,
                                     text=True, timeout=120).stdout
            self.assertIn("100 2xx", out, out)
        server.stop()
        m = re.search(r"--sync: (\d+) WAL fsyncs", server.stderr_text())
        self.assertIsNotNone(m, server.stderr_text()[-2000:])
        fsyncs = int(m.group(1))
        # 200 puts over HTTP/1.1 from 8 writers and 100 over HTTP/2 (and a few control-plane
        # calls): at least one fsync, and fewer than one per answer, since they are shared.
        self.assertGreaterEqual(fsyncs, 1)
        self.assertLess(fsyncs, 300)


if __name__ == "__main__":
    unittest.main()
