#!/usr/bin/env python3
"""Writes the seed corpora (corpus/<target>/) and dictionaries (*.dict) of the fuzz targets.

    python3 tests/fuzz/make_corpus.py [--server http://127.0.0.1:PORT]

Seeds are small real requests. The request targets' first byte picks the operation: its index
among the model's operations in sorted order (harness.h: pick_operation). "@ITERATOR@" and
"@SEQNUM@" stand for a valid shard iterator and sequence number, which the harness fills in.

With --server (a running kinesis-emulator), the seeds of fuzz_shard_iterator and
fuzz_sequence_number also get a shard iterator and sequence number issued by that server (files
server_*); without it, those files are left as they are. Re-running rewrites the generated
seeds only: minimized crash inputs (regression_*) and server_* files are kept.
"""

import argparse
import hashlib
import hmac
import json
import os
import struct
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "..", "..", "models", "kinesis-2013-12-02.json")
CORPUS = os.path.join(HERE, "corpus")
PREFIX = "Kinesis_20131202."
AUTH = ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/us-east-1/kinesis/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=0000")
ITERATOR_KEY = b"kinesis-emulator-fuzz-iterator-key"  # fuzz_shard_iterator.cc's kKey
ARN = "arn:aws:kinesis:us-east-1:000000000000:stream/fuzz"  # harness.h's stream


# --------------------------------------------------------------------------- a minimal CBOR writer
class Tag:
    def __init__(self, number, value):
        self.number, self.value = number, value


class Indefinite:
    def __init__(self, value):
        self.value = value


def _head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for info, fmt, limit in ((24, ">B", 0xFF), (25, ">H", 0xFFFF), (26, ">I", 0xFFFFFFFF),
                             (27, ">Q", 0xFFFFFFFFFFFFFFFF)):
        if n <= limit:
            return bytes([major << 5 | info]) + struct.pack(fmt, n)
    raise ValueError(n)


def cbor(value):
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
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode()
        return _head(3, len(raw)) + raw
    if isinstance(value, Tag):
        return _head(6, value.number) + cbor(value.value)
    if isinstance(value, Indefinite):
        inner = value.value
        if isinstance(inner, dict):
            return b"\xbf" + b"".join(cbor(k) + cbor(v) for k, v in inner.items()) + b"\xff"
        return b"\x9f" + b"".join(cbor(v) for v in inner) + b"\xff"
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(cbor(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(cbor(k) + cbor(v) for k, v in value.items())
    raise TypeError(type(value))


# --------------------------------------------------------------------------- the requests
# (operation, JSON document, CBOR document or None for "the same with blobs as bytes")
def requests():
    put_records = [{"Data": "aGVsbG8=", "PartitionKey": "a"},
                   {"Data": "d29ybGQ=", "PartitionKey": "b",
                    "ExplicitHashKey": "170141183460469231731687303715884105728"}]
    return [
        ("CreateStream", {"StreamName": "fuzz-new", "ShardCount": 2}, None),
        ("CreateStream", {"StreamName": "fuzz-od", "StreamModeDetails": {"StreamMode": "ON_DEMAND"},
                          "Tags": {"team": "a"}}, None),
        ("PutRecord", {"StreamName": "fuzz", "Data": "aGVsbG8gd29ybGQ=", "PartitionKey": "pk-1"},
         {"StreamName": "fuzz", "Data": b"hello world", "PartitionKey": "pk-1"}),
        ("PutRecord", {"StreamName": "fuzz", "Data": "AAEC", "PartitionKey": "pk",
                       "ExplicitHashKey": "0", "SequenceNumberForOrdering": "@SEQNUM@"},
         {"StreamName": "fuzz", "Data": b"\x00\x01\x02", "PartitionKey": "pk",
          "ExplicitHashKey": "0", "SequenceNumberForOrdering": "@SEQNUM@"}),
        ("PutRecords", {"StreamName": "fuzz", "Records": put_records},
         Indefinite({"StreamName": "fuzz", "Records": Indefinite([
             {"Data": b"hello", "PartitionKey": "a"},
             {"Data": b"world", "PartitionKey": "b",
              "ExplicitHashKey": "170141183460469231731687303715884105728"}])})),
        ("GetShardIterator", {"StreamName": "fuzz", "ShardId": "shardId-000000000000",
                              "ShardIteratorType": "TRIM_HORIZON"}, None),
        ("GetShardIterator", {"StreamName": "fuzz", "ShardId": "shardId-000000000000",
                              "ShardIteratorType": "AFTER_SEQUENCE_NUMBER",
                              "StartingSequenceNumber": "@SEQNUM@"}, None),
        ("GetShardIterator", {"StreamName": "fuzz", "ShardId": "shardId-000000000001",
                              "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": 1699999999.5},
         {"StreamName": "fuzz", "ShardId": "shardId-000000000001",
          "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": Tag(1, 1699999999500)}),
        ("GetRecords", {"ShardIterator": "@ITERATOR@", "Limit": 10}, None),
        ("DescribeStream", {"StreamName": "fuzz"}, None),
        ("DescribeStreamSummary", {"StreamName": "fuzz"}, None),
        ("ListShards", {"StreamName": "fuzz", "MaxResults": 1}, None),
        ("ListStreams", {"Limit": 5}, None),
        ("SplitShard", {"StreamName": "fuzz", "ShardToSplit": "shardId-000000000000",
                        "NewStartingHashKey": "85070591730234615865843651857942052864"}, None),
        ("MergeShards", {"StreamName": "fuzz", "ShardToMerge": "shardId-000000000000",
                         "AdjacentShardToMerge": "shardId-000000000001"}, None),
        ("AddTagsToStream", {"StreamName": "fuzz", "Tags": {"k": "v"}}, None),
        ("RegisterStreamConsumer", {
            "StreamARN": "arn:aws:kinesis:us-east-1:000000000000:stream/fuzz",
            "ConsumerName": "c1"}, None),
        ("StartStreamEncryption", {"StreamName": "fuzz", "EncryptionType": "KMS",
                                   "KeyId": "alias/aws/kinesis"}, None),
        ("StopStreamEncryption", {"StreamName": "fuzz", "EncryptionType": "KMS",
                                  "KeyId": "alias/aws/kinesis"}, None),
        ("GetRecords", {"ShardIterator": "@ITERATOR@", "StreamARN": ARN}, None),
        ("GetShardIterator", {"StreamARN": ARN, "ShardId": "0",
                              "ShardIteratorType": "AT_SEQUENCE_NUMBER",
                              "StartingSequenceNumber": "@SEQNUM@"}, None),
        ("DescribeStream", {"StreamName": "fuzz", "Limit": 1,
                            "ExclusiveStartShardId": "shardId-000000000000"}, None),
        ("ListShards", {"StreamName": "fuzz", "ShardFilter": {"Type": "AT_TIMESTAMP",
                                                              "Timestamp": 1699999999}},
         {"StreamName": "fuzz", "ShardFilter": {"Type": "AT_TIMESTAMP",
                                                "Timestamp": Tag(1, 1699999999000)}}),
        ("IncreaseStreamRetentionPeriod", {"StreamName": "fuzz", "RetentionPeriodHours": 48}, None),
        ("DecreaseStreamRetentionPeriod", {"StreamName": "fuzz", "RetentionPeriodHours": 24}, None),
        ("PutResourcePolicy", {"ResourceARN": ARN,
                               "Policy": '{"Version":"2012-10-17","Statement":[]}'}, None),
        ("GetResourcePolicy", {"ResourceARN": ARN}, None),
        ("DeleteResourcePolicy", {"ResourceARN": ARN}, None),
        ("DeleteStream", {"StreamName": "fuzz-new", "EnforceConsumerDeletion": True}, None),
        ("DescribeStreamConsumer", {"StreamARN": ARN, "ConsumerName": "c1"}, None),
        ("ListStreamConsumers", {"StreamARN": ARN, "MaxResults": 5}, None),
        ("DeregisterStreamConsumer", {"StreamARN": ARN, "ConsumerName": "c1"}, None),
        ("SubscribeToShard", {"ConsumerARN": ARN + "/consumer/c1:1700000000",
                              "ShardId": "shardId-000000000000",
                              "StartingPosition": {"Type": "LATEST"}}, None),
        ("DescribeAccountSettings", {}, None),
        ("UpdateAccountSettings", {"MinimumThroughputBillingCommitment": {"Status": "ENABLED"}},
         None),
        ("DescribeLimits", {}, None),
        ("EnableEnhancedMonitoring", {"StreamName": "fuzz",
                                      "ShardLevelMetrics": ["IncomingBytes", "ALL"]}, None),
        ("DisableEnhancedMonitoring", {"StreamName": "fuzz",
                                       "ShardLevelMetrics": ["IncomingBytes"]}, None),
        ("ListTagsForStream", {"StreamName": "fuzz", "Limit": 10}, None),
        ("RemoveTagsFromStream", {"StreamName": "fuzz", "TagKeys": ["k"]}, None),
        ("TagResource", {"ResourceARN": ARN, "Tags": {"a": "b"}}, None),
        ("ListTagsForResource", {"ResourceARN": ARN}, None),
        ("UntagResource", {"ResourceARN": ARN, "TagKeys": ["a"]}, None),
        ("UpdateMaxRecordSize", {"StreamARN": ARN, "MaxRecordSizeInKiB": 2048}, None),
        ("UpdateShardCount", {"StreamName": "fuzz", "TargetShardCount": 4,
                              "ScalingType": "UNIFORM_SCALING"}, None),
        ("UpdateStreamMode", {"StreamARN": ARN, "StreamModeDetails": {"StreamMode": "ON_DEMAND"}},
         None),
        ("UpdateStreamWarmThroughput", {"StreamName": "fuzz-od", "WarmThroughputMiBps": 100},
         None),
    ]


def model():
    with open(MODEL) as f:
        return json.load(f)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def clear_generated(target):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    for name in os.listdir(d):
        if not name.startswith(("regression_", "server_")):
            os.remove(os.path.join(d, name))


def http_request(op, body, content_type, extra=""):
    head = (f"POST / HTTP/1.1\r\nHost: 127.0.0.1:4567\r\nX-Amz-Target: {PREFIX}{op}\r\n"
            f"Content-Type: {content_type}\r\nAuthorization: {AUTH}\r\n"
            f"X-Amz-Date: 20231114T221320Z\r\n{extra}Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


def h2_seeds(put_body, cbor_body):
    """Seeds of fuzz_http2_connection: a read-size byte, then frames after the preface."""
    sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
    import h2frames as h2

    def post(stream, op, body, content_type, end=True, extra=()):
        headers = [(":method", "POST"), (":scheme", "http"), (":path", "/"),
                   (":authority", "127.0.0.1:4567"), ("x-amz-target", PREFIX + op),
                   ("content-type", content_type), ("authorization", AUTH),
                   ("x-amz-date", "20231114T221320Z"), ("content-length", str(len(body))),
                   *extra]
        block = h2.frame(h2.HEADERS, h2.END_HEADERS, stream, h2.header_block(headers))
        return block + h2.frame(h2.DATA, h2.END_STREAM if end else 0, stream, body)

    json_ct, cbor_ct = "application/x-amz-json-1.1", "application/x-amz-cbor-1.1"
    start = h2.frame(h2.SETTINGS)
    ack = h2.frame(h2.SETTINGS, h2.ACK)
    seeds = {
        "put_record_json": start + ack + post(1, "PutRecord", put_body, json_ct),
        "two_streams_cbor": start + post(1, "PutRecords", cbor_body, cbor_ct) +
        post(3, "ListShards", b'{"StreamName":"fuzz"}', json_ct),
        "health_get": start + h2.get_request(1) + h2.get_request(3, "/_emulator/nothing"),
        "ping_window_reset": start + h2.frame(h2.PING, 0, 0, b"12345678") +
        h2.frame(h2.WINDOW_UPDATE, 0, 0, b"\x00\x01\x00\x00") +
        post(1, "DescribeLimits", b"{}", json_ct, end=False) +
        h2.frame(h2.RST_STREAM, 0, 1, b"\x00\x00\x00\x08"),
        "headers_over_limit": start + post(1, "ListStreams", b"{}", json_ct,
                                           extra=[("x-padding", "p" * 1500)]),
        "body_over_limit": start + post(1, "PutRecord", b"x" * 5000, json_ct),
        "small_window": h2.settings(initial_window_size=16) +
        post(1, "GetRecords", b'{"ShardIterator":"@ITERATOR@"}', json_ct),
    }
    for name, frames in seeds.items():
        write(os.path.join(CORPUS, "fuzz_http2_connection", name), b"\xff" + frames)
    write(os.path.join(CORPUS, "fuzz_http2_connection", "put_record_json_in_small_reads"),
          b"\x06" + seeds["put_record_json"])


def mint_iterator(stream_id, shard, position, created_ms, key=ITERATOR_KEY):
    fields = struct.pack(">BQIQQ", 1, stream_id, shard, position, created_ms)
    return (fields + hmac.new(key, fields, hashlib.sha256).digest()[:12]).hex()


def sequence_number(stream_id, shard, position, legacy=False):
    tag = stream_id & 0x0FFFFFFF
    v = 1 << 127 | 1 << 124 | tag << 96 | shard << 64 | position
    # The 56-digit form repeats the tag and shard in front; 0.1 issued the 39-digit value alone.
    return str(v) if legacy else f"49{tag:09d}{shard % 10**6:06d}{v}"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", help="URL of a running kinesis-emulator")
    args = ap.parse_args()

    m = model()
    ops = sorted(m["operations"])
    reqs = requests()

    for target in ("fuzz_json_request", "fuzz_cbor_request", "fuzz_http_request",
                   "fuzz_shard_iterator", "fuzz_sequence_number", "fuzz_http2_connection"):
        clear_generated(target)

    seen = {}
    for op, doc, cbor_doc in reqs:
        n = seen[op] = seen.get(op, 0) + 1
        name = f"{op}_{n}"
        body_json = json.dumps(doc, separators=(",", ":")).encode()
        body_cbor = cbor(cbor_doc if cbor_doc is not None else doc)
        selector = bytes([ops.index(op)])
        write(os.path.join(CORPUS, "fuzz_json_request", name), selector + body_json)
        write(os.path.join(CORPUS, "fuzz_cbor_request", name), selector + body_cbor)

    http = os.path.join(CORPUS, "fuzz_http_request")
    json_ct, cbor_ct = "application/x-amz-json-1.1", "application/x-amz-cbor-1.1"
    put = json.dumps(reqs[2][1]).encode()
    write(os.path.join(http, "put_record_json"), http_request("PutRecord", put, json_ct))
    write(os.path.join(http, "get_records_json"),
          http_request("GetRecords", b'{"ShardIterator":"@ITERATOR@"}', json_ct))
    write(os.path.join(http, "create_stream_cbor"),
          http_request("CreateStream", cbor({"StreamName": "h", "ShardCount": 1}), cbor_ct))
    write(os.path.join(http, "put_records_cbor"),
          http_request("PutRecords", cbor(reqs[4][2]), cbor_ct))
    write(os.path.join(http, "pipelined"),
          http_request("DescribeStreamSummary", b'{"StreamName":"fuzz"}', json_ct) +
          http_request("ListShards", b'{"StreamName":"fuzz"}', "application/x-amz-json-1.0",
                       "Connection: close\r\n"))
    chunked = (f"POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: {PREFIX}ListStreams\r\n"
               f"Content-Type: {json_ct}\r\nAuthorization: {AUTH}\r\n"
               "Transfer-Encoding: chunked\r\n\r\n4\r\n{\"Li\r\n7\r\nmit\":2}\r\n0\r\n\r\n")
    write(os.path.join(http, "chunked"), chunked.encode())
    presigned = (f"POST /?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=123456789012%2F"
                 f"20231114%2Feu-west-1%2Fkinesis%2Faws4_request HTTP/1.1\r\nHost: localhost\r\n"
                 f"X-Amz-Target: {PREFIX}DescribeLimits\r\nContent-Type: {json_ct}\r\n"
                 "Content-Length: 2\r\n\r\n{}")
    write(os.path.join(http, "presigned_query"), presigned.encode())
    write(os.path.join(http, "http10_get"), b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
    write(os.path.join(http, "too_large"),
          http_request("PutRecord", b"", cbor_ct).replace(b"Content-Length: 0",
                                                          b"Content-Length: 99999999"))

    h2_seeds(put, cbor(reqs[4][2]))

    it = os.path.join(CORPUS, "fuzz_shard_iterator")
    write(os.path.join(it, "minted_trim_horizon"),
          mint_iterator(1, 0, 0, 1700000000000).encode())
    write(os.path.join(it, "minted_position"),
          mint_iterator(7, 3, (1700000000000 << 22) | 5, 1700000000123).encode())
    write(os.path.join(it, "fields_and_key"),
          struct.pack("<QIQq", 1, 0, 1 << 22, 1700000000000) + b"key")
    seq = os.path.join(CORPUS, "fuzz_sequence_number")
    write(os.path.join(seq, "minted_shard0"),
          sequence_number(1, 0, (1700000000000 << 22) | 1).encode())
    write(os.path.join(seq, "minted_max"),
          sequence_number(0x0FFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF).encode())
    write(os.path.join(seq, "legacy_shard0"),
          sequence_number(1, 0, (1700000000000 << 22) | 1, legacy=True).encode())
    write(os.path.join(seq, "legacy_max"),
          sequence_number(0x0FFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF, legacy=True).encode())
    write(os.path.join(seq, "too_small"), b"49590338271490256608559692538361571095921575989136588898")
    write(os.path.join(seq, "zero"), b"0")

    if args.server:
        fetch_from_server(args.server)

    write_dicts(m)


def call(url, op, doc):
    req = urllib.request.Request(url, data=json.dumps(doc).encode(), method="POST", headers={
        "X-Amz-Target": PREFIX + op, "Content-Type": "application/x-amz-json-1.1",
        "Authorization": AUTH})
    with urllib.request.urlopen(req, timeout=10) as res:
        return json.loads(res.read() or b"{}")


def fetch_from_server(url):
    import time
    name = f"fuzz-seed-{int(time.time())}"
    call(url, "CreateStream", {"StreamName": name, "ShardCount": 1})
    for _ in range(100):
        if call(url, "DescribeStreamSummary", {"StreamName": name})[
                "StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE":
            break
        time.sleep(0.1)
    seq = call(url, "PutRecord", {"StreamName": name, "Data": "c2VlZA==",
                                  "PartitionKey": "pk"})["SequenceNumber"]
    it = call(url, "GetShardIterator", {"StreamName": name, "ShardId": "shardId-000000000000",
                                        "ShardIteratorType": "TRIM_HORIZON"})["ShardIterator"]
    call(url, "DeleteStream", {"StreamName": name})
    write(os.path.join(CORPUS, "fuzz_shard_iterator", "server_trim_horizon"), it.encode())
    write(os.path.join(CORPUS, "fuzz_sequence_number", "server_put_record"), seq.encode())


def dict_line(token):
    out = []
    for b in token:
        if b == 0x22 or b == 0x5C:
            out.append("\\" + chr(b))
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append(f"\\x{b:02X}")
    return '"' + "".join(out) + '"'


def write_dicts(m):
    names, enums = set(), set()
    for shape in m["shapes"].values():
        names.update(shape.get("members", {}))
        enums.update(shape.get("enum", []))
    ops = sorted(m["operations"])
    words = sorted(names) + sorted(enums) + ["fuzz", "shardId-000000000000", "@ITERATOR@",
                                             "@SEQNUM@", "arn:aws:kinesis:us-east-1:000000000000:stream/"]
    json_tokens = [f'"{w}"'.encode() for w in words] + [t.encode() for t in (
        "{", "}", "[", "]", ":", ",", "true", "false", "null", "-1", "1e309", "\\u0000", "\\ud800",
        "170141183460469231731687303715884105728", "340282366920938463463374607431768211455")]
    with open(os.path.join(HERE, "json.dict"), "w") as f:
        f.write("# JSON bodies of Kinesis requests; made by make_corpus.py\n")
        f.writelines(dict_line(t) + "\n" for t in json_tokens)

    cbor_tokens = [cbor(w) for w in words] + [
        b"\xbf", b"\x9f", b"\xff", b"\xc1\x1b", b"\xc1\xfb", b"\xf5", b"\xf6", b"\x5f", b"\x7f",
        b"\x1b\xff\xff\xff\xff\xff\xff\xff\xff", b"\xfa\x7f\xc0\x00\x00"]
    with open(os.path.join(HERE, "cbor.dict"), "w") as f:
        f.write("# CBOR items of Kinesis requests; made by make_corpus.py\n")
        f.writelines(dict_line(t) + "\n" for t in cbor_tokens)

    http_tokens = [t.encode() for t in (
        "POST", "GET", " HTTP/1.1\r\n", " HTTP/1.0\r\n", "\r\n", "\r\n\r\n", ": ",
        "Host: ", "Content-Length: ", "Transfer-Encoding: chunked", "Connection: close",
        "Connection: keep-alive", "Content-Type: ", "Authorization: ", "X-Amz-Target: ",
        "Expect: 100-continue", "application/x-amz-json-1.1", "application/x-amz-json-1.0",
        "application/x-amz-cbor-1.1", "AWS4-HMAC-SHA256 Credential=", "/aws4_request",
        "X-Amz-Credential=", "%2F", "0\r\n\r\n")] + [f"{PREFIX}{op}".encode() for op in ops]
    with open(os.path.join(HERE, "http.dict"), "w") as f:
        f.write("# HTTP requests to the Kinesis API (and their JSON bodies); made by make_corpus.py\n")
        f.writelines(dict_line(t) + "\n" for t in http_tokens + json_tokens)


if __name__ == "__main__":
    main()
