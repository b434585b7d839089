"""RecordDistributionStrategy, DryRun and the channel operations of the current Kinesis API, on
the wire (raw signed JSON: this machine's botocore predates them; the JavaScript SDK's
"distribution" group in test_js_sdk.py drives the same through a real SDK)."""

import unittest

from support import ServerTestCase, error_message, error_type, raw_call, stream_arn, unique_name

CHANNEL_OPERATIONS = ["CreateChannel", "DeleteChannel", "DescribeChannel", "ListChannels",
                      "UpdateChannel"]


class RecordDistributionTest(ServerTestCase):

    def call(self, op, body):
        status, _, _, parsed = raw_call(self.server.port, op, body)
        return status, parsed

    def ok(self, op, body):
        status, parsed = self.call(op, body)
        self.assertEqual(status, 200, parsed)
        return parsed

    def refused(self, op, body, kind):
        status, parsed = self.call(op, body)
        self.assertEqual((status, error_type(parsed)), (400, kind), parsed)
        return error_message(parsed)

    def wait_active(self, name):
        for _ in range(200):
            summary = self.ok("DescribeStreamSummary", {"StreamName": name})
            if summary["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE":
                return summary["StreamDescriptionSummary"]
        self.fail(f"{name} not ACTIVE")

    def records_of(self, name):
        out = []
        for shard in self.ok("ListShards", {"StreamName": name})["Shards"]:
            it = self.ok("GetShardIterator", {"StreamName": name, "ShardId": shard["ShardId"],
                                              "ShardIteratorType": "TRIM_HORIZON"})
            out += self.ok("GetRecords", {"ShardIterator": it["ShardIterator"]})["Records"]
        return out

    def auto_stream(self):
        name = unique_name("auto")
        self.ok("CreateStream", {"StreamName": name, "RecordDistributionStrategy": "AUTO",
                                 "StreamModeDetails": {"StreamMode": "ON_DEMAND"}})
        self.assertEqual(self.wait_active(name)["RecordDistributionStrategy"], "AUTO")
        return name

    def test_new_streams_report_user_partition_key(self):
        name = unique_name("upk")
        self.ok("CreateStream", {"StreamName": name, "ShardCount": 1})
        self.assertEqual(self.wait_active(name)["RecordDistributionStrategy"],
                         "USER_PARTITION_KEY")

    def test_auto_spreads_one_key_over_every_shard_and_takes_records_without_a_key(self):
        name = self.auto_stream()
        shards = {self.ok("PutRecord", {"StreamName": name, "PartitionKey": "k",
                                        "Data": "eA==", "ExplicitHashKey": "0"})["ShardId"]
                  for _ in range(8)}
        self.assertEqual(len(shards), 4)
        put = self.ok("PutRecords", {"StreamName": name, "Records": [{"Data": "eQ=="}] * 4})
        self.assertEqual(put["FailedRecordCount"], 0)
        self.assertEqual(len({r["ShardId"] for r in put["Records"]}), 4)
        records = self.records_of(name)
        self.assertEqual(len(records), 12)
        keyless = [r for r in records if r["Data"] == "eQ=="]
        self.assertEqual(len(keyless), 4)
        self.assertTrue(all("PartitionKey" not in r for r in keyless), keyless)
        self.assertTrue(all(r.get("PartitionKey") == "k" for r in records if r["Data"] == "eA=="))

    def test_auto_refuses_sequence_number_for_ordering(self):
        name = self.auto_stream()
        first = self.ok("PutRecord", {"StreamName": name, "PartitionKey": "k", "Data": "eA=="})
        self.refused("PutRecord", {"StreamName": name, "PartitionKey": "k", "Data": "eA==",
                                   "SequenceNumberForOrdering": first["SequenceNumber"]},
                     "InvalidArgumentException")

    def test_user_partition_key_streams_need_a_key_and_keep_nothing_without_one(self):
        name = unique_name("upk")
        self.ok("CreateStream", {"StreamName": name, "ShardCount": 1})
        self.wait_active(name)
        self.assertIn("PartitionKey", self.refused(
            "PutRecord", {"StreamName": name, "Data": "eA=="}, "InvalidArgumentException"))
        self.refused("PutRecords", {"StreamName": name, "Records": [
            {"Data": "eA==", "PartitionKey": "k"}, {"Data": "eA=="}]}, "InvalidArgumentException")
        self.assertEqual(self.records_of(name), [])

    def test_auto_only_on_demand(self):
        name = unique_name("prov")
        self.refused("CreateStream", {"StreamName": name, "ShardCount": 1,
                                      "RecordDistributionStrategy": "AUTO"},
                     "InvalidArgumentException")
        self.refused("DescribeStreamSummary", {"StreamName": name}, "ResourceNotFoundException")
        self.ok("CreateStream", {"StreamName": name, "ShardCount": 1})
        self.wait_active(name)
        self.refused("UpdateStreamRecordDistributionStrategy",
                     {"StreamARN": stream_arn(name), "RecordDistributionStrategy": "AUTO"},
                     "InvalidArgumentException")
        self.assertEqual(self.wait_active(name)["RecordDistributionStrategy"],
                         "USER_PARTITION_KEY")

    def test_update_takes_effect_at_once_and_is_validated(self):
        name = self.auto_stream()
        arn = stream_arn(name)
        self.assertIn("recordDistributionStrategy", self.refused(
            "UpdateStreamRecordDistributionStrategy",
            {"StreamARN": arn, "RecordDistributionStrategy": "RANDOM"}, "ValidationException"))
        self.refused("UpdateStreamRecordDistributionStrategy",
                     {"StreamName": name, "RecordDistributionStrategy": "AUTO"},
                     "ValidationException")  # StreamARN is required
        self.refused("UpdateStreamRecordDistributionStrategy",
                     {"StreamARN": stream_arn(name + "-missing"),
                      "RecordDistributionStrategy": "AUTO"}, "ResourceNotFoundException")
        self.ok("UpdateStreamRecordDistributionStrategy",
                {"StreamARN": arn, "RecordDistributionStrategy": "USER_PARTITION_KEY"})
        summary = self.ok("DescribeStreamSummary", {"StreamName": name})
        self.assertEqual(summary["StreamDescriptionSummary"]["StreamStatus"], "ACTIVE")
        self.assertEqual(summary["StreamDescriptionSummary"]["RecordDistributionStrategy"],
                         "USER_PARTITION_KEY")
        shards = {self.ok("PutRecord", {"StreamName": name, "PartitionKey": "k",
                                        "Data": "eA=="})["ShardId"] for _ in range(8)}
        self.assertEqual(len(shards), 1)

    def test_dry_run_does_nothing_and_says_so(self):
        name = unique_name("dry")
        self.ok("CreateStream", {"StreamName": name, "ShardCount": 1})
        self.wait_active(name)
        self.refused("PutRecord", {"StreamName": name, "PartitionKey": "k", "Data": "eA==",
                                   "DryRun": True}, "DryRunOperationException")
        self.refused("PutRecords", {"StreamName": name, "DryRun": True,
                                    "Records": [{"Data": "eA==", "PartitionKey": "k"}]},
                     "DryRunOperationException")
        self.refused("GetShardIterator", {"StreamName": name, "ShardId": "shardId-000000000000",
                                          "ShardIteratorType": "LATEST", "DryRun": True},
                     "DryRunOperationException")
        self.refused("PutRecord", {"StreamName": name + "-missing", "PartitionKey": "k",
                                   "Data": "eA==", "DryRun": True}, "ResourceNotFoundException")
        self.assertEqual(self.records_of(name), [])
        self.ok("PutRecord", {"StreamName": name, "PartitionKey": "k", "Data": "eA==",
                              "DryRun": False})
        self.assertEqual(len(self.records_of(name)), 1)

    def test_channel_operations_answer_a_clear_error(self):
        for op in CHANNEL_OPERATIONS:
            with self.subTest(op=op):
                message = self.refused(op, {}, "UnknownOperationException")
                self.assertIn(op, message)
                self.assertIn("not supported", message)


if __name__ == "__main__":
    unittest.main()
