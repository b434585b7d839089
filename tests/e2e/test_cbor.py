"""AWS CBOR (Content-Type application/x-amz-cbor-1.1), what the AWS SDKs for Java and the KCL
send by default, spoken over raw HTTP to the real binary.

No CBOR module is installed, so a minimal RFC 8949 codec is written here: maps (definite and, as
Jackson writes them, indefinite), text, bytes, integers, floats, tags, arrays, booleans, null.
AWS's convention: blobs are byte strings; timestamps are tag 1 over integer epoch MILLISECONDS
(not the RFC's seconds); errors are maps with __type and message plus an x-amzn-ErrorType header.
"""

import socket
import struct
import time
import unittest

import support
from support import (RawResponseReader, ServerTestCase, raw_call, unique_name)

CBOR_CT = "application/x-amz-cbor-1.1"


# ------------------------------------------------------------------------- codec
class Tag:
    def __init__(self, number, value):
        self.number = number
        self.value = value

    def __eq__(self, other):
        return isinstance(other, Tag) and (self.number, self.value) == (other.number, other.value)

    def __repr__(self):
        return f"Tag({self.number}, {self.value!r})"


class Indefinite:
    """Wraps a dict or list to be written with an indefinite length (0xBF/0x9F ... 0xFF)."""

    def __init__(self, value):
        self.value = value


def _head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for info, fmt, limit in ((24, ">B", 0xFF), (25, ">H", 0xFFFF), (26, ">I", 0xFFFFFFFF),
                             (27, ">Q", 0xFFFFFFFFFFFFFFFF)):
        if n <= limit:
            return bytes([major << 5 | info]) + struct.pack(fmt, n)
    raise ValueError(f"integer too large for CBOR: {n}")


def cbor_encode(value):
    if value is None:
        return b"\xf6"
    if value is True:
        return b"\xf5"
    if value is False:
        return b"\xf4"
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, (bytes, bytearray)):
        return _head(2, len(value)) + bytes(value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, Tag):
        return _head(6, value.number) + cbor_encode(value.value)
    if isinstance(value, Indefinite):
        inner = value.value
        if isinstance(inner, dict):
            return (b"\xbf" + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in inner.items())
                    + b"\xff")
        return b"\x9f" + b"".join(cbor_encode(v) for v in inner) + b"\xff"
    if isinstance(value, (list, tuple)):
        return _head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(
            cbor_encode(k) + cbor_encode(v) for k, v in value.items())
    raise TypeError(f"cannot encode {type(value)}")


_BREAK = object()


class _Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise ValueError("truncated CBOR")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def argument(self, info):
        if info < 24:
            return info
        if info in (24, 25, 26, 27):
            size = 1 << (info - 24)
            return int.from_bytes(self.take(size), "big")
        if info == 31:
            return None
        raise ValueError(f"reserved additional information {info}")

    def item(self):
        initial = self.take(1)[0]
        major, info = initial >> 5, initial & 0x1F
        if major == 7:
            if info == 20:
                return False
            if info == 21:
                return True
            if info in (22, 23):
                return None
            if info == 25:
                return struct.unpack(">e", self.take(2))[0]
            if info == 26:
                return struct.unpack(">f", self.take(4))[0]
            if info == 27:
                return struct.unpack(">d", self.take(8))[0]
            if info == 31:
                return _BREAK
            raise ValueError(f"unsupported simple value {info}")
        n = self.argument(info)
        if major == 0:
            return n
        if major == 1:
            return -1 - n
        if major in (2, 3):
            if n is None:
                chunks = []
                while True:
                    chunk = self.item()
                    if chunk is _BREAK:
                        break
                    chunks.append(chunk)
                return (b"" if major == 2 else "").join(chunks)
            raw = self.take(n)
            return raw if major == 2 else raw.decode("utf-8")
        if major == 4:
            out = []
            while n is None or len(out) < n:
                v = self.item()
                if v is _BREAK:
                    break
                out.append(v)
            return out
        if major == 5:
            out = {}
            count = 0
            while n is None or count < n:
                k = self.item()
                if k is _BREAK:
                    break
                out[k] = self.item()
                count += 1
            return out
        if major == 6:
            return Tag(n, self.item())
        raise ValueError(f"bad major type {major}")


def cbor_decode(data):
    reader = _Reader(data)
    value = reader.item()
    if reader.pos != len(data):
        raise ValueError("trailing bytes after CBOR item")
    return value


# ------------------------------------------------------------------------- tests
class CborCodecSelfTest(unittest.TestCase):
    """The test's own codec against RFC 8949 appendix A."""

    def test_appendix_a(self):
        cases = [
            (0, "00"), (23, "17"), (24, "1818"), (1000, "1903e8"), (1000000, "1a000f4240"),
            (-1, "20"), (-1000, "3903e7"), (1.1, "fb3ff199999999999a"), (False, "f4"),
            (None, "f6"), ("IETF", "6449455446"), (b"\x01\x02\x03\x04", "4401020304"),
            ([1, [2, 3]], "8201820203"), ({"a": 1}, "a1616101"),
            (Tag(1, 1363896240), "c11a514b67b0"),
        ]
        for value, hexed in cases:
            self.assertEqual(cbor_encode(value).hex(), hexed, value)
            self.assertEqual(cbor_decode(bytes.fromhex(hexed)), value, hexed)
        self.assertEqual(cbor_decode(bytes.fromhex("7f657374726561646d696e67ff")), "streaming")
        self.assertEqual(cbor_decode(bytes.fromhex("bf61610161629f0203ffff")),
                         {"a": 1, "b": [2, 3]})
        self.assertEqual(cbor_decode(bytes.fromhex("f93c00")), 1.0)


class CborWireTest(ServerTestCase):

    def call(self, operation, body, content_type=CBOR_CT):
        """POST a CBOR request. Returns (status, headers, decoded body)."""
        data = body if isinstance(body, bytes) else cbor_encode(body)
        status, headers, raw, _ = raw_call(self.server.port, operation, data,
                                           extra_headers={"Content-Type": content_type})
        self.assertTrue(headers.get("content-type", "").startswith(CBOR_CT), headers)
        self.assertIn("x-amzn-requestid", headers)
        return status, headers, cbor_decode(raw)

    def ok(self, operation, body):
        status, _, decoded = self.call(operation, body)
        self.assertEqual(status, 200, decoded)
        return decoded

    def assert_cbor_error(self, result, status, error_type):
        got_status, headers, decoded = result
        self.assertEqual(got_status, status, decoded)
        self.assertEqual(headers.get("x-amzn-errortype"), error_type)
        self.assertIsInstance(decoded, dict)
        self.assertEqual(decoded.get("__type"), error_type, decoded)
        # A SerializationException's message is under a capital M, as AWS writes it.
        key = "Message" if error_type == "SerializationException" else "message"
        self.assertIsInstance(decoded.get(key), str, decoded)
        return decoded

    def wait_active(self, name):
        deadline = time.monotonic() + 10
        while True:
            summary = self.ok("DescribeStreamSummary",
                              {"StreamName": name})["StreamDescriptionSummary"]
            if summary["StreamStatus"] == "ACTIVE":
                return summary
            self.assertLess(time.monotonic(), deadline, "stream never became ACTIVE")
            time.sleep(0.05)

    def create(self, shards):
        name = unique_name("cbor")
        self.assertEqual(self.ok("CreateStream", Indefinite({"StreamName": name,
                                                            "ShardCount": shards})), {})
        return name, self.wait_active(name)

    def read_all(self, name, shard_id, **iterator_args):
        it = self.ok("GetShardIterator", {"StreamName": name, "ShardId": shard_id,
                                          **iterator_args})["ShardIterator"]
        records = []
        for _ in range(50):
            page = self.ok("GetRecords", {"ShardIterator": it, "Limit": 1000})
            self.assertIsInstance(page["MillisBehindLatest"], int)
            records += page["Records"]
            if not page["Records"]:
                return records
            it = page["NextShardIterator"]
        self.fail("GetRecords did not catch up")

    # ------------------------------------------------------------------ cases
    def test_put_and_get_binary_records_with_millisecond_timestamps(self):
        before_ms = int(time.time() * 1000)
        name, summary = self.create(shards=2)
        created = summary["StreamCreationTimestamp"]
        self.assertIsInstance(created, Tag)
        self.assertEqual(created.number, 1)
        self.assertIsInstance(created.value, int)  # what the SDKs parse with Long.parseLong
        self.assertLessEqual(abs(created.value - before_ms), 60_000)

        payloads = [bytes(range(256)), b"", b"\x00\xff" * 500, "héllo".encode()]
        sent = {}
        # As Jackson writes it: indefinite maps and arrays.
        put = self.ok("PutRecords", Indefinite({
            "StreamName": name,
            "Records": Indefinite([Indefinite({"Data": data, "PartitionKey": f"pk-{i}"})
                                   for i, data in enumerate(payloads)]),
        }))
        self.assertEqual(put["FailedRecordCount"], 0)
        self.assertEqual(len(put["Records"]), len(payloads))
        for i, r in enumerate(put["Records"]):
            sent[r["SequenceNumber"]] = (payloads[i], f"pk-{i}", r["ShardId"])
        one = self.ok("PutRecord", {"StreamName": name, "Data": b"\x01\x02\x03",
                                    "PartitionKey": "single"})
        sent[one["SequenceNumber"]] = (b"\x01\x02\x03", "single", one["ShardId"])
        after_ms = int(time.time() * 1000)

        got = {}
        for shard_id in ("shardId-000000000000", "shardId-000000000001"):
            for rec in self.read_all(name, shard_id, ShardIteratorType="TRIM_HORIZON"):
                ts = rec["ApproximateArrivalTimestamp"]
                self.assertIsInstance(ts, Tag)
                self.assertEqual(ts.number, 1)
                self.assertIsInstance(ts.value, int)
                self.assertGreaterEqual(ts.value, before_ms - 1000)
                self.assertLessEqual(ts.value, after_ms + 1000)
                self.assertIsInstance(rec["Data"], bytes)
                got[rec["SequenceNumber"]] = (rec["Data"], rec["PartitionKey"], shard_id, ts)
        self.assertEqual({k: v[:3] for k, v in got.items()}, sent)

        # The same records through the JSON protocol (boto3): same bytes, same instant.
        for shard_id in ("shardId-000000000000", "shardId-000000000001"):
            it = self.kin.get_shard_iterator(StreamName=name, ShardId=shard_id,
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            for rec in self.kin.get_records(ShardIterator=it)["Records"]:
                data, _, _, ts = got[rec["SequenceNumber"]]
                self.assertEqual(rec["Data"], data)
                self.assertEqual(round(rec["ApproximateArrivalTimestamp"].timestamp() * 1000),
                                 ts.value)

    def test_at_timestamp_takes_tag1_milliseconds(self):
        name, _ = self.create(shards=1)
        shard = "shardId-000000000000"
        self.ok("PutRecord", {"StreamName": name, "Data": b"old", "PartitionKey": "k"})
        time.sleep(0.05)
        later = self.ok("PutRecord", {"StreamName": name, "Data": b"new", "PartitionKey": "k"})
        records = self.read_all(name, shard, ShardIteratorType="TRIM_HORIZON")
        arrival = {r["SequenceNumber"]: r["ApproximateArrivalTimestamp"].value for r in records}
        at_ms = arrival[later["SequenceNumber"]]
        got = self.read_all(name, shard, ShardIteratorType="AT_TIMESTAMP",
                            Timestamp=Tag(1, at_ms))
        self.assertIn(later["SequenceNumber"], [r["SequenceNumber"] for r in got])
        self.assertNotIn(b"old", [r["Data"] for r in got])

    def test_errors_are_cbor(self):
        err = self.assert_cbor_error(
            self.call("DescribeStreamSummary", {"StreamName": unique_name("missing")}),
            400, "ResourceNotFoundException")
        self.assertIn("missing", err["message"])
        err = self.assert_cbor_error(self.call("DescribeStream", {"StreamName": "a b"}), 400,
                                     "ValidationException")
        self.assertIn("streamName", err["message"])
        malformed = [
            bytes.fromhex("a16a53747265616d4e616d656273"),  # truncated
            bytes.fromhex("8161"),                          # an array at the top, truncated
            bytes.fromhex("81a0"),                          # an array at the top
            bytes.fromhex("a16154c16178"),                  # tag 1 over text
            bytes.fromhex("a16161dc00"),                    # reserved tag encoding
            b"\xff" * 10,
        ]
        for body in malformed:
            self.assert_cbor_error(self.call("DescribeStream", body), 400,
                                   "SerializationException")
        # Still healthy.
        self.ok("DescribeLimits", {})

    def test_content_type_case_and_parameters(self):
        status, _, decoded = self.call("DescribeLimits", b"\xa0",
                                       content_type="Application/X-Amz-Cbor-1.1; charset=utf-8")
        self.assertEqual(status, 200, decoded)
        self.assertIsInstance(decoded["ShardLimit"], int)

    def test_oversized_cbor_body_is_refused_in_cbor(self):
        port = self.server.port
        small = cbor_encode({"StreamName": unique_name("huge"), "ShardCount": 1})
        headers = support.signed_headers(f"http://127.0.0.1:{port}", "CreateStream", small,
                                         {"Content-Type": CBOR_CT})
        headers["Host"] = f"127.0.0.1:{port}"
        headers["Content-Length"] = "50000000"
        head = "POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(head.encode() + b"\r\n" + small)
            status, rheaders, body = RawResponseReader(sock).read_response()
        self.assertEqual(status, 413, body)
        self.assertTrue(rheaders.get("content-type", "").startswith(CBOR_CT), rheaders)
        self.assertEqual(rheaders.get("x-amzn-errortype"), "RequestEntityTooLargeException")
        self.assertEqual(cbor_decode(body)["__type"], "RequestEntityTooLargeException")


if __name__ == "__main__":
    unittest.main()
