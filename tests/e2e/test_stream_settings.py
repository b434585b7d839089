"""The newer CreateStream members and the settings that go with them: Tags, MaxRecordSizeInKiB
(with UpdateMaxRecordSize, records up to 10 MiB) and on-demand warm throughput."""

import unittest

import support
from support import ServerTestCase, error_code, stream_arn

MIB = 1024 * 1024


class StreamSettingsTest(ServerTestCase):

    def test_create_with_tags(self):
        name = support.unique_name("tagged")
        self.kin.create_stream(StreamName=name, ShardCount=1, Tags={"team": "a", "env": "ci"})
        support.wait_active(self.kin, name)
        tags = self.kin.list_tags_for_stream(StreamName=name)["Tags"]
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in tags), [("env", "ci"), ("team", "a")])
        # a bad tag refuses the whole create
        bad = support.unique_name("badtag")
        self.assertClientError("InvalidArgumentException", self.kin.create_stream,
                               StreamName=bad, ShardCount=1, Tags={"aws:reserved": "x"})
        self.assertNotIn(bad, self.kin.list_streams()["StreamNames"])

    def test_larger_records_after_update_max_record_size(self):
        name = self.new_stream(1, "big")
        s = self.kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        self.assertEqual(s["MaxRecordSizeInKiB"], 1024)
        big = bytes(range(256)) * (3 * MIB // 256)  # 3 MiB
        self.assertClientError("ValidationException", self.kin.put_record, StreamName=name,
                               Data=big, PartitionKey="k")
        self.kin.update_max_record_size(StreamARN=stream_arn(name), MaxRecordSizeInKiB=4096)
        support.wait_active(self.kin, name)
        put = self.kin.put_record(StreamName=name, Data=big, PartitionKey="k")
        it = self.kin.get_shard_iterator(StreamName=name, ShardId=put["ShardId"],
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assertEqual(self.kin.get_records(ShardIterator=it)["Records"][0]["Data"], big)
        self.assertClientError("ValidationException", self.kin.update_max_record_size,
                               StreamARN=stream_arn(name), MaxRecordSizeInKiB=20000)

    def test_create_with_max_record_size_and_warm_throughput(self):
        name = support.unique_name("warm")
        self.kin.create_stream(StreamName=name, StreamModeDetails={"StreamMode": "ON_DEMAND"},
                               MaxRecordSizeInKiB=2048, WarmThroughputMiBps=100)
        support.wait_active(self.kin, name)
        s = self.kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        self.assertEqual(s["MaxRecordSizeInKiB"], 2048)
        self.assertEqual(s["WarmThroughput"]["TargetMiBps"], 100)
        r = self.kin.update_stream_warm_throughput(StreamName=name, WarmThroughputMiBps=200)
        self.assertEqual(r["WarmThroughput"]["TargetMiBps"], 200)
        provisioned = self.new_stream(1, "nowarm")
        self.assertClientError("InvalidArgumentException", self.kin.update_stream_warm_throughput,
                               StreamName=provisioned, WarmThroughputMiBps=10)


if __name__ == "__main__":
    unittest.main()
