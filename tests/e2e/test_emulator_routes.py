"""The emulator's own routes on the AWS port: /_emulator/health, the controllable clock, CORS
for pages in a browser, --initialize-streams and --health-check."""

import datetime
import http.client
import json
import os
import subprocess
import unittest

import support
from support import (BIN, Server, ServerTestCase, error_type, raw_call, server_env, unique_name,
                     wait_active)


def http_request(port, method, path, body=None, headers=None, timeout=10):
    """(status, lower-cased headers, raw body, parsed JSON or None)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
        conn.request(method, path, body=data, headers=headers or {})
        resp = conn.getresponse()
        raw = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        status = resp.status
    finally:
        conn.close()
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = None
    return status, hdrs, raw, parsed


class HealthTest(ServerTestCase):

    def test_get_health(self):
        status, headers, _, body = http_request(self.server.port, "GET", "/_emulator/health")
        self.assertEqual(status, 200, body)
        self.assertTrue(headers["content-type"].startswith("application/json"))
        self.assertEqual(body["status"], "running")
        self.assertRegex(body["version"], r"^\d+\.\d+\.\d+")
        self.assertEqual(body["services"], {"kinesis": "running"})
        self.assertEqual(body["clock"], "system")

    def test_head_health_has_no_body(self):
        _, _, get_raw, _ = http_request(self.server.port, "GET", "/_emulator/health")
        status, headers, raw, _ = http_request(self.server.port, "HEAD", "/_emulator/health")
        self.assertEqual(status, 200)
        self.assertEqual(raw, b"")
        self.assertEqual(int(headers["content-length"]), len(get_raw))

    def test_health_needs_no_signature_and_post_is_refused(self):
        status, headers, _, body = http_request(self.server.port, "POST", "/_emulator/health",
                                                body=b"{}")
        self.assertEqual(status, 405, body)
        self.assertEqual(headers["allow"], "GET, HEAD")

    def test_unknown_emulator_route_is_404_json(self):
        for method in ("GET", "POST", "DELETE"):
            status, headers, _, body = http_request(self.server.port, method,
                                                    "/_emulator/nope?x=1")
            self.assertEqual(status, 404, body)
            self.assertTrue(headers["content-type"].startswith("application/json"))
            self.assertEqual(body["error"], "NotFound")
            self.assertIn("/_emulator/nope", body["message"])
            self.assertIn("/_emulator/health", body["routes"])

    def test_clock_routes_explain_how_to_enable_them(self):
        for method, body in (("GET", None), ("POST", {"advance_ms": 1000})):
            status, _, _, parsed = http_request(self.server.port, method, "/_emulator/clock",
                                                body=body)
            self.assertEqual(status, 400, parsed)
            self.assertEqual(parsed["error"], "ClockNotControllable")
            self.assertIn("--clock controllable", parsed["message"])
            self.assertIn("KINESIS_EMULATOR_CLOCK=controllable", parsed["message"])

    def test_health_check_flag(self):
        env = server_env()
        ok = subprocess.run([BIN, "--health-check", "--port", str(self.server.port)], env=env,
                            capture_output=True, text=True, timeout=20)
        self.assertEqual(ok.returncode, 0, ok.stderr)
        self.assertEqual(json.loads(ok.stdout)["status"], "running")
        # The same through the environment, and a wildcard --host is asked on loopback.
        env_port = dict(env, KINESIS_EMULATOR_PORT=str(self.server.port),
                        KINESIS_EMULATOR_HOST="0.0.0.0")
        ok = subprocess.run([BIN, "--health-check"], env=env_port, capture_output=True,
                            text=True, timeout=20)
        self.assertEqual(ok.returncode, 0, ok.stderr)

    def test_health_check_flag_fails_without_a_server(self):
        # A port nothing listens on: bind one, then close it.
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        res = subprocess.run([BIN, "--health-check", "--port", str(port)], env=server_env(),
                             capture_output=True, text=True, timeout=20)
        self.assertEqual(res.returncode, 1)
        self.assertIn("cannot connect", res.stderr)


class CorsTest(ServerTestCase):

    ORIGIN = "http://localhost:3000"

    def test_preflight(self):
        wanted = "authorization,content-type,x-amz-date,x-amz-target,x-amz-user-agent"
        status, headers, _, _ = http_request(self.server.port, "OPTIONS", "/", headers={
            "Origin": self.ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": wanted,
        })
        self.assertEqual(status, 200)
        self.assertEqual(headers["access-control-allow-origin"], "*")
        self.assertEqual(headers["access-control-allow-methods"], "POST")
        self.assertEqual(headers["access-control-allow-headers"], wanted)
        self.assertEqual(headers["access-control-max-age"], "172800")
        self.assertNotIn("content-type", headers)
        self.assertEqual(headers["content-length"], "0")
        self.assertTrue(headers["x-amzn-requestid"])

    def test_answers_to_pages_carry_cors_headers(self):
        name = unique_name("cors")
        status, headers, _, _ = raw_call(self.server.port, "CreateStream",
                                         {"StreamName": name, "ShardCount": 1},
                                         extra_headers={"Origin": self.ORIGIN})
        self.assertEqual(status, 200)
        self.assertEqual(headers["access-control-allow-origin"], "*")
        exposed = {h.strip().lower() for h in headers["access-control-expose-headers"].split(",")}
        self.assertTrue({"x-amzn-requestid", "x-amzn-errortype", "x-amz-id-2"} <= exposed)
        self.assertNotIn(" ", headers["access-control-expose-headers"])
        # Errors too.
        status, headers, _, body = raw_call(self.server.port, "DescribeStream",
                                            {"StreamName": unique_name("none")},
                                            extra_headers={"Origin": self.ORIGIN})
        self.assertEqual(status, 400)
        self.assertEqual(error_type(body), "ResourceNotFoundException")
        self.assertEqual(headers["access-control-allow-origin"], "*")

    def test_no_origin_no_cors_headers(self):
        status, headers, _, _ = raw_call(self.server.port, "ListStreams", {})
        self.assertEqual(status, 200)
        self.assertNotIn("access-control-allow-origin", headers)


class ControllableClockTest(ServerTestCase):
    # Real delays so that the clock, not the wall, must move a stream out of CREATING.
    server_args = ["--clock", "controllable", "--create-stream-ms", "500",
                   "--delete-stream-ms", "500", "--throughput-limits", "on"]

    def clock(self):
        status, _, _, body = http_request(self.server.port, "GET", "/_emulator/clock")
        self.assertEqual(status, 200, body)
        return body["now_ms"]

    def move(self, **body):
        return http_request(self.server.port, "POST", "/_emulator/clock", body=body)

    def advance(self, ms):
        status, _, _, body = self.move(advance_ms=ms)
        self.assertEqual(status, 200, body)
        return body["now_ms"]

    def status_of(self, name):
        return self.kin.describe_stream_summary(
            StreamName=name)["StreamDescriptionSummary"]["StreamStatus"]

    def active_stream(self, shards=1):
        name = unique_name("clk")
        self.kin.create_stream(StreamName=name, ShardCount=shards)
        self.advance(500)
        self.assertEqual(self.status_of(name), "ACTIVE")
        return name

    def test_starts_near_real_time_and_stands_still(self):
        import time
        now = self.clock()
        # It started at the real time; other tests of this class may have moved it on since.
        self.assertGreater(now, time.time() * 1000 - 60_000)
        time.sleep(0.05)
        self.assertEqual(self.clock(), now)
        status, _, _, health = http_request(self.server.port, "GET", "/_emulator/health")
        self.assertEqual(health["clock"], "controllable")

    def test_advance_and_set(self):
        start = self.clock()
        self.assertEqual(self.advance(1234), start + 1234)
        status, _, _, body = self.move(set_ms=start + 10_000)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["now_ms"], start + 10_000)
        self.assertEqual(self.clock(), start + 10_000)

    def test_never_backwards_and_bad_bodies(self):
        now = self.clock()
        for body in ({"set_ms": now - 1}, {"advance_ms": -5}, {"advance_ms": 1.5},
                     {"advance_ms": "10"}, {}, {"advance_ms": 1, "set_ms": now + 1}, [1]):
            status, _, _, parsed = self.move(**body) if isinstance(body, dict) else \
                http_request(self.server.port, "POST", "/_emulator/clock", body=body)
            self.assertEqual(status, 400, (body, parsed))
            self.assertEqual(parsed["error"], "InvalidRequest")
        status, _, _, parsed = self.move(set_ms=now - 1)
        self.assertIn("never goes backwards", parsed["message"])
        status, _, _, parsed = http_request(self.server.port, "POST", "/_emulator/clock",
                                            body=b"not json")
        self.assertEqual(status, 400)
        self.assertEqual(self.clock(), now)

    def test_state_transitions_follow_the_clock(self):
        name = unique_name("clk")
        self.kin.create_stream(StreamName=name, ShardCount=1)
        import time
        time.sleep(0.7)  # longer than --create-stream-ms on the wall clock
        self.assertEqual(self.status_of(name), "CREATING")
        self.advance(499)
        self.assertEqual(self.status_of(name), "CREATING")
        self.advance(1)
        self.assertEqual(self.status_of(name), "ACTIVE")
        self.kin.delete_stream(StreamName=name)
        self.assertEqual(self.status_of(name), "DELETING")
        self.advance(500)
        self.assertClientError("ResourceNotFoundException", self.kin.describe_stream_summary,
                               StreamName=name)

    def test_arrival_timestamps_and_at_timestamp(self):
        name = self.active_stream()
        t0 = self.clock()
        first = self.kin.put_record(StreamName=name, Data=b"first", PartitionKey="k")
        self.advance(60_000)
        t1 = self.clock()
        second = self.kin.put_record(StreamName=name, Data=b"second", PartitionKey="k")
        self.assertLess(int(first["SequenceNumber"]), int(second["SequenceNumber"]))
        it = self.kin.get_shard_iterator(StreamName=name, ShardId=first["ShardId"],
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records = self.kin.get_records(ShardIterator=it)["Records"]
        self.assertEqual([r["Data"] for r in records], [b"first", b"second"])
        arrivals = [int(r["ApproximateArrivalTimestamp"].timestamp() * 1000) for r in records]
        self.assertEqual(arrivals, [t0, t1])
        # AT_TIMESTAMP between the two finds only the second.
        at = datetime.datetime.fromtimestamp((t0 + 30_000) / 1000, tz=datetime.timezone.utc)
        it = self.kin.get_shard_iterator(StreamName=name, ShardId=first["ShardId"],
                                         ShardIteratorType="AT_TIMESTAMP",
                                         Timestamp=at)["ShardIterator"]
        self.assertEqual([r["Data"] for r in self.kin.get_records(ShardIterator=it)["Records"]],
                         [b"second"])
        # A timestamp past the emulated now is refused, even though it is in the real past.
        later = datetime.datetime.fromtimestamp((self.clock() + 5_000) / 1000,
                                                tz=datetime.timezone.utc)
        self.assertClientError("InvalidArgumentException", self.kin.get_shard_iterator,
                               StreamName=name, ShardId=first["ShardId"],
                               ShardIteratorType="AT_TIMESTAMP", Timestamp=later)

    def test_iterator_expiry(self):
        name = self.active_stream()
        it = self.kin.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                         ShardIteratorType="LATEST")["ShardIterator"]
        self.advance(299_000)
        self.kin.get_records(ShardIterator=it)
        self.advance(2_000)
        self.assertClientError("ExpiredIteratorException", self.kin.get_records,
                               ShardIterator=it)

    def test_retention_trimming(self):
        name = self.active_stream()
        self.kin.put_record(StreamName=name, Data=b"old", PartitionKey="k")
        self.advance(23 * 3600 * 1000)
        self.kin.put_record(StreamName=name, Data=b"new", PartitionKey="k")
        self.advance(3600 * 1000 + 1000)  # "old" is now past the 24 h retention; "new" is not
        it = self.kin.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assertEqual([r["Data"] for r in self.kin.get_records(ShardIterator=it)["Records"]],
                         [b"new"])

    def test_throughput_buckets_refill_with_the_clock(self):
        name = self.active_stream()
        # 1,000 records/s per shard: with the clock standing still, the 1,001st is refused.
        entries = [{"Data": b"x", "PartitionKey": "k"} for _ in range(500)]
        for _ in range(2):
            out = self.kin.put_records(StreamName=name, Records=entries)
            self.assertEqual(out["FailedRecordCount"], 0)
        out = self.kin.put_records(StreamName=name, Records=entries[:1])
        self.assertEqual(out["FailedRecordCount"], 1)
        self.assertEqual(out["Records"][0]["ErrorCode"], "ProvisionedThroughputExceededException")
        self.advance(1000)
        out = self.kin.put_records(StreamName=name, Records=entries[:1])
        self.assertEqual(out["FailedRecordCount"], 0)


class InitializeStreamsTest(unittest.TestCase):

    def start(self, extra, env=None):
        server = Server(extra_args=extra, fast=False)
        self.addCleanup(server.cleanup)
        if env:
            real = support.server_env

            def with_env():
                return dict(real(), **env)
            support.server_env = with_env
            self.addCleanup(setattr, support, "server_env", real)
        server.start()
        return server

    def test_streams_are_active_before_the_first_request(self):
        server = self.start(["--initialize-streams", "orders:2, clicks,west:1:us-west-2"])
        kin = server.client()
        orders = kin.describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]
        self.assertEqual(orders["StreamStatus"], "ACTIVE")
        self.assertEqual(orders["OpenShardCount"], 2)
        clicks = kin.describe_stream_summary(StreamName="clicks")["StreamDescriptionSummary"]
        self.assertEqual(clicks["OpenShardCount"], 4)
        self.assertNotIn("west", kin.list_streams()["StreamNames"])
        import boto3
        west = boto3.session.Session().client(
            "kinesis", endpoint_url=server.endpoint, region_name="us-west-2",
            aws_access_key_id="x", aws_secret_access_key="x")
        self.assertEqual(west.describe_stream_summary(StreamName="west")
                         ["StreamDescriptionSummary"]["StreamStatus"], "ACTIVE")
        # Existing streams are kept, with their records, on a restart with the same setting.
        kin.put_record(StreamName="orders", Data=b"kept", PartitionKey="p")
        server.restart()
        kin = server.client()
        records = [r for shard in support.read_stream(kin, "orders").values() for r in shard]
        self.assertEqual([r["Data"] for r in records], [b"kept"])

    def test_kinesis_mock_variable(self):
        server = self.start([], env={"INITIALIZE_STREAMS": "mock-a:1,mock-b:3"})
        kin = server.client()
        self.assertEqual(sorted(kin.list_streams()["StreamNames"]), ["mock-a", "mock-b"])

    def test_bad_setting_stops_start_up(self):
        for bad in ("a:0", "a:x", "bad name:1", "a:1:US_EAST", "a:1:us-east-1:extra"):
            res = subprocess.run([BIN, "--in-memory", "--port", "0", "--initialize-streams", bad],
                                 env=server_env(), capture_output=True, text=True, timeout=20)
            self.assertEqual(res.returncode, 2, (bad, res.stdout, res.stderr))
            self.assertIn("--initialize-streams", res.stdout + res.stderr)


if __name__ == "__main__":
    unittest.main()
