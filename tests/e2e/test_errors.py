"""Wire-level behaviour with raw HTTP (http.client / sockets): error shapes, headers,
keep-alive, pipelining and oversized bodies. After every error the server must still work
and nothing may have changed."""

import http.client
import json
import socket
import time
import unittest

import support
from support import (JSON_CT, RawResponseReader, ServerTestCase, error_message, error_type,
                     raw_call, raw_request_bytes, unique_name, wait_active)


class RawHttpTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.existing = unique_name("exists")
        cls.kin.create_stream(StreamName=cls.existing, ShardCount=1)
        wait_active(cls.kin, cls.existing)

    def setUp(self):
        self.streams_before = self.stream_names()

    def stream_names(self):
        return sorted(self.kin.list_streams(Limit=1000)["StreamNames"])

    def assert_healthy_and_unchanged(self):
        """A good call still succeeds and the failed call changed nothing."""
        status, headers, _, body = raw_call(self.server.port, "ListStreams", {})
        self.assertEqual(status, 200, body)
        self.assertEqual(sorted(body["StreamNames"]), self.streams_before)
        self.assertEqual(self.stream_names(), self.streams_before)

    def assert_common_headers(self, headers):
        self.assertIn("x-amzn-requestid", headers)
        self.assertTrue(headers["x-amzn-requestid"].strip())
        self.assertTrue(headers.get("content-type", "").startswith(JSON_CT),
                        headers.get("content-type"))

    def assert_error(self, result, want_status, want_types):
        """result: raw_call's (status, headers, raw body, parsed JSON)."""
        status, headers, _, body = result
        if isinstance(want_types, str):
            want_types = (want_types,)
        self.assertEqual(status, want_status, body)
        self.assert_common_headers(headers)
        self.assertIsInstance(body, dict, "error body must be JSON")
        self.assertIn(error_type(body), want_types, body)

    # ------------------------------------------------------------------ cases
    def test_success_has_headers(self):
        status, headers, raw, body = raw_call(self.server.port, "DescribeStreamSummary",
                                              {"StreamName": self.existing})
        self.assertEqual(status, 200, raw)
        self.assert_common_headers(headers)
        self.assertEqual(body["StreamDescriptionSummary"]["StreamName"], self.existing)
        if "content-length" in headers:
            self.assertEqual(int(headers["content-length"]), len(raw))
        else:
            self.assertEqual(headers.get("transfer-encoding", "").lower(), "chunked")
        # request ids differ between requests
        _, headers2, _, _ = raw_call(self.server.port, "ListStreams", {})
        self.assertNotEqual(headers["x-amzn-requestid"], headers2["x-amzn-requestid"])

    def test_unknown_operation(self):
        r = raw_call(self.server.port, "Kinesis_20131202.FrobnicateStream", {})
        self.assert_error(r, 400, "UnknownOperationException")
        self.assert_healthy_and_unchanged()

    def test_malformed_json(self):
        name = unique_name("bad")
        body = ('{"StreamName": "%s", "ShardCount": 1' % name).encode()  # truncated
        r = raw_call(self.server.port, "CreateStream", body)
        self.assert_error(r, 400, "SerializationException")
        r = raw_call(self.server.port, "CreateStream", b"not json at all")
        self.assert_error(r, 400, "SerializationException")
        self.assert_healthy_and_unchanged()

    def test_wrong_json_type(self):
        r = raw_call(self.server.port, "CreateStream", {"StreamName": 123, "ShardCount": 1})
        self.assert_error(r, 400, "SerializationException")
        r = raw_call(self.server.port, "CreateStream",
                     {"StreamName": unique_name("t"), "ShardCount": "one"})
        self.assert_error(r, 400, "SerializationException")
        self.assert_healthy_and_unchanged()

    def test_missing_authorization(self):
        name = unique_name("noauth")
        r = raw_call(self.server.port, "CreateStream", {"StreamName": name, "ShardCount": 1},
                     sign=False)
        self.assert_error(r, 400, "MissingAuthenticationTokenException")
        self.assert_healthy_and_unchanged()

    def test_invalid_stream_name(self):
        r = raw_call(self.server.port, "CreateStream", {"StreamName": "a b", "ShardCount": 1})
        self.assert_error(r, 400, "ValidationException")
        self.assertEqual(
            error_message(r[3]),
            "1 validation error detected: Value 'a b' at 'streamName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
        self.assert_healthy_and_unchanged()

    def test_stream_name_too_long(self):
        name = "n" * 129
        r = raw_call(self.server.port, "CreateStream", {"StreamName": name, "ShardCount": 1})
        self.assert_error(r, 400, "ValidationException")
        self.assertEqual(
            error_message(r[3]),
            f"1 validation error detected: Value '{name}' at 'streamName' failed to satisfy "
            "constraint: Member must have length less than or equal to 128")
        self.assert_healthy_and_unchanged()
        # 128 is fine
        ok = "m" * 128
        status, _, raw, _ = raw_call(self.server.port, "CreateStream",
                                     {"StreamName": ok, "ShardCount": 1})
        self.assertEqual(status, 200, raw)
        wait_active(self.kin, ok)
        self.kin.delete_stream(StreamName=ok)
        support.wait_gone(self.kin, ok)

    def test_invalid_base64_data(self):
        r = raw_call(self.server.port, "PutRecord",
                     {"StreamName": self.existing, "PartitionKey": "k", "Data": "!!!not-base64"})
        self.assert_error(r, 400, ("SerializationException", "ValidationException"))
        self.assert_healthy_and_unchanged()
        it = self.kin.get_shard_iterator(StreamName=self.existing, ShardId="shardId-000000000000",
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assertEqual(self.kin.get_records(ShardIterator=it)["Records"], [])

    def test_missing_required_member(self):
        r = raw_call(self.server.port, "CreateStream", {"ShardCount": 1})
        self.assert_error(r, 400, "ValidationException")
        self.assertEqual(
            error_message(r[3]),
            "1 validation error detected: Value null at 'streamName' failed to satisfy "
            "constraint: Member must not be null")
        self.assert_healthy_and_unchanged()

    def test_two_validation_errors(self):
        r = raw_call(self.server.port, "PutRecord",
                     {"StreamName": "a b", "PartitionKey": "x" * 257, "Data": "AA=="})
        self.assert_error(r, 400, "ValidationException")
        msg = error_message(r[3])
        self.assertTrue(msg.startswith("2 validation errors detected: "), msg)
        self.assertIn("at 'streamName' failed to satisfy constraint", msg)
        self.assertIn("at 'partitionKey' failed to satisfy constraint: "
                      "Member must have length less than or equal to 256", msg)
        self.assert_healthy_and_unchanged()

    def test_zero_shards(self):
        name = unique_name("zero")
        r = raw_call(self.server.port, "CreateStream", {"StreamName": name, "ShardCount": 0})
        self.assert_error(r, 400, ("InvalidArgumentException", "ValidationException"))
        status, _, _, body = raw_call(self.server.port, "DescribeStreamSummary",
                                      {"StreamName": name})
        self.assertEqual(status, 400)
        self.assertEqual(error_type(body), "ResourceNotFoundException")
        self.assert_healthy_and_unchanged()

    def test_resource_not_found_shape(self):
        name = unique_name("nf")
        r = raw_call(self.server.port, "DescribeStream", {"StreamName": name})
        self.assert_error(r, 400, "ResourceNotFoundException")
        self.assertIn(name, error_message(r[3]))
        self.assert_healthy_and_unchanged()

    def test_empty_body_is_a_serialization_exception(self):
        # botocore sends "{}" for no-argument calls; AWS reads no operation from an empty body
        r = raw_call(self.server.port, "ListStreams", b"")
        self.assert_error(r, 400, "SerializationException")
        self.assert_healthy_and_unchanged()

    # ------------------------------------------------------------- connection
    def test_keep_alive(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            socks = set()
            for i in range(6):
                target = ["ListStreams", "DescribeLimits", "Kinesis_20131202.Nope"][i % 3]
                status, headers, _, body = raw_call(self.server.port, target, {}, conn=conn)
                self.assertIsNotNone(conn.sock, "server closed a keep-alive connection")
                socks.add(id(conn.sock))
                self.assertNotEqual(headers.get("connection", "").lower(), "close")
                self.assertEqual(status, 400 if "Nope" in target else 200, body)
            self.assertEqual(len(socks), 1, "all requests must share one connection")
        finally:
            conn.close()
        self.assert_healthy_and_unchanged()

    def test_pipelining(self):
        port = self.server.port
        payload = (raw_request_bytes(port, "DescribeLimits", {})
                   + raw_request_bytes(port, "ListStreams", {"Limit": 1000})
                   + raw_request_bytes(port, "Kinesis_20131202.Nope", {})
                   + raw_request_bytes(port, "DescribeStreamSummary",
                                       {"StreamName": self.existing}))
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(payload)  # all four requests in one write
            reader = RawResponseReader(sock)
            s1, h1, b1 = reader.read_response()
            s2, h2, b2 = reader.read_response()
            s3, h3, b3 = reader.read_response()
            s4, h4, b4 = reader.read_response()
        self.assertEqual(s1, 200, b1)
        self.assertIn("ShardLimit", json.loads(b1))
        self.assertEqual(s2, 200, b2)
        self.assertEqual(sorted(json.loads(b2)["StreamNames"]), self.streams_before)
        self.assertEqual(s3, 400, b3)
        self.assertEqual(error_type(json.loads(b3)), "UnknownOperationException")
        self.assertEqual(s4, 200, b4)
        self.assertEqual(json.loads(b4)["StreamDescriptionSummary"]["StreamName"], self.existing)
        ids = {h["x-amzn-requestid"] for h in (h1, h2, h3, h4)}
        self.assertEqual(len(ids), 4)
        self.assert_healthy_and_unchanged()

    def test_split_request(self):
        """A request that arrives in small pieces is still assembled correctly."""
        port = self.server.port
        req = raw_request_bytes(port, "DescribeStreamSummary", {"StreamName": self.existing})
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for i in range(0, len(req), 7):
                sock.sendall(req[i:i + 7])
                if i < 140:
                    time.sleep(0.002)
            status, headers, body = RawResponseReader(sock).read_response()
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["StreamDescriptionSummary"]["StreamName"],
                         self.existing)

    def test_oversized_body_rejected_promptly(self):
        port = self.server.port
        name = unique_name("huge")
        small = json.dumps({"StreamName": name, "ShardCount": 1}).encode()
        headers = support.signed_headers(f"http://127.0.0.1:{port}", "CreateStream", small)
        headers["Host"] = f"127.0.0.1:{port}"
        headers["Content-Length"] = "50000000"
        head = "POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        start = time.monotonic()
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(head.encode() + b"\r\n" + small + b" " * 1000)
            try:
                status, rheaders, body = RawResponseReader(sock).read_response()
            except socket.timeout:
                self.fail("server waited for the 50 MB body instead of rejecting it")
            except ConnectionError as e:
                self.fail(f"server dropped the connection without a 4xx answer: {e}")
        elapsed = time.monotonic() - start
        self.assertLess(elapsed, 5.0)
        self.assertGreaterEqual(status, 400, body)
        self.assertLess(status, 500, body)
        self.assertIn("x-amzn-requestid", rheaders)
        self.assert_healthy_and_unchanged()
        status, _, _, body = raw_call(port, "DescribeStreamSummary", {"StreamName": name})
        self.assertEqual(error_type(body), "ResourceNotFoundException")

    def test_not_post(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            conn.request("GET", "/")
            resp = conn.getresponse()
            resp.read()
            self.assertLess(resp.status, 500, "a GET must not be a server error")
        finally:
            conn.close()
        self.assert_healthy_and_unchanged()

    def test_garbage_request_line(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as sock:
            sock.sendall(b"\x16\x03\x01 this is not http\r\n\r\n")
            try:
                data = sock.recv(65536)
            except (ConnectionError, socket.timeout):
                data = b""
            if data:
                self.assertTrue(data.startswith(b"HTTP/1."), data[:100])
                self.assertIn(int(data.split(b" ", 2)[1]), range(400, 500))
        self.assert_healthy_and_unchanged()

    def test_many_connections(self):
        conns = []
        try:
            for _ in range(50):
                c = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
                c.connect()
                conns.append(c)
            for c in conns:
                status, _, _, _ = raw_call(self.server.port, "DescribeLimits", {}, conn=c)
                self.assertEqual(status, 200)
        finally:
            for c in conns:
                c.close()
        self.assert_healthy_and_unchanged()


if __name__ == "__main__":
    unittest.main()
