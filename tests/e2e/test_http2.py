"""HTTP/2 and TLS on the one port: h2c with prior knowledge, TLS with ALPN h2 and http/1.1,
HTTP/1.1 beside them, driven by curl, nghttp, h2load, boto3 and the AWS CLI; and HTTP/2 clients
that misbehave on purpose (floods, a window never opened, trickled headers, rapid resets)."""

import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import unittest

import boto3
from botocore.config import Config

import h2frames as h2
from support import (ACCESS_KEY, REGION, SECRET_KEY, Server, ServerTestCase, cli_env,
                     create_active_stream, read_stream, signed_headers, unique_name)

CURL_TIMEOUT = 60


def have(tool):
    return shutil.which(tool) is not None


def rss_kib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class TlsServerCase(ServerTestCase):
    server_args = ["--tls"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cert = os.path.join(cls.server.data_dir, "tls", "cert.pem")
        cls.http = f"http://127.0.0.1:{cls.server.port}"
        cls.https = f"https://localhost:{cls.server.port}"

    def curl(self, *args, url=None, target="ListStreams", body=b"{}", timeout=CURL_TIMEOUT):
        """A signed Kinesis call with curl; returns (status, http_version, body)."""
        with tempfile.NamedTemporaryFile(prefix="ke-h2-body-") as f:
            f.write(body)
            f.flush()
            cmd = ["curl", "-sS", "-o", "-", "-w", "\n%{http_code} %{http_version}", "-X", "POST",
                   "--data-binary", "@" + f.name, "--cacert", self.cert]
            for k, v in signed_headers(self.http, target, body).items():
                if k.lower() not in ("host", "content-length"):
                    cmd += ["-H", f"{k}: {v}"]
            res = subprocess.run(cmd + list(args) + [url or self.http + "/"],
                                 capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        self.assertEqual(res.returncode, 0, res.stderr.decode(errors="replace"))
        text, _, tail = res.stdout.rpartition(b"\n")
        status, version = tail.decode().split()
        return int(status), version, text

    def tls_client(self):
        return boto3.session.Session().client(
            "kinesis", endpoint_url=self.https, region_name=REGION, aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY, verify=self.cert,
            config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))


@unittest.skipUnless(have("curl"), "curl is not installed")
class Http2AndTlsTest(TlsServerCase):
    def test_startup_names_the_certificate_it_made(self):
        out = self.server.stdout_text()
        self.assertIn(f"TLS on the same port: https://localhost:{self.server.port} "
                      f"(certificate: {self.cert})", out)
        with open(self.cert, encoding="ascii") as f:
            self.assertTrue(f.read().startswith("-----BEGIN CERTIFICATE-----"))
        self.assertEqual(os.stat(os.path.join(os.path.dirname(self.cert), "key.pem")).st_mode
                         & 0o077, 0, "the private key is readable by its owner only")
        # It is a certificate a client verifies for every local name.
        for host in ("localhost", "127.0.0.1"):
            ctx = ssl.create_default_context(cafile=self.cert)
            with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as raw:
                with ctx.wrap_socket(raw, server_hostname=host) as tls:
                    self.assertIn(tls.version(), ("TLSv1.2", "TLSv1.3"))

    def test_h2c_with_prior_knowledge(self):
        status, version, body = self.curl("--http2-prior-knowledge")
        self.assertEqual((status, version), (200, "2"))
        self.assertIn("StreamNames", json.loads(body))

    def test_h2_over_tls_by_alpn(self):
        status, version, body = self.curl("--http2", url=self.https + "/")
        self.assertEqual((status, version), (200, "2"))
        self.assertIn("StreamNames", json.loads(body))

    def test_http11_over_tls(self):
        status, version, _ = self.curl("--http1.1", url=self.https + "/")
        self.assertEqual((status, version), (200, "1.1"))

    def test_plain_http11_unchanged(self):
        status, version, _ = self.curl("--http1.1")
        self.assertEqual((status, version), (200, "1.1"))

    def test_errors_are_aws_errors_over_h2(self):
        status, _, body = self.curl("--http2-prior-knowledge", target="DescribeStream",
                                    body=b'{"StreamName":"no-such-stream"}')
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["__type"], "ResourceNotFoundException")

    def test_head_health_over_h2(self):
        res = subprocess.run(["curl", "-sS", "-I", "--http2-prior-knowledge",
                              self.http + "/_emulator/health"], capture_output=True, text=True,
                             timeout=CURL_TIMEOUT, stdin=subprocess.DEVNULL)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertRegex(res.stdout, r"^HTTP/2 200")
        length = re.search(r"(?mi)^content-length: (\d+)", res.stdout)
        self.assertIsNotNone(length, res.stdout)
        self.assertGreater(int(length.group(1)), 0)

    def test_body_over_the_limit_is_refused_413_over_h2(self):
        status, version, body = self.curl("--http2-prior-knowledge", target="PutRecord",
                                          body=b"x" * (16 * 1024 * 1024 + 1))
        self.assertEqual((status, version), (413, "2"))
        self.assertEqual(json.loads(body)["__type"], "RequestEntityTooLargeException")
        # The connection's next user is served.
        self.assertEqual(self.curl("--http2-prior-knowledge")[0], 200)

    @unittest.skipUnless(have("nghttp"), "nghttp (nghttp2-client) is not installed")
    def test_nghttp(self):
        body = b'{"Limit": 5}'
        with tempfile.NamedTemporaryFile(prefix="ke-h2-body-") as f:
            f.write(body)
            f.flush()
            cmd = ["nghttp", "-d", f.name]
            for k, v in signed_headers(self.http, "ListStreams", body).items():
                if k.lower() not in ("host", "content-length"):
                    cmd += ["-H", f"{k.lower()}: {v}"]
            res = subprocess.run(cmd + [self.http + "/"], capture_output=True, timeout=30,
                                 stdin=subprocess.DEVNULL)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("StreamNames", json.loads(res.stdout))

    @unittest.skipUnless(have("h2load"), "h2load (nghttp2-client) is not installed")
    def test_h1_and_h2_side_by_side_on_one_port(self):
        name = unique_name("side")
        create_active_stream(self.kin, name, 2)
        failures = []

        def h1_writer():
            try:
                for i in range(100):
                    self.kin.put_record(StreamName=name, Data=b"h1-%d" % i, PartitionKey=str(i))
            except Exception as e:  # reported below
                failures.append(e)

        t = threading.Thread(target=h1_writer)
        t.start()
        tls = self.tls_client()
        for i in range(50):
            tls.put_record(StreamName=name, Data=b"tls-%d" % i, PartitionKey=str(i))
        # 50 streams at once on one h2c connection. (curl 7.88, Debian 12's, cannot reuse an h2c
        # connection with prior knowledge: curl issue 10634, fixed in 8.0.)
        res = subprocess.run(["h2load", "-n", "50", "-c", "1", "-m", "50",
                              self.http + "/_emulator/health"], capture_output=True, text=True,
                             timeout=CURL_TIMEOUT, stdin=subprocess.DEVNULL)
        t.join(timeout=60)
        self.assertEqual(failures, [])
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("50 succeeded, 0 failed", res.stdout)
        self.assertIn("status codes: 50 2xx", res.stdout)
        data = sorted(r["Data"] for recs in read_stream(self.kin, name).values() for r in recs)
        self.assertEqual(len(data), 150)

    def test_boto3_over_tls(self):
        tls = self.tls_client()
        name = unique_name("tls")
        create_active_stream(tls, name, 1)
        put = tls.put_record(StreamName=name, Data=b"\x00secret\xff", PartitionKey="k")
        it = tls.get_shard_iterator(StreamName=name, ShardId=put["ShardId"],
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assertEqual(tls.get_records(ShardIterator=it)["Records"][0]["Data"], b"\x00secret\xff")

    def test_boto3_refuses_tls_it_was_not_told_to_trust(self):
        untrusted = boto3.session.Session().client(
            "kinesis", endpoint_url=self.https, region_name=REGION, aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))
        with self.assertRaises(Exception) as ctx:
            untrusted.list_streams()
        self.assertIn("CERTIFICATE_VERIFY_FAILED", str(ctx.exception))

    def test_aws_cli_over_tls(self):
        env = cli_env()
        env["AWS_CA_BUNDLE"] = self.cert
        name = unique_name("cli")
        res = subprocess.run(["aws", "kinesis", "create-stream", "--stream-name", name,
                              "--shard-count", "1", "--endpoint-url", self.https],
                             capture_output=True, text=True, timeout=60, env=env,
                             stdin=subprocess.DEVNULL)
        self.assertEqual(res.returncode, 0, res.stderr)
        res = subprocess.run(["aws", "kinesis", "list-streams", "--endpoint-url", self.https,
                              "--output", "json"], capture_output=True, text=True, timeout=60,
                             env=env, stdin=subprocess.DEVNULL)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn(name, json.loads(res.stdout)["StreamNames"])

    def test_tls_handshake_with_garbage_is_cut_off(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as s:
            s.sendall(b"\x16\x03\x01\x00\x40" + os.urandom(64))
            s.settimeout(5)
            try:
                while s.recv(4096):  # an alert, then the close
                    pass
            except ConnectionResetError:
                pass
        self.assertEqual(self.curl("--http2", url=self.https + "/")[0], 200)


class CertificateOptionsTest(unittest.TestCase):
    def test_made_certificate_is_kept_across_restarts(self):
        server = Server(extra_args=["--tls"])
        try:
            server.start()
            cert = os.path.join(server.data_dir, "tls", "cert.pem")
            with open(cert, "rb") as f:
                first = f.read()
            server.stop()
            server.start()
            with open(cert, "rb") as f:
                self.assertEqual(f.read(), first)
        finally:
            server.stop()
            server.cleanup()

    def test_given_certificate_is_used(self):
        made = Server(extra_args=["--tls"])
        try:
            made.start()
            made.stop()
            tls_dir = os.path.join(made.data_dir, "tls")
            server = Server(extra_args=["--tls-cert", os.path.join(tls_dir, "cert.pem"),
                                        "--tls-key", os.path.join(tls_dir, "key.pem")],
                            in_memory=True)
            try:
                server.start()
                self.assertIn(f"(certificate: {tls_dir}/cert.pem)", server.stdout_text())
                ctx = ssl.create_default_context(cafile=os.path.join(tls_dir, "cert.pem"))
                with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
                    with ctx.wrap_socket(raw, server_hostname="localhost"):
                        pass
            finally:
                server.stop()
                server.cleanup()
        finally:
            made.cleanup()

    def test_a_certificate_without_its_key_is_refused(self):
        made = Server(extra_args=["--tls"])
        try:
            made.start()
            made.stop()
            res = subprocess.run([made.command()[0], "--in-memory", "--port", "0", "--tls-cert",
                                  os.path.join(made.data_dir, "tls", "cert.pem")],
                                 capture_output=True, text=True, timeout=10,
                                 stdin=subprocess.DEVNULL)
            self.assertNotEqual(res.returncode, 0)
            self.assertIn("--tls-key", res.stderr + res.stdout)
        finally:
            made.cleanup()


class GracefulShutdownTest(unittest.TestCase):
    def test_sigterm_sends_goaway_and_exits(self):
        server = Server()
        try:
            server.start()
            sock = h2.connect(server.port)
            h2.read_frames(sock, 0.3)  # the server's SETTINGS
            sock.sendall(h2.get_request(1))
            frames, _ = h2.read_frames(sock, 0.5)
            self.assertIn(h2.HEADERS, [f[0] for f in frames])
            started = time.monotonic()
            server.proc.send_signal(signal.SIGTERM)
            frames, closed = h2.read_frames(sock, 5)
            self.assertEqual(h2.goaway_code(frames), 0, "GOAWAY with NO_ERROR")
            self.assertTrue(closed)
            self.assertEqual(server.proc.wait(timeout=10), 0)
            self.assertLess(time.monotonic() - started, 5)
            sock.close()
        finally:
            server.stop(expect_rc=None)
            server.cleanup()


class HostileHttp2Test(ServerTestCase):
    """Each misbehaving client is cut off or served; the port keeps serving the others."""

    server_args = ["--idle-timeout", "2"]

    def assert_still_serving(self):
        sock = h2.connect(self.server.port)
        sock.sendall(h2.get_request(1))
        frames, _ = h2.read_frames(sock, 2)
        sock.close()
        self.assertIn(h2.DATA, [f[0] for f in frames], "another client is still served")
        self.assertLess(rss_kib(self.server.proc.pid), 150 * 1024, "memory stays bounded")

    def flood(self, one_frame, count):
        """Sends `count` frames without reading; True if the server ended the connection."""
        sock = h2.connect(self.server.port)
        chunk = one_frame * 1000
        try:
            for _ in range(count // 1000):
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            return True
        finally:
            frames, closed = h2.read_frames(sock, 3)
            sock.close()
        return closed

    def test_ping_flood_is_cut_off(self):
        self.assertTrue(self.flood(h2.frame(h2.PING, payload=b"12345678"), 500_000))
        self.assert_still_serving()

    def test_settings_flood_is_cut_off(self):
        self.assertTrue(self.flood(h2.frame(h2.SETTINGS), 500_000))
        self.assert_still_serving()

    def test_rapid_reset_is_cut_off(self):
        sock = h2.connect(self.server.port)
        cut = False
        try:
            for batch in range(20):
                burst = b"".join(h2.get_request(s) + h2.frame(h2.RST_STREAM, 0, s, b"\0\0\0\x08")
                                 for s in range(1 + 2000 * batch, 2001 + 2000 * batch, 2))
                sock.sendall(burst)
        except (BrokenPipeError, ConnectionResetError):
            cut = True
        frames, closed = h2.read_frames(sock, 3)
        sock.close()
        self.assertTrue(cut or closed, "a client resetting 20,000 streams is cut off")
        self.assert_still_serving()

    def test_a_window_never_opened_is_cut_at_the_idle_timeout(self):
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        sock.sendall(h2.PREFACE + h2.settings(initial_window_size=0) + h2.get_request(1))
        started = time.monotonic()
        frames, closed = h2.read_frames(sock, 10)
        sock.close()
        kinds = [f[0] for f in frames]
        self.assertIn(h2.HEADERS, kinds, "the answer's head needs no window")
        self.assertNotIn(h2.DATA, kinds, "its body waits for a window that never opens")
        self.assertTrue(closed)
        self.assertLess(time.monotonic() - started, 8)
        self.assert_still_serving()

    def test_headers_trickling_in_are_cut_at_the_idle_timeout(self):
        sock = h2.connect(self.server.port)
        request = h2.get_request(1)
        started = time.monotonic()
        closed = False
        for i in range(len(request)):
            try:
                sock.sendall(request[i:i + 1])
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            _, closed = h2.read_frames(sock, 0.5)
            if closed:
                break
        sock.close()
        self.assertTrue(closed, "a request trickled in byte by byte is cut")
        self.assertLess(time.monotonic() - started, 8)
        self.assert_still_serving()

    @unittest.skipUnless(have("h2load"), "h2load (nghttp2-client) is not installed")
    def test_thousand_concurrent_streams_over_ten_connections(self):
        res = subprocess.run(["h2load", "-n", "1000", "-c", "10", "-m", "100",
                              f"http://127.0.0.1:{self.server.port}/_emulator/health"],
                             capture_output=True, text=True, timeout=120,
                             stdin=subprocess.DEVNULL)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertRegex(res.stdout, r"requests: 1000 total, 1000 started, 1000 done, "
                                     r"1000 succeeded, 0 failed, 0 errored")
        self.assertRegex(res.stdout, r"status codes: 1000 2xx")
        self.assert_still_serving()


if __name__ == "__main__":
    unittest.main()
