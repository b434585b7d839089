"""Data-plane operations: PutRecord(s), GetShardIterator, GetRecords."""

import datetime
import math
import os
import random
import re
import threading
import time
import unittest

from botocore.exceptions import ClientError

import support
from support import (MAX_HASH, ServerTestCase, error_code, md5_hash_key, read_shard,
                     shard_for_hash, unique_name)

SEQ_RE = re.compile(r"^(0|[1-9]\d{0,128})$")
ONE_MIB = 1024 * 1024


class RecordsTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s4 = unique_name("rec4")
        cls.kin.create_stream(StreamName=cls.s4, ShardCount=4)
        support.wait_active(cls.kin, cls.s4)
        cls.s4_shards = cls.kin.list_shards(StreamName=cls.s4)["Shards"]

    # ---------------------------------------------------------------- helpers
    def iterator(self, stream, shard_id, kind="TRIM_HORIZON", **kw):
        return self.kin.get_shard_iterator(StreamName=stream, ShardId=shard_id,
                                           ShardIteratorType=kind, **kw)["ShardIterator"]

    def read_all(self, stream, shard_id, kind="TRIM_HORIZON", **kw):
        recs, _ = read_shard(self.kin, self.iterator(stream, shard_id, kind, **kw))
        return recs

    # --------------------------------------------------------------- PutRecord
    def test_put_record_routes_by_md5(self):
        placed = {}
        for i in range(40):
            pk = f"partition-{i}-{random.random()}"
            r = self.kin.put_record(StreamName=self.s4, Data=f"v{i}".encode(), PartitionKey=pk)
            self.assertRegex(r["SequenceNumber"], SEQ_RE)
            self.assertEqual(r["ShardId"], shard_for_hash(self.s4_shards, md5_hash_key(pk)),
                             f"partition key {pk!r} landed on the wrong shard")
            placed.setdefault(r["ShardId"], []).append((r["SequenceNumber"], f"v{i}".encode(), pk))
        self.assertGreaterEqual(len(placed), 2, "40 random keys should hit several shards")
        # and they are readable on that shard, in order, with the same sequence numbers
        for shard_id, expected in placed.items():
            recs = self.read_all(self.s4, shard_id)
            got = [(r["SequenceNumber"], r["Data"], r["PartitionKey"]) for r in recs]
            # other tests may have written to the shard too: ours must be a subsequence in order
            mine = [g for g in got if g in expected]
            self.assertEqual(mine, expected)

    def test_unicode_partition_key(self):
        name = self.new_stream(4, "uni")
        shards = self.kin.list_shards(StreamName=name)["Shards"]
        pk = "ключ-🔑-キー"
        r = self.kin.put_record(StreamName=name, Data=b"u", PartitionKey=pk)
        self.assertEqual(r["ShardId"], shard_for_hash(shards, md5_hash_key(pk)))
        recs = self.read_all(name, r["ShardId"])
        self.assertEqual(recs[-1]["PartitionKey"], pk)

    def test_explicit_hash_key_overrides(self):
        for shard in self.s4_shards:
            start = int(shard["HashKeyRange"]["StartingHashKey"])
            end = int(shard["HashKeyRange"]["EndingHashKey"])
            for ehk in (start, end, (start + end) // 2):
                # choose a partition key whose md5 lands on a different shard
                for j in range(100):
                    pk = f"k{j}"
                    if shard_for_hash(self.s4_shards, md5_hash_key(pk)) != shard["ShardId"]:
                        break
                r = self.kin.put_record(StreamName=self.s4, Data=b"e", PartitionKey=pk,
                                        ExplicitHashKey=str(ehk))
                self.assertEqual(r["ShardId"], shard["ShardId"], f"ExplicitHashKey {ehk}")
        r = self.kin.put_records(StreamName=self.s4, Records=[
            {"Data": b"e", "PartitionKey": "zzz", "ExplicitHashKey": str(MAX_HASH)}])
        self.assertEqual(r["Records"][0]["ShardId"], self.s4_shards[-1]["ShardId"])

    def test_explicit_hash_key_out_of_range(self):
        self.assertClientError("InvalidArgumentException", self.kin.put_record,
                               StreamName=self.s4, Data=b"x", PartitionKey="k",
                               ExplicitHashKey=str(MAX_HASH + 1))

    def test_sequence_numbers_increase_per_shard(self):
        name = self.new_stream(2, "seq")
        last = {}
        for i in range(60):
            r = self.kin.put_record(StreamName=name, Data=b"%d" % i, PartitionKey=f"p{i % 7}")
            seq = int(r["SequenceNumber"])
            if r["ShardId"] in last:
                self.assertGreater(seq, last[r["ShardId"]])
            last[r["ShardId"]] = seq
        # the shard's starting sequence number is not above its first record
        shards = {s["ShardId"]: s for s in self.kin.list_shards(StreamName=name)["Shards"]}
        for shard_id in last:
            recs = self.read_all(name, shard_id)
            seqs = [int(x["SequenceNumber"]) for x in recs]
            self.assertEqual(seqs, sorted(set(seqs)), "records must come back in sequence order")
            self.assertLessEqual(
                int(shards[shard_id]["SequenceNumberRange"]["StartingSequenceNumber"]), seqs[0])
        # sequence numbers are unique across the stream
        all_seqs = []
        for shard_id in shards:
            all_seqs += [x["SequenceNumber"] for x in self.read_all(name, shard_id)]
        self.assertEqual(len(all_seqs), len(set(all_seqs)))
        self.assertEqual(len(all_seqs), 60)

    def test_sequence_number_for_ordering(self):
        name = self.new_stream(1, "sfo")
        prev = None
        seqs = []
        for i in range(10):
            kw = {"SequenceNumberForOrdering": prev} if prev else {}
            r = self.kin.put_record(StreamName=name, Data=b"o%d" % i, PartitionKey="same", **kw)
            if prev:
                self.assertGreater(int(r["SequenceNumber"]), int(prev))
            prev = r["SequenceNumber"]
            seqs.append(prev)
        recs = self.read_all(name, "shardId-000000000000")
        self.assertEqual([r["SequenceNumber"] for r in recs], seqs)
        self.assertEqual([r["Data"] for r in recs], [b"o%d" % i for i in range(10)])

    # --------------------------------------------------------------- PutRecords
    def test_put_records_500(self):
        name = self.new_stream(4, "batch")
        shards = self.kin.list_shards(StreamName=name)["Shards"]
        entries = [{"Data": os.urandom(16) + b"#%d" % i, "PartitionKey": f"pk-{i}"}
                   for i in range(500)]
        resp = self.kin.put_records(StreamName=name, Records=entries)
        self.assertEqual(resp["FailedRecordCount"], 0)
        self.assertEqual(len(resp["Records"]), 500)
        per_shard = {}
        for entry, res in zip(entries, resp["Records"]):
            self.assertNotIn("ErrorCode", res)
            self.assertRegex(res["SequenceNumber"], SEQ_RE)
            # results are in request order: each result is on its own entry's shard
            self.assertEqual(res["ShardId"],
                             shard_for_hash(shards, md5_hash_key(entry["PartitionKey"])))
            per_shard.setdefault(res["ShardId"], []).append(
                (res["SequenceNumber"], entry["Data"], entry["PartitionKey"]))
        self.assertEqual(len(per_shard), 4)
        total = 0
        for shard_id, expected in per_shard.items():
            recs = self.read_all(name, shard_id)
            got = [(r["SequenceNumber"], r["Data"], r["PartitionKey"]) for r in recs]
            self.assertEqual(got, expected, f"shard {shard_id}: all records, once, in order")
            total += len(got)
        self.assertEqual(total, 500)

    def test_put_records_501_rejected(self):
        name = self.new_stream(1, "b501")
        entries = [{"Data": b"x", "PartitionKey": "k"} for _ in range(501)]
        self.assertClientError("ValidationException", self.kin.put_records,
                               StreamName=name, Records=entries)
        self.assertEqual(self.read_all(name, "shardId-000000000000"), [],
                         "a rejected batch must not be partially written")

    def test_put_records_to_missing_stream(self):
        self.assertClientError("ResourceNotFoundException", self.kin.put_records,
                               StreamName=unique_name("nope"),
                               Records=[{"Data": b"x", "PartitionKey": "k"}])

    # ------------------------------------------------------------ data & size
    def test_binary_round_trip(self):
        name = self.new_stream(1, "bin")
        payload = bytes(range(256))
        r = self.kin.put_record(StreamName=name, Data=payload, PartitionKey="b")
        self.kin.put_records(StreamName=name, Records=[
            {"Data": payload[::-1], "PartitionKey": "b"},
            {"Data": b"\x00", "PartitionKey": "b"},
            {"Data": b"\xff" * 3, "PartitionKey": "b"},
        ])
        recs = self.read_all(name, "shardId-000000000000")
        self.assertEqual([x["Data"] for x in recs], [payload, payload[::-1], b"\x00", b"\xff" * 3])
        self.assertEqual(recs[0]["SequenceNumber"], r["SequenceNumber"])
        self.assertEqual(recs[0]["PartitionKey"], "b")

    def test_one_mib_record(self):
        name = self.new_stream(1, "big")
        data = os.urandom(ONE_MIB - 1)
        r = self.kin.put_record(StreamName=name, Data=data, PartitionKey="k")  # 1 MiB total
        recs = self.read_all(name, "shardId-000000000000")
        self.assertEqual(len(recs), 1)
        self.assertEqual(recs[0]["SequenceNumber"], r["SequenceNumber"])
        self.assertEqual(recs[0]["Data"], data)
        # also through PutRecords
        resp = self.kin.put_records(StreamName=name, Records=[{"Data": data, "PartitionKey": "k"}])
        self.assertEqual(resp["FailedRecordCount"], 0)

    def test_put_records_five_mib(self):
        """PutRecords may carry 5 MiB (about 7 MB of JSON once base64-encoded)."""
        name = self.new_stream(2, "five")
        entries = [{"Data": bytes([i]) * (ONE_MIB - 2), "PartitionKey": "k%d" % i}
                   for i in range(5)]
        resp = self.kin.put_records(StreamName=name, Records=entries)
        self.assertEqual(resp["FailedRecordCount"], 0)
        stored = support.read_stream(self.kin, name)
        got = sorted((r["PartitionKey"], len(r["Data"]), r["Data"][:1])
                     for recs in stored.values() for r in recs)
        self.assertEqual(got, [("k%d" % i, ONE_MIB - 2, bytes([i])) for i in range(5)])

    def test_put_records_over_five_mib_rejected(self):
        name = self.new_stream(1, "six")
        entries = [{"Data": b"s" * (ONE_MIB - 2), "PartitionKey": "k%d" % i} for i in range(6)]
        try:
            self.kin.put_records(StreamName=name, Records=entries)
            self.fail("a PutRecords request over 5 MiB must be rejected")
        except ClientError as e:
            status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            self.assertTrue(error_code(e) in ("InvalidArgumentException", "ValidationException")
                            or status == 413, e.response)
        self.assertEqual(self.read_all(name, "shardId-000000000000"), [])
        self.kin.put_record(StreamName=name, Data=b"still-works", PartitionKey="k")

    def test_over_one_mib_rejected(self):
        name = self.new_stream(1, "toobig")
        codes = ("ValidationException", "InvalidArgumentException")
        # data alone over 1 MiB: AWS's validation error of the 'data' member
        with self.assertRaises(ClientError) as cm:
            self.kin.put_record(StreamName=name, Data=b"a" * (ONE_MIB + 1), PartitionKey="k")
        self.assertEqual(error_code(cm.exception), "ValidationException")
        self.assertIn("Value at 'data' failed to satisfy constraint: Member must have length "
                      "less than or equal to 1048576", cm.exception.response["Error"]["Message"])
        # data exactly 1 MiB, plus the partition key -> over
        self.assertClientError(codes, self.kin.put_record, StreamName=name,
                               Data=b"b" * ONE_MIB, PartitionKey="k")
        # PutRecords: the whole request fails or the entry fails; either way nothing is stored
        try:
            resp = self.kin.put_records(StreamName=name, Records=[
                {"Data": b"c" * ONE_MIB, "PartitionKey": "k"}])
            self.assertEqual(resp["FailedRecordCount"], 1)
        except ClientError as e:
            self.assertIn(error_code(e), codes)
        self.assertEqual(self.read_all(name, "shardId-000000000000"), [])

    # ------------------------------------------------------------ iterators
    def test_trim_horizon_and_chaining(self):
        name = self.new_stream(1, "chain")
        sent = [b"r%02d" % i for i in range(10)]
        seqs = [self.kin.put_record(StreamName=name, Data=d, PartitionKey="p")["SequenceNumber"]
                for d in sent]
        it = self.iterator(name, "shardId-000000000000")
        got, sizes = [], []
        for _ in range(20):
            resp = self.kin.get_records(ShardIterator=it, Limit=3)
            self.assertIn("MillisBehindLatest", resp)
            self.assertIsInstance(resp["MillisBehindLatest"], int)
            self.assertGreaterEqual(resp["MillisBehindLatest"], 0)
            sizes.append(len(resp["Records"]))
            got += resp["Records"]
            self.assertLessEqual(len(resp["Records"]), 3)
            self.assertIn("NextShardIterator", resp, "open shards always hand out a next iterator")
            it = resp["NextShardIterator"]
            if not resp["Records"]:
                break
        self.assertEqual([r["Data"] for r in got], sent, "everything exactly once, in order")
        self.assertEqual([r["SequenceNumber"] for r in got], seqs)
        self.assertEqual(sizes[:4], [3, 3, 3, 1])
        self.assertEqual(resp["MillisBehindLatest"], 0, "caught up")
        # the last iterator picks up records written later
        new_seq = self.kin.put_record(StreamName=name, Data=b"later",
                                      PartitionKey="p")["SequenceNumber"]
        resp = self.kin.get_records(ShardIterator=it)
        self.assertEqual([(r["Data"], r["SequenceNumber"]) for r in resp["Records"]],
                         [(b"later", new_seq)])
        self.assertEqual(resp["MillisBehindLatest"], 0)

    def test_empty_shard(self):
        name = self.new_stream(1, "empty")
        for kind in ("TRIM_HORIZON", "LATEST"):
            resp = self.kin.get_records(ShardIterator=self.iterator(name, "shardId-000000000000",
                                                                    kind))
            self.assertEqual(resp["Records"], [])
            self.assertEqual(resp["MillisBehindLatest"], 0)
            self.assertTrue(resp["NextShardIterator"])

    def test_arrival_timestamp(self):
        name = self.new_stream(1, "ts")
        self.kin.put_record(StreamName=name, Data=b"t", PartitionKey="p")
        now = datetime.datetime.now(datetime.timezone.utc)
        rec = self.read_all(name, "shardId-000000000000")[0]
        ts = rec["ApproximateArrivalTimestamp"]
        self.assertIsInstance(ts, datetime.datetime)
        self.assertLess(abs((ts - now).total_seconds()), 5.0)
        self.assertEqual(rec.get("EncryptionType", "NONE"), "NONE")

    def test_latest(self):
        name = self.new_stream(1, "latest")
        self.kin.put_record(StreamName=name, Data=b"before-1", PartitionKey="p")
        self.kin.put_record(StreamName=name, Data=b"before-2", PartitionKey="p")
        it = self.iterator(name, "shardId-000000000000", "LATEST")
        after = self.kin.put_record(StreamName=name, Data=b"after", PartitionKey="p")
        recs, _ = read_shard(self.kin, it)
        self.assertEqual([r["Data"] for r in recs], [b"after"])
        self.assertEqual(recs[0]["SequenceNumber"], after["SequenceNumber"])

    def test_at_and_after_sequence_number(self):
        name = self.new_stream(1, "atseq")
        seqs = [self.kin.put_record(StreamName=name, Data=b"%d" % i,
                                    PartitionKey="p")["SequenceNumber"] for i in range(5)]
        recs = self.read_all(name, "shardId-000000000000", "AT_SEQUENCE_NUMBER",
                             StartingSequenceNumber=seqs[2])
        self.assertEqual([r["Data"] for r in recs], [b"2", b"3", b"4"])
        recs = self.read_all(name, "shardId-000000000000", "AFTER_SEQUENCE_NUMBER",
                             StartingSequenceNumber=seqs[2])
        self.assertEqual([r["Data"] for r in recs], [b"3", b"4"])
        recs = self.read_all(name, "shardId-000000000000", "AFTER_SEQUENCE_NUMBER",
                             StartingSequenceNumber=seqs[4])
        self.assertEqual(recs, [])
        recs = self.read_all(name, "shardId-000000000000", "AT_SEQUENCE_NUMBER",
                             StartingSequenceNumber=seqs[0])
        self.assertEqual([r["SequenceNumber"] for r in recs], seqs)

    def test_at_sequence_number_requires_sequence_number(self):
        name = self.new_stream(1, "atreq")
        self.assertClientError("InvalidArgumentException", self.kin.get_shard_iterator,
                               StreamName=name, ShardId="shardId-000000000000",
                               ShardIteratorType="AT_SEQUENCE_NUMBER")

    def test_sequence_number_from_other_shard(self):
        name = self.new_stream(2, "other")
        r0 = self.kin.put_record(StreamName=name, Data=b"s0", PartitionKey="p",
                                 ExplicitHashKey="0")
        self.assertEqual(r0["ShardId"], "shardId-000000000000")
        r1 = self.kin.put_record(StreamName=name, Data=b"s1", PartitionKey="p",
                                 ExplicitHashKey=str(MAX_HASH))
        self.assertEqual(r1["ShardId"], "shardId-000000000001")
        for kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
            with self.subTest(kind=kind):
                self.assertClientError("InvalidArgumentException", self.kin.get_shard_iterator,
                                       StreamName=name, ShardId="shardId-000000000001",
                                       ShardIteratorType=kind,
                                       StartingSequenceNumber=r0["SequenceNumber"])

    def test_at_timestamp(self):
        # botocore sends Timestamp as whole epoch seconds, so put the boundary on a second.
        name = self.new_stream(1, "atts")
        self.kin.put_record(StreamName=name, Data=b"early", PartitionKey="p")
        boundary = math.floor(time.time() + 0.1) + 1
        time.sleep(max(0.0, boundary - time.time()) + 0.1)
        self.kin.put_record(StreamName=name, Data=b"late-1", PartitionKey="p")
        self.kin.put_record(StreamName=name, Data=b"late-2", PartitionKey="p")
        between = datetime.datetime.fromtimestamp(boundary, datetime.timezone.utc)
        recs = self.read_all(name, "shardId-000000000000", "AT_TIMESTAMP", Timestamp=between)
        self.assertEqual([r["Data"] for r in recs], [b"late-1", b"late-2"])
        long_ago = between - datetime.timedelta(hours=1)
        recs = self.read_all(name, "shardId-000000000000", "AT_TIMESTAMP", Timestamp=long_ago)
        self.assertEqual([r["Data"] for r in recs], [b"early", b"late-1", b"late-2"])
        # a timestamp in the future is refused, as AWS does (boto3 sends whole seconds, so
        # "after every record but not in the future" is covered by the millisecond test)
        future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=60)
        self.assertClientError("InvalidArgumentException", self.iterator, name,
                               "shardId-000000000000", "AT_TIMESTAMP", Timestamp=future)

    def test_at_timestamp_millisecond_precision(self):
        """Other SDKs send fractional epoch seconds: 0.3 s apart must be told apart."""
        name = self.new_stream(1, "atms")
        self.kin.put_record(StreamName=name, Data=b"first", PartitionKey="p")
        time.sleep(0.3)
        between = time.time()
        time.sleep(0.3)
        self.kin.put_record(StreamName=name, Data=b"second", PartitionKey="p")
        status, _, raw, body = support.raw_call(
            self.server.port, "GetShardIterator",
            {"StreamName": name, "ShardId": "shardId-000000000000",
             "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": round(between, 3)})
        self.assertEqual(status, 200, raw)
        recs, _ = read_shard(self.kin, body["ShardIterator"])
        self.assertEqual([r["Data"] for r in recs], [b"second"])

    def test_at_timestamp_requires_timestamp(self):
        name = self.new_stream(1, "atsreq")
        self.assertClientError("InvalidArgumentException", self.kin.get_shard_iterator,
                               StreamName=name, ShardId="shardId-000000000000",
                               ShardIteratorType="AT_TIMESTAMP")

    def test_get_records_limit(self):
        name = self.new_stream(1, "limit")
        self.kin.put_records(StreamName=name, Records=[
            {"Data": b"%d" % i, "PartitionKey": "p"} for i in range(7)])
        it = self.iterator(name, "shardId-000000000000")
        resp = self.kin.get_records(ShardIterator=it, Limit=1)
        self.assertEqual([r["Data"] for r in resp["Records"]], [b"0"])
        self.assertGreaterEqual(resp["MillisBehindLatest"], 0)
        resp = self.kin.get_records(ShardIterator=resp["NextShardIterator"], Limit=10000)
        self.assertEqual([r["Data"] for r in resp["Records"]], [b"%d" % i for i in range(1, 7)])
        self.assertEqual(resp["MillisBehindLatest"], 0)

    def test_iterator_reuse_is_repeatable(self):
        name = self.new_stream(1, "reuse")
        self.kin.put_record(StreamName=name, Data=b"a", PartitionKey="p")
        it = self.iterator(name, "shardId-000000000000")
        first = self.kin.get_records(ShardIterator=it)["Records"]
        again = self.kin.get_records(ShardIterator=it)["Records"]
        self.assertEqual([r["SequenceNumber"] for r in first],
                         [r["SequenceNumber"] for r in again])

    def test_concurrent_writers(self):
        """Several clients writing one shard at once: every record lands once, in one order."""
        name = self.new_stream(1, "conc")
        per_thread, threads_n = 40, 6
        results = {}
        errors = []

        def writer(t):
            client = self.server.client()
            mine = []
            try:
                for i in range(per_thread):
                    if i % 2:
                        r = client.put_record(StreamName=name, Data=b"t%d-%d" % (t, i),
                                              PartitionKey=f"t{t}")
                        mine.append((b"t%d-%d" % (t, i), r["SequenceNumber"]))
                    else:
                        r = client.put_records(StreamName=name, Records=[
                            {"Data": b"t%d-%d" % (t, i), "PartitionKey": f"t{t}"}])
                        mine.append((b"t%d-%d" % (t, i), r["Records"][0]["SequenceNumber"]))
            except Exception as e:  # reported below
                errors.append(e)
            results[t] = mine

        threads = [threading.Thread(target=writer, args=(t,), daemon=True)
                   for t in range(threads_n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        self.assertFalse(any(t.is_alive() for t in threads), "writers hung")
        self.assertEqual(errors, [])
        for mine in results.values():
            seqs = [int(q) for _, q in mine]
            self.assertEqual(seqs, sorted(seqs), "one client's records must be in its order")
        recs = self.read_all(name, "shardId-000000000000")
        self.assertEqual(len(recs), per_thread * threads_n)
        seqs = [int(r["SequenceNumber"]) for r in recs]
        self.assertEqual(seqs, sorted(set(seqs)), "strictly increasing, no duplicates")
        stored = {r["Data"]: r["SequenceNumber"] for r in recs}
        acked = {d: q for mine in results.values() for d, q in mine}
        self.assertEqual(stored, acked)

    def test_get_records_limit_too_large(self):
        name = self.new_stream(1, "toolarge")
        it = self.iterator(name, "shardId-000000000000")
        self.assertClientError(("InvalidArgumentException", "ValidationException"),
                               self.kin.get_records, ShardIterator=it, Limit=10001)

    # ----------------------------------------------------------------- errors
    def test_garbage_iterator(self):
        for junk in ("garbage", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                     "x" * 300):
            with self.subTest(junk=junk[:20]):
                self.assertClientError("InvalidArgumentException", self.kin.get_records,
                                       ShardIterator=junk)

    def test_missing_shard(self):
        self.assertClientError("ResourceNotFoundException", self.kin.get_shard_iterator,
                               StreamName=self.s4, ShardId="shardId-000000000009",
                               ShardIteratorType="TRIM_HORIZON")

    def test_put_record_missing_stream(self):
        e = self.assertClientError("ResourceNotFoundException", self.kin.put_record,
                                   StreamName=unique_name("nope"), Data=b"x", PartitionKey="k")
        self.assertTrue(e.response["Error"]["Message"])

    def test_iterator_of_deleted_stream(self):
        name = self.new_stream(1, "gone")
        self.kin.put_record(StreamName=name, Data=b"x", PartitionKey="k")
        it = self.iterator(name, "shardId-000000000000")
        self.kin.delete_stream(StreamName=name)
        support.wait_gone(self.kin, name)
        self.assertClientError(("ResourceNotFoundException", "ExpiredIteratorException",
                                "InvalidArgumentException"),
                               self.kin.get_records, ShardIterator=it)


if __name__ == "__main__":
    unittest.main()
