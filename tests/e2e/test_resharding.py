"""Resharding through boto3: SplitShard, MergeShards, UpdateShardCount, UpdateStreamMode,
lineage in ListShards/DescribeStream, ChildShards at a closed shard's end, and records
written before and after staying readable in order."""

import unittest

from botocore.exceptions import ClientError

import support
from support import MAX_HASH, ServerTestCase, error_code, md5_hash_key, read_shard, stream_arn


class ReshardingTest(ServerTestCase):
    server_args = ["--update-stream-ms", "100"]

    def wait_active(self, name):
        support.wait_active(self.kin, name)

    def shards(self, name):
        return self.kin.list_shards(StreamName=name)["Shards"]

    def test_split_then_read_parent_to_its_end_and_children(self):
        name = self.new_stream(1, "split")
        before = [self.kin.put_record(StreamName=name, Data=b"old-%d" % i, PartitionKey="p%d" % i)
                  for i in range(5)]
        middle = 2 ** 127
        self.kin.split_shard(StreamName=name, ShardToSplit="shardId-000000000000",
                             NewStartingHashKey=str(middle))
        summary = self.kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        self.assertEqual(summary["StreamStatus"], "UPDATING")
        self.assertEqual(summary["OpenShardCount"], 2)
        # writes go on while UPDATING, into the children
        low = self.kin.put_record(StreamName=name, Data=b"new-low", PartitionKey="x",
                                  ExplicitHashKey="0")
        high = self.kin.put_record(StreamName=name, Data=b"new-high", PartitionKey="x",
                                   ExplicitHashKey=str(MAX_HASH))
        self.assertEqual(low["ShardId"], "shardId-000000000001")
        self.assertEqual(high["ShardId"], "shardId-000000000002")
        self.wait_active(name)

        shards = {s["ShardId"]: s for s in self.shards(name)}
        parent = shards["shardId-000000000000"]
        self.assertEqual(parent["SequenceNumberRange"]["EndingSequenceNumber"],
                         before[-1]["SequenceNumber"])
        self.assertEqual(shards["shardId-000000000001"]["ParentShardId"], "shardId-000000000000")
        self.assertEqual(shards["shardId-000000000002"]["HashKeyRange"]["StartingHashKey"],
                         str(middle))
        self.assertEqual(shards["shardId-000000000001"]["HashKeyRange"]["EndingHashKey"],
                         str(middle - 1))
        # AT_LATEST lists only the open children
        latest = self.kin.list_shards(StreamName=name, ShardFilter={"Type": "AT_LATEST"})["Shards"]
        self.assertEqual([s["ShardId"] for s in latest],
                         ["shardId-000000000001", "shardId-000000000002"])

        it = self.kin.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        got, last = [], None
        for _ in range(20):
            last = self.kin.get_records(ShardIterator=it, Limit=2)
            got.extend(r["Data"] for r in last["Records"])
            it = last.get("NextShardIterator")
            if it is None:
                break
        self.assertEqual(got, [b"old-%d" % i for i in range(5)])
        self.assertIsNone(last.get("NextShardIterator"))
        children = sorted(c["ShardId"] for c in last["ChildShards"])
        self.assertEqual(children, ["shardId-000000000001", "shardId-000000000002"])
        for child in last["ChildShards"]:
            self.assertEqual(child["ParentShards"], ["shardId-000000000000"])
            self.assertIn("StartingHashKey", child["HashKeyRange"])

        recs, _ = read_shard(self.kin, self.kin.get_shard_iterator(
            StreamName=name, ShardId="shardId-000000000002",
            ShardIteratorType="TRIM_HORIZON")["ShardIterator"])
        self.assertEqual([r["Data"] for r in recs], [b"new-high"])

    def test_merge_and_errors(self):
        name = self.new_stream(3, "merge")
        self.assertClientError("InvalidArgumentException", self.kin.merge_shards, StreamName=name,
                               ShardToMerge="shardId-000000000000",
                               AdjacentShardToMerge="shardId-000000000002")
        self.assertClientError("ResourceNotFoundException", self.kin.merge_shards,
                               StreamName=name, ShardToMerge="shardId-000000000000",
                               AdjacentShardToMerge="shardId-000000000007")
        self.kin.merge_shards(StreamARN=stream_arn(name), ShardToMerge="shardId-000000000000",
                              AdjacentShardToMerge="shardId-000000000001")
        # a second reshard while UPDATING is refused
        self.assertClientError("ResourceInUseException", self.kin.split_shard, StreamName=name,
                               ShardToSplit="shardId-000000000002", NewStartingHashKey=str(MAX_HASH))
        self.wait_active(name)
        child = {s["ShardId"]: s for s in self.shards(name)}["shardId-000000000003"]
        self.assertEqual(child["ParentShardId"], "shardId-000000000000")
        self.assertEqual(child["AdjacentParentShardId"], "shardId-000000000001")
        self.assertEqual(child["HashKeyRange"]["StartingHashKey"], "0")
        # a closed shard cannot be split
        self.assertClientError(("ResourceInUseException", "InvalidArgumentException"),
                               self.kin.split_shard, StreamName=name,
                               ShardToSplit="shardId-000000000000", NewStartingHashKey="5")
        # a split point outside the shard changes nothing
        self.assertClientError("InvalidArgumentException", self.kin.split_shard, StreamName=name,
                               ShardToSplit="shardId-000000000002", NewStartingHashKey="5")
        self.assertEqual(len(self.shards(name)), 4)

    def test_update_shard_count(self):
        name = self.new_stream(4, "scale")
        r = self.kin.update_shard_count(StreamName=name, TargetShardCount=6,
                                        ScalingType="UNIFORM_SCALING")
        self.assertEqual((r["CurrentShardCount"], r["TargetShardCount"]), (4, 6))
        self.assertEqual(r["StreamARN"], stream_arn(name))
        self.wait_active(name)
        open_shards = self.kin.list_shards(StreamName=name,
                                           ShardFilter={"Type": "AT_LATEST"})["Shards"]
        self.assertEqual(len(open_shards), 6)
        starts = sorted(int(s["HashKeyRange"]["StartingHashKey"]) for s in open_shards)
        self.assertEqual(starts, [i * (2 ** 128 // 6) for i in range(6)])
        # records route by MD5 into the new open shards
        pk = "route-me"
        put = self.kin.put_record(StreamName=name, Data=b"x", PartitionKey=pk)
        owner = [s["ShardId"] for s in open_shards
                 if int(s["HashKeyRange"]["StartingHashKey"]) <= md5_hash_key(pk)
                 <= int(s["HashKeyRange"]["EndingHashKey"])]
        self.assertEqual([put["ShardId"]], owner)
        for target in (13, 2):
            self.assertClientError("InvalidArgumentException", self.kin.update_shard_count,
                                   StreamName=name, TargetShardCount=target,
                                   ScalingType="UNIFORM_SCALING")

    def test_update_stream_mode(self):
        name = self.new_stream(2, "mode")
        self.kin.update_stream_mode(StreamARN=stream_arn(name),
                                    StreamModeDetails={"StreamMode": "ON_DEMAND"})
        self.wait_active(name)
        summary = self.kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        self.assertEqual(summary["StreamModeDetails"]["StreamMode"], "ON_DEMAND")
        self.assertClientError("InvalidArgumentException", self.kin.update_shard_count,
                               StreamName=name, TargetShardCount=3,
                               ScalingType="UNIFORM_SCALING")

    def test_resharding_survives_restart(self):
        name = self.new_stream(2, "rs-restart")
        self.kin.merge_shards(StreamName=name, ShardToMerge="shardId-000000000000",
                              AdjacentShardToMerge="shardId-000000000001")
        self.wait_active(name)
        before = self.shards(name)
        self.server.restart()
        type(self).kin = self.server.client()
        self.assertEqual(self.shards(name), before)


if __name__ == "__main__":
    unittest.main()
