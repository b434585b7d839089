"""Stream control-plane operations through boto3."""

import datetime
import re
import threading
import time
import unittest

from botocore.exceptions import ClientError

import support
from support import (MAX_HASH, ServerTestCase, create_active_stream, error_code,
                     stream_arn, unique_name, wait_active, wait_gone)

SHARD_ID_RE = re.compile(r"^shardId-\d{12}$")
SEQ_RE = re.compile(r"^(0|[1-9]\d{0,128})$")


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


class StreamLifecycleTest(ServerTestCase):
    """CREATING and DELETING must be observable: use longer (but still short) delays here."""

    server_args = ["--create-stream-ms", "400", "--delete-stream-ms", "400",
                   "--update-stream-ms", "100"]

    def test_creating_then_active(self):
        name = unique_name("life")
        t0 = time.monotonic()
        self.kin.create_stream(StreamName=name, ShardCount=1)
        summary = self.kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        self.assertEqual(summary["StreamStatus"], "CREATING")
        desc = self.kin.describe_stream(StreamName=name)["StreamDescription"]
        self.assertEqual(desc["StreamStatus"], "CREATING")
        # while CREATING: the name is taken, and the stream cannot take records yet
        self.assertClientError("ResourceInUseException", self.kin.create_stream,
                               StreamName=name, ShardCount=1)
        self.assertClientError("ResourceNotFoundException", self.kin.put_record,
                               StreamName=name, Data=b"x", PartitionKey="k")
        summary = wait_active(self.kin, name)
        elapsed = time.monotonic() - t0
        self.assertGreaterEqual(elapsed, 0.3, "stream became ACTIVE before --create-stream-ms")
        self.assertEqual(summary["OpenShardCount"], 1)
        # now it takes records
        self.kin.put_record(StreamName=name, Data=b"x", PartitionKey="k")

    def test_deleting_then_gone(self):
        name = unique_name("life")
        create_active_stream(self.kin, name, 2)
        self.kin.put_record(StreamName=name, Data=b"old-record", PartitionKey="k")
        self.kin.delete_stream(StreamName=name)
        summary = self.kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        self.assertEqual(summary["StreamStatus"], "DELETING")
        # the name stays in use until the deletion finishes
        self.assertClientError("ResourceInUseException", self.kin.create_stream,
                               StreamName=name, ShardCount=1)
        wait_gone(self.kin, name)
        self.assertClientError("ResourceNotFoundException", self.kin.describe_stream,
                               StreamName=name)
        self.assertClientError("ResourceNotFoundException", self.kin.delete_stream,
                               StreamName=name)
        self.assertNotIn(name, self.kin.list_streams()["StreamNames"])
        # re-creating the name gives a fresh, empty stream
        create_active_stream(self.kin, name, 1)
        it = self.kin.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        recs, _ = support.read_shard(self.kin, it)
        self.assertEqual(recs, [], "a re-created stream must not contain the old stream's records")
        self.kin.delete_stream(StreamName=name)
        wait_gone(self.kin, name)


class StreamsTest(ServerTestCase):
    server_args = []  # FAST_ARGS only

    # ------------------------------------------------------------- CreateStream
    def test_create_one_shard(self):
        name = unique_name("one")
        before = _now()
        self.kin.create_stream(StreamName=name, ShardCount=1)
        summary = wait_active(self.kin, name)
        self.assertEqual(summary["StreamName"], name)
        self.assertEqual(summary["StreamARN"], stream_arn(name))
        self.assertEqual(summary["OpenShardCount"], 1)
        self.assertEqual(summary["ConsumerCount"], 0)
        self.assertEqual(summary["RetentionPeriodHours"], 24)
        self.assertEqual(summary["StreamModeDetails"], {"StreamMode": "PROVISIONED"})
        self.assertEqual(summary.get("EncryptionType", "NONE"), "NONE")
        ts = summary["StreamCreationTimestamp"]
        self.assertIsInstance(ts, datetime.datetime)
        self.assertLess(abs((ts - before).total_seconds()), 30)
        shards = self.kin.list_shards(StreamName=name)["Shards"]
        self.assertEqual(len(shards), 1)
        self.assertEqual(shards[0]["ShardId"], "shardId-000000000000")
        self.assertEqual(int(shards[0]["HashKeyRange"]["StartingHashKey"]), 0)
        self.assertEqual(int(shards[0]["HashKeyRange"]["EndingHashKey"]), MAX_HASH)

    def test_create_four_shards_and_describe(self):
        name = unique_name("four")
        self.kin.create_stream(StreamName=name, ShardCount=4)
        wait_active(self.kin, name)
        desc = self.kin.describe_stream(StreamName=name)["StreamDescription"]
        self.assertEqual(desc["StreamName"], name)
        self.assertEqual(desc["StreamARN"], f"arn:aws:kinesis:us-east-1:000000000000:stream/{name}")
        self.assertEqual(desc["StreamStatus"], "ACTIVE")
        self.assertEqual(desc["RetentionPeriodHours"], 24)
        self.assertFalse(desc["HasMoreShards"])
        self.assertEqual(desc["EncryptionType"], "NONE")
        self.assertIsInstance(desc["EnhancedMonitoring"], list)
        self.assertEqual(desc["EnhancedMonitoring"], [{"ShardLevelMetrics": []}])
        self.assertEqual(desc["StreamModeDetails"], {"StreamMode": "PROVISIONED"})
        self.assertIsInstance(desc["StreamCreationTimestamp"], datetime.datetime)
        shards = desc["Shards"]
        self.assertEqual([s["ShardId"] for s in shards],
                         [f"shardId-{i:012d}" for i in range(4)])
        self.check_hash_ranges(shards)
        for s in shards:
            self.assertNotIn("ParentShardId", s)
            rng = s["SequenceNumberRange"]
            self.assertRegex(rng["StartingSequenceNumber"], SEQ_RE)
            self.assertNotIn("EndingSequenceNumber", rng, "open shards have no ending sequence")
        # evenly: 4 divides 2**128 exactly
        self.assertEqual([int(s["HashKeyRange"]["StartingHashKey"]) for s in shards],
                         [0, 2**126, 2 * 2**126, 3 * 2**126])

    def check_hash_ranges(self, shards):
        n = len(shards)
        expected_size = (MAX_HASH + 1) // n
        prev_end = -1
        for s in shards:
            self.assertRegex(s["ShardId"], SHARD_ID_RE)
            start = int(s["HashKeyRange"]["StartingHashKey"])
            end = int(s["HashKeyRange"]["EndingHashKey"])
            self.assertEqual(start, prev_end + 1, "hash key ranges must be contiguous")
            self.assertLessEqual(abs((end - start + 1) - expected_size), n,
                                 "hash key ranges must be even")
            prev_end = end
        self.assertEqual(prev_end, MAX_HASH)

    def test_uneven_shard_count_ranges(self):
        name = self.new_stream(3, "three")
        shards = self.kin.list_shards(StreamName=name)["Shards"]
        self.assertEqual(len(shards), 3)
        self.check_hash_ranges(shards)

    def test_create_on_demand(self):
        before = self.kin.describe_limits()
        name = unique_name("od")
        self.kin.create_stream(StreamName=name, StreamModeDetails={"StreamMode": "ON_DEMAND"})
        summary = wait_active(self.kin, name)
        self.assertEqual(summary["StreamModeDetails"], {"StreamMode": "ON_DEMAND"})
        self.assertEqual(summary["OpenShardCount"], 4)
        shards = self.kin.list_shards(StreamName=name)["Shards"]
        self.assertEqual(len(shards), 4)
        self.check_hash_ranges(shards)
        after = self.kin.describe_limits()
        self.assertEqual(after["OnDemandStreamCount"], before["OnDemandStreamCount"] + 1)
        listed = {s["StreamName"]: s for s in self.kin.list_streams()["StreamSummaries"]}
        self.assertEqual(listed[name]["StreamModeDetails"], {"StreamMode": "ON_DEMAND"})
        # it takes records like any stream, routed by the MD5 of the partition key
        for pk in ("a", "b", "c", "d", "e"):
            r = self.kin.put_record(StreamName=name, Data=pk.encode(), PartitionKey=pk)
            self.assertEqual(r["ShardId"], support.shard_for_hash(shards, support.md5_hash_key(pk)))

    def test_concurrent_create_same_name(self):
        """Racing CreateStream calls for one name: exactly one wins."""
        name = unique_name("race")
        outcomes = []

        def create():
            try:
                support.make_client(self.server.endpoint).create_stream(StreamName=name,
                                                                        ShardCount=1)
                outcomes.append("ok")
            except ClientError as e:
                outcomes.append(error_code(e))

        threads = [threading.Thread(target=create, daemon=True) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        self.assertEqual(sorted(outcomes), ["ResourceInUseException"] * 5 + ["ok"])
        wait_active(self.kin, name)
        self.assertEqual(self.kin.list_streams(Limit=10000)["StreamNames"].count(name), 1)

    def test_duplicate_create(self):
        name = self.new_stream(1, "dup")
        e = self.assertClientError("ResourceInUseException", self.kin.create_stream,
                                   StreamName=name, ShardCount=2)
        self.assertIn(name, e.response["Error"]["Message"])
        # the original is untouched
        self.assertEqual(
            self.kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"][
                "OpenShardCount"], 1)

    def test_delete(self):
        name = self.new_stream(1, "del")
        self.kin.delete_stream(StreamName=name)
        try:  # DELETING for --delete-stream-ms (50 here; StreamLifecycleTest checks it strictly)
            status = self.kin.describe_stream_summary(StreamName=name)[
                "StreamDescriptionSummary"]["StreamStatus"]
            self.assertEqual(status, "DELETING")
        except ClientError as e:
            self.assertEqual(error_code(e), "ResourceNotFoundException")
        wait_gone(self.kin, name)
        e = self.assertClientError("ResourceNotFoundException", self.kin.describe_stream_summary,
                                   StreamName=name)
        self.assertIn(name, e.response["Error"]["Message"])
        self.assertClientError("ResourceNotFoundException", self.kin.put_record,
                               StreamName=name, Data=b"x", PartitionKey="k")

    def test_missing_stream_everywhere(self):
        name = unique_name("missing")
        for call, kw in [
            (self.kin.describe_stream, {}),
            (self.kin.describe_stream_summary, {}),
            (self.kin.delete_stream, {}),
            (self.kin.list_shards, {}),
            (self.kin.increase_stream_retention_period, {"RetentionPeriodHours": 48}),
            (self.kin.decrease_stream_retention_period, {"RetentionPeriodHours": 24}),
            (self.kin.get_shard_iterator, {"ShardId": "shardId-000000000000",
                                           "ShardIteratorType": "TRIM_HORIZON"}),
            (self.kin.put_records, {"Records": [{"Data": b"x", "PartitionKey": "k"}]}),
        ]:
            with self.subTest(op=call.__name__):
                self.assertClientError("ResourceNotFoundException", call, StreamName=name, **kw)

    # ----------------------------------------------------------- DescribeStream
    def test_describe_stream_paging(self):
        name = self.new_stream(5, "page")
        d = self.kin.describe_stream(StreamName=name, Limit=2)["StreamDescription"]
        self.assertEqual([s["ShardId"] for s in d["Shards"]],
                         ["shardId-000000000000", "shardId-000000000001"])
        self.assertTrue(d["HasMoreShards"])
        d = self.kin.describe_stream(StreamName=name, Limit=2,
                                     ExclusiveStartShardId="shardId-000000000001")[
            "StreamDescription"]
        self.assertEqual([s["ShardId"] for s in d["Shards"]],
                         ["shardId-000000000002", "shardId-000000000003"])
        self.assertTrue(d["HasMoreShards"])
        d = self.kin.describe_stream(StreamName=name, Limit=2,
                                     ExclusiveStartShardId="shardId-000000000003")[
            "StreamDescription"]
        self.assertEqual([s["ShardId"] for s in d["Shards"]], ["shardId-000000000004"])
        self.assertFalse(d["HasMoreShards"])
        d = self.kin.describe_stream(StreamName=name, Limit=5)["StreamDescription"]
        self.assertEqual(len(d["Shards"]), 5)
        self.assertFalse(d["HasMoreShards"])
        d = self.kin.describe_stream(StreamName=name,
                                     ExclusiveStartShardId="shardId-000000000004")[
            "StreamDescription"]
        self.assertEqual(d["Shards"], [])
        self.assertFalse(d["HasMoreShards"])
        # botocore's paginator drives ExclusiveStartShardId/HasMoreShards
        pages = list(self.kin.get_paginator("describe_stream").paginate(
            StreamName=name, PaginationConfig={"PageSize": 2, "MaxItems": 100}))
        ids = [s["ShardId"] for p in pages for s in p["StreamDescription"]["Shards"]]
        self.assertEqual(ids, [f"shardId-{i:012d}" for i in range(5)])
        self.assertEqual(len(pages), 3)

    # ------------------------------------------------------------- ListShards
    def test_list_shards(self):
        name = self.new_stream(4, "ls")
        all_shards = self.kin.list_shards(StreamName=name)["Shards"]
        ids = [s["ShardId"] for s in all_shards]
        self.assertEqual(ids, [f"shardId-{i:012d}" for i in range(4)])
        self.check_hash_ranges(all_shards)
        # NextToken paging
        resp = self.kin.list_shards(StreamName=name, MaxResults=1)
        got = [s["ShardId"] for s in resp["Shards"]]
        self.assertEqual(got, ids[:1])
        self.assertIn("NextToken", resp)
        for _ in range(10):
            if "NextToken" not in resp:
                break
            resp = self.kin.list_shards(NextToken=resp["NextToken"], MaxResults=1)
            self.assertLessEqual(len(resp["Shards"]), 1)
            got += [s["ShardId"] for s in resp["Shards"]]
        self.assertEqual(got, ids)
        self.assertNotIn("NextToken", resp, "NextToken must stop after the last shard")
        # MaxResults 3 -> 3 + 1
        resp = self.kin.list_shards(StreamName=name, MaxResults=3)
        self.assertEqual([s["ShardId"] for s in resp["Shards"]], ids[:3])
        resp = self.kin.list_shards(NextToken=resp["NextToken"])
        self.assertEqual([s["ShardId"] for s in resp["Shards"]], ids[3:])
        # ExclusiveStartShardId
        resp = self.kin.list_shards(StreamName=name, ExclusiveStartShardId=ids[1])
        self.assertEqual([s["ShardId"] for s in resp["Shards"]], ids[2:])
        # ShardFilter
        resp = self.kin.list_shards(StreamName=name, ShardFilter={"Type": "AT_LATEST"})
        self.assertEqual([s["ShardId"] for s in resp["Shards"]], ids)
        resp = self.kin.list_shards(StreamName=name,
                                    ShardFilter={"Type": "AFTER_SHARD_ID", "ShardId": ids[0]})
        self.assertEqual([s["ShardId"] for s in resp["Shards"]], ids[1:])
        resp = self.kin.list_shards(StreamName=name,
                                    ShardFilter={"Type": "AFTER_SHARD_ID", "ShardId": ids[3]})
        self.assertEqual(resp["Shards"], [])

    def test_list_shards_next_token_with_stream_name(self):
        name = self.new_stream(2, "lst")
        resp = self.kin.list_shards(StreamName=name, MaxResults=1)
        self.assertIn("NextToken", resp)
        self.assertClientError("InvalidArgumentException", self.kin.list_shards,
                               StreamName=name, NextToken=resp["NextToken"])
        # neither name, ARN nor token
        self.assertClientError(("InvalidArgumentException", "ValidationException"),
                               self.kin.list_shards)

    def test_list_shards_garbage_next_token(self):
        self.assertClientError(("InvalidArgumentException", "ExpiredNextTokenException"),
                               self.kin.list_shards, NextToken="not-a-real-token")

    # ------------------------------------------------------------ by StreamARN
    def test_operations_by_arn(self):
        name = self.new_stream(2, "arn")
        arn = stream_arn(name)
        d = self.kin.describe_stream(StreamARN=arn)["StreamDescription"]
        self.assertEqual(d["StreamName"], name)
        self.assertEqual(d["StreamARN"], arn)
        s = self.kin.describe_stream_summary(StreamARN=arn)["StreamDescriptionSummary"]
        self.assertEqual(s["StreamName"], name)
        shards = self.kin.list_shards(StreamARN=arn)["Shards"]
        self.assertEqual(len(shards), 2)
        r1 = self.kin.put_record(StreamARN=arn, Data=b"by-arn-1", PartitionKey="p",
                                 ExplicitHashKey="0")
        self.assertEqual(r1["ShardId"], "shardId-000000000000")
        r2 = self.kin.put_records(StreamARN=arn, Records=[
            {"Data": b"by-arn-2", "PartitionKey": "p", "ExplicitHashKey": "0"}])
        self.assertEqual(r2["FailedRecordCount"], 0)
        it = self.kin.get_shard_iterator(StreamARN=arn, ShardId="shardId-000000000000",
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        recs = self.kin.get_records(ShardIterator=it, StreamARN=arn)["Records"]
        self.assertEqual([r["Data"] for r in recs], [b"by-arn-1", b"by-arn-2"])
        self.kin.increase_stream_retention_period(StreamARN=arn, RetentionPeriodHours=36)
        wait_active(self.kin, arn=arn)
        self.assertEqual(self.kin.describe_stream_summary(StreamARN=arn)[
            "StreamDescriptionSummary"]["RetentionPeriodHours"], 36)
        self.kin.decrease_stream_retention_period(StreamARN=arn, RetentionPeriodHours=24)
        wait_active(self.kin, arn=arn)
        self.assertEqual(self.kin.describe_stream_summary(StreamName=name)[
            "StreamDescriptionSummary"]["RetentionPeriodHours"], 24)
        self.kin.delete_stream(StreamARN=arn)
        wait_gone(self.kin, name)
        self.assertClientError("ResourceNotFoundException", self.kin.describe_stream_summary,
                               StreamARN=arn)

    def test_arn_of_missing_stream(self):
        arn = stream_arn(unique_name("nope"))
        self.assertClientError("ResourceNotFoundException", self.kin.describe_stream, StreamARN=arn)
        self.assertClientError("ResourceNotFoundException", self.kin.put_record,
                               StreamARN=arn, Data=b"x", PartitionKey="k")

    # -------------------------------------------------------------- retention
    def test_retention_period(self):
        name = self.new_stream(1, "ret")

        def retention():
            return self.kin.describe_stream(StreamName=name)["StreamDescription"][
                "RetentionPeriodHours"]

        self.kin.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=48)
        wait_active(self.kin, name)
        self.assertEqual(retention(), 48)
        self.assertEqual(self.kin.describe_stream_summary(StreamName=name)[
            "StreamDescriptionSummary"]["RetentionPeriodHours"], 48)
        # increase to a smaller value / decrease to a larger value
        self.assertClientError("InvalidArgumentException",
                               self.kin.increase_stream_retention_period,
                               StreamName=name, RetentionPeriodHours=30)
        self.assertClientError("InvalidArgumentException",
                               self.kin.decrease_stream_retention_period,
                               StreamName=name, RetentionPeriodHours=72)
        self.assertEqual(retention(), 48)
        self.kin.decrease_stream_retention_period(StreamName=name, RetentionPeriodHours=24)
        wait_active(self.kin, name)
        self.assertEqual(retention(), 24)
        # out of range
        self.assertClientError("InvalidArgumentException",
                               self.kin.decrease_stream_retention_period,
                               StreamName=name, RetentionPeriodHours=23)
        self.assertClientError("InvalidArgumentException",
                               self.kin.increase_stream_retention_period,
                               StreamName=name, RetentionPeriodHours=8761)
        self.assertEqual(retention(), 24)
        # the maximum is allowed
        self.kin.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=8760)
        wait_active(self.kin, name)
        self.assertEqual(retention(), 8760)

    # ---------------------------------------------------------- DescribeLimits
    def test_describe_limits_shape(self):
        lim = self.kin.describe_limits()
        for k in ("ShardLimit", "OpenShardCount", "OnDemandStreamCount",
                  "OnDemandStreamCountLimit"):
            self.assertIsInstance(lim[k], int, k)
        self.assertGreater(lim["ShardLimit"], 0)
        self.assertGreater(lim["OnDemandStreamCountLimit"], 0)
        before = lim["OpenShardCount"]
        self.new_stream(3, "lim")
        self.assertEqual(self.kin.describe_limits()["OpenShardCount"], before + 3)


class ListStreamsTest(ServerTestCase):
    """Own server, so the exact set of streams is known."""

    NAMES = ["alpha", "bravo", "charlie", "delta", "echo"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # create out of order; listing must be sorted by name
        for n in ["delta", "alpha", "echo", "charlie", "bravo"]:
            cls.kin.create_stream(StreamName=n, ShardCount=1)
        for n in cls.NAMES:
            wait_active(cls.kin, n)

    def test_list_all(self):
        resp = self.kin.list_streams()
        self.assertEqual(resp["StreamNames"], self.NAMES)
        self.assertFalse(resp["HasMoreStreams"])
        self.assertNotIn("NextToken", resp)
        sums = resp["StreamSummaries"]
        self.assertEqual([s["StreamName"] for s in sums], self.NAMES)
        for s in sums:
            self.assertEqual(s["StreamARN"], stream_arn(s["StreamName"]))
            self.assertEqual(s["StreamStatus"], "ACTIVE")
            self.assertEqual(s["StreamModeDetails"], {"StreamMode": "PROVISIONED"})
            self.assertIsInstance(s["StreamCreationTimestamp"], datetime.datetime)

    def test_limit_and_exclusive_start(self):
        resp = self.kin.list_streams(Limit=2)
        self.assertEqual(resp["StreamNames"], ["alpha", "bravo"])
        self.assertTrue(resp["HasMoreStreams"])
        self.assertIn("NextToken", resp)
        resp = self.kin.list_streams(Limit=2, ExclusiveStartStreamName="bravo")
        self.assertEqual(resp["StreamNames"], ["charlie", "delta"])
        self.assertTrue(resp["HasMoreStreams"])
        resp = self.kin.list_streams(Limit=2, ExclusiveStartStreamName="delta")
        self.assertEqual(resp["StreamNames"], ["echo"])
        self.assertFalse(resp["HasMoreStreams"])
        resp = self.kin.list_streams(ExclusiveStartStreamName="echo")
        self.assertEqual(resp["StreamNames"], [])
        self.assertFalse(resp["HasMoreStreams"])
        # a start name that is not a stream still works lexicographically
        resp = self.kin.list_streams(ExclusiveStartStreamName="c")
        self.assertEqual(resp["StreamNames"], ["charlie", "delta", "echo"])
        resp = self.kin.list_streams(Limit=5)
        self.assertEqual(resp["StreamNames"], self.NAMES)
        self.assertFalse(resp["HasMoreStreams"])

    def test_next_token_paging(self):
        names, summaries = [], []
        resp = self.kin.list_streams(Limit=2)
        for _ in range(10):
            names += resp["StreamNames"]
            summaries += [s["StreamName"] for s in resp["StreamSummaries"]]
            if not resp["HasMoreStreams"]:
                break
            resp = self.kin.list_streams(Limit=2, NextToken=resp["NextToken"])
        self.assertEqual(names, self.NAMES)
        self.assertEqual(summaries, self.NAMES)
        pages = list(self.kin.get_paginator("list_streams").paginate(
            PaginationConfig={"PageSize": 2, "MaxItems": 50}))
        self.assertEqual(len(pages), 3)
        self.assertEqual([n for p in pages for n in p["StreamNames"]], self.NAMES)


class ManyStreamsTest(ServerTestCase):
    """More streams than one ListStreams page (default Limit 100)."""

    server_args = ["--create-stream-ms", "0"]

    def test_default_page_is_100(self):
        names = sorted(f"many-{i:03d}" for i in range(105))
        for n in names:
            self.kin.create_stream(StreamName=n, ShardCount=1)
        for n in names:
            wait_active(self.kin, n)
        resp = self.kin.list_streams()
        self.assertEqual(resp["StreamNames"], names[:100])
        self.assertEqual(len(resp["StreamSummaries"]), 100)
        self.assertTrue(resp["HasMoreStreams"])
        resp = self.kin.list_streams(NextToken=resp["NextToken"])
        self.assertEqual(resp["StreamNames"], names[100:])
        self.assertFalse(resp["HasMoreStreams"])
        self.assertEqual(self.kin.describe_limits()["OpenShardCount"], 105)


class ShardLimitTest(ServerTestCase):
    server_args = ["--shard-limit", "10"]

    def test_shard_limit(self):
        lim = self.kin.describe_limits()
        self.assertEqual(lim["ShardLimit"], 10)
        self.assertEqual(lim["OpenShardCount"], 0)
        self.assertEqual(lim["OnDemandStreamCount"], 0)
        self.assertGreaterEqual(lim["OnDemandStreamCountLimit"], 1)
        self.new_stream(4, "a")
        self.new_stream(3, "b")
        lim = self.kin.describe_limits()
        self.assertEqual(lim["OpenShardCount"], 7)
        self.assertEqual(lim["ShardLimit"], 10)
        over = unique_name("over")
        self.assertClientError("LimitExceededException", self.kin.create_stream,
                               StreamName=over, ShardCount=4)
        self.assertClientError("ResourceNotFoundException", self.kin.describe_stream_summary,
                               StreamName=over)
        self.assertEqual(self.kin.describe_limits()["OpenShardCount"], 7)
        # exactly reaching the limit is fine
        last = self.new_stream(3, "c")
        self.assertEqual(self.kin.describe_limits()["OpenShardCount"], 10)
        self.assertClientError("LimitExceededException", self.kin.create_stream,
                               StreamName=unique_name("over"), ShardCount=1)
        # deleting frees shards
        self.kin.delete_stream(StreamName=last)
        wait_gone(self.kin, last)
        self.assertEqual(self.kin.describe_limits()["OpenShardCount"], 7)
        self.new_stream(1, "d")


if __name__ == "__main__":
    unittest.main()
