"""Per-shard throughput limits with the server's defaults (on, like AWS), through boto3."""

import unittest

from botocore.exceptions import ClientError

import support
from support import ServerTestCase, error_code


class LimitsOnTest(ServerTestCase):
    server_args = ["--throughput-limits", "on"]

    def test_put_records_beyond_the_record_rate_fails_per_entry(self):
        name = self.new_stream(1, "lim")
        failed, codes = 0, set()
        for call in range(4):  # 2,000 records into one shard, far faster than 1,000/s
            r = self.kin.put_records(StreamName=name, Records=[
                {"Data": b"x", "PartitionKey": "k%d" % i} for i in range(500)])
            failed += r["FailedRecordCount"]
            for rec in r["Records"]:
                if "ErrorCode" in rec:
                    codes.add(rec["ErrorCode"])
                    self.assertIn("Rate exceeded for shard shardId-000000000000", rec["ErrorMessage"])
                    self.assertNotIn("SequenceNumber", rec)
                else:
                    self.assertIn("SequenceNumber", rec)
        # 1,000 fit in the bucket plus what refills while the calls run: at least a few hundred
        # fail unless the four calls took over a second (a machine that slow fails here)
        self.assertGreaterEqual(failed, 200)
        self.assertEqual(codes, {"ProvisionedThroughputExceededException"})
        stored, _ = support.read_shard(self.kin, self.kin.get_shard_iterator(
            StreamName=name, ShardId="shardId-000000000000",
            ShardIteratorType="TRIM_HORIZON")["ShardIterator"], max_calls=5)
        self.assertEqual(len(stored), 2000 - failed)

    def test_put_record_beyond_the_byte_rate_is_refused(self):
        name = self.new_stream(1, "limb")
        codes = []
        for _ in range(4):  # 4 x 512 KiB into one shard at once
            try:
                self.kin.put_record(StreamName=name, Data=b"z" * (512 * 1024), PartitionKey="k")
                codes.append("ok")
            except ClientError as e:
                codes.append(error_code(e))
        self.assertIn("ProvisionedThroughputExceededException", codes)
        self.assertEqual(codes[0], "ok")

    def test_get_records_beyond_five_calls_per_second_is_refused(self):
        name = self.new_stream(1, "limr")
        it = self.kin.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        codes = []
        for _ in range(8):
            try:
                it = self.kin.get_records(ShardIterator=it)["NextShardIterator"]
                codes.append("ok")
            except ClientError as e:
                codes.append(error_code(e))
        # five in the bucket; one more may refill (one per 200 ms) on a slow machine
        self.assertIn(codes.count("ok"), (5, 6), codes)
        self.assertEqual(set(codes) - {"ok"}, {"ProvisionedThroughputExceededException"})


class ControlPlaneLimitsTest(ServerTestCase):
    server_args = ["--control-plane-limits", "on"]

    def test_describe_stream_beyond_ten_per_second_is_refused(self):
        import boto3
        from botocore.config import Config
        client = boto3.client("kinesis", endpoint_url=self.server.endpoint, region_name="us-east-1",
                              aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
                              config=Config(retries={"total_max_attempts": 1}))
        name = self.new_stream(1, "cp")
        codes = []
        for _ in range(15):
            try:
                client.describe_stream(StreamName=name)
                codes.append("ok")
            except ClientError as e:
                codes.append(error_code(e))
                self.assertIn("Rate exceeded", e.response["Error"]["Message"])
        self.assertLessEqual(codes.count("ok"), 12)  # 10 in the bucket, a little refill
        self.assertIn("LimitExceededException", codes)


class LimitsOffTest(ServerTestCase):
    server_args = ["--throughput-limits", "off"]

    def test_no_throttling_when_off(self):
        name = self.new_stream(1, "nolim")
        for _ in range(4):
            r = self.kin.put_records(StreamName=name, Records=[
                {"Data": b"x", "PartitionKey": "k%d" % i} for i in range(500)])
            self.assertEqual(r["FailedRecordCount"], 0)


if __name__ == "__main__":
    unittest.main()
