#!/usr/bin/env python3
"""Smoke test of a running kinesis-emulator container, with boto3 as a user's code would use it.

Env: KINESIS_ENDPOINT (default http://kinesis:4567), EXPECT_STREAMS (the server's
INITIALIZE_STREAMS, name:shards[:region],...; default "orders:2,clicks:1"), SMOKE_STREAM (the
stream this test creates; default "smoke"), AWS_DEFAULT_REGION (default us-east-1).

Checks, in order: the health route says "running"; every expected stream exists, is ACTIVE and
has its shard count; SMOKE_STREAM can be created (deleted first if an earlier run left it) and
becomes ACTIVE under boto3's stream_exists waiter; a record put into it comes back from
GetRecords. Every wait is bounded. Exits 1 at the first failure, naming the check.
"""
import json
import os
import sys
import time
import urllib.request

import boto3
import botocore.config

ENDPOINT = os.environ.get("KINESIS_ENDPOINT", "http://kinesis:4567").rstrip("/")
EXPECT = os.environ.get("EXPECT_STREAMS", "orders:2,clicks:1")
STREAM = os.environ.get("SMOKE_STREAM", "smoke")
REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")

# Short timeouts and few retries: a broken server fails the test in seconds, not minutes.
CONFIG = botocore.config.Config(connect_timeout=5, read_timeout=10,
                                retries={"max_attempts": 3, "mode": "standard"})
WAIT = {"Delay": 1, "MaxAttempts": 30}  # waiters: 30 s at most


class Failure(Exception):
    pass


def client(region):
    return boto3.client("kinesis", endpoint_url=ENDPOINT, region_name=region, config=CONFIG,
                        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
                        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"))


def check_health():
    url = ENDPOINT + "/_emulator/health"
    with urllib.request.urlopen(url, timeout=5) as response:
        body = json.loads(response.read())
        if response.status != 200 or body.get("status") != "running":
            raise Failure(f"GET {url}: {response.status} {body}")
    return f"GET /_emulator/health: {body}"


def check_initialized_streams():
    seen = []
    for entry in filter(None, (e.strip() for e in EXPECT.split(","))):
        parts = entry.split(":")
        name = parts[0]
        shards = int(parts[1]) if len(parts) > 1 and parts[1] else None
        region = parts[2] if len(parts) > 2 and parts[2] else REGION
        summary = client(region).describe_stream_summary(StreamName=name)
        summary = summary["StreamDescriptionSummary"]
        if summary["StreamStatus"] != "ACTIVE":
            raise Failure(f"initialized stream {name} ({region}) is {summary['StreamStatus']}")
        if shards is not None and summary["OpenShardCount"] != shards:
            raise Failure(f"initialized stream {name} ({region}) has "
                          f"{summary['OpenShardCount']} open shards, expected {shards}")
        seen.append(f"{name}:{summary['OpenShardCount']}")
    return "initialized streams ACTIVE: " + ", ".join(seen)


def check_create_stream():
    kinesis = client(REGION)
    if STREAM in kinesis.list_streams()["StreamNames"]:  # left by an earlier run
        kinesis.delete_stream(StreamName=STREAM, EnforceConsumerDeletion=True)
        kinesis.get_waiter("stream_not_exists").wait(StreamName=STREAM, WaiterConfig=WAIT)
    started = time.monotonic()
    kinesis.create_stream(StreamName=STREAM, ShardCount=1)
    kinesis.get_waiter("stream_exists").wait(StreamName=STREAM, WaiterConfig=WAIT)
    return f"created {STREAM}, ACTIVE after {time.monotonic() - started:.1f} s (stream_exists)"


def check_round_trip():
    kinesis = client(REGION)
    data = f"smoke {time.time()}".encode()
    put = kinesis.put_record(StreamName=STREAM, Data=data, PartitionKey="smoke")
    iterator = kinesis.get_shard_iterator(StreamName=STREAM, ShardId=put["ShardId"],
                                          ShardIteratorType="AT_SEQUENCE_NUMBER",
                                          StartingSequenceNumber=put["SequenceNumber"])
    iterator = iterator["ShardIterator"]
    for _ in range(10):  # GetRecords may answer empty pages before the record's
        page = kinesis.get_records(ShardIterator=iterator, Limit=10)
        if page["Records"]:
            record = page["Records"][0]
            if record["Data"] != data or record["SequenceNumber"] != put["SequenceNumber"]:
                raise Failure(f"GetRecords gave {record['Data']!r} #{record['SequenceNumber']}, "
                              f"put {data!r} #{put['SequenceNumber']}")
            return f"put_record/get_records round trip ({put['ShardId']})"
        iterator = page["NextShardIterator"]
        time.sleep(0.2)
    raise Failure("GetRecords did not return the record put")


def main():
    checks = [check_health, check_initialized_streams, check_create_stream, check_round_trip]
    print(f"smoke: {ENDPOINT}", flush=True)
    for passed, check in enumerate(checks):
        try:
            print(f"smoke: ok: {check()}", flush=True)
        except Exception as e:  # noqa: BLE001 - any failure ends the test with its reason
            print(f"smoke: FAILED: {check.__name__}: {type(e).__name__}: {e}", file=sys.stderr,
                  flush=True)
            print(f"smoke: {passed} passed, 1 failed", flush=True)
            return 1
    print(f"smoke: {len(checks)} passed, 0 failed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
