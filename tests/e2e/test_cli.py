"""The AWS CLI, unchanged, against the emulator.

Blob handling differs between CLI majors (verified against aws-cli/1.45 by capturing the wire):
  * v1: `--data TEXT` sends TEXT's bytes as-is (the CLI base64-encodes them for the JSON wire);
        there is no --cli-binary-format option (it is an error in v1).
  * v2: `--data` is base64 by default; `--cli-binary-format raw-in-base64-out` makes it raw.
Either way `get-records` prints Data as base64 of the stored bytes.
"""

import base64
import datetime
import os
import tempfile
import unittest

import support
from support import ServerTestCase, stream_arn, unique_name, wait_active, wait_gone


class CliTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.cli_major, cls.cli_text = support.cli_version()
        if cls.cli_major not in (1, 2):
            raise AssertionError(f"cannot tell the AWS CLI version from {cls.cli_text!r}")
        super().setUpClass()

    def raw_data_args(self, text):
        if self.cli_major >= 2:
            return ["--cli-binary-format", "raw-in-base64-out", "--data", text]
        return ["--data", text]

    def test_full_flow(self):
        name = unique_name("cli")
        res = self.server.cli("create-stream", "--stream-name", name, "--shard-count", "1")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(res.stdout.strip(), "", "create-stream prints nothing on success")
        wait_active(self.kin, name)

        out = self.server.cli_json("describe-stream-summary", "--stream-name", name)
        summary = out["StreamDescriptionSummary"]
        self.assertEqual(summary["StreamName"], name)
        self.assertEqual(summary["StreamStatus"], "ACTIVE")
        self.assertEqual(summary["OpenShardCount"], 1)
        self.assertEqual(summary["StreamARN"], stream_arn(name))

        text = "hello from the aws cli"
        put = self.server.cli_json("put-record", "--stream-name", name, "--partition-key", "pk",
                                   *self.raw_data_args(text))
        self.assertEqual(put["ShardId"], "shardId-000000000000")
        self.assertTrue(put["SequenceNumber"].isdigit())

        # binary from a file (fileb://), all 256 byte values
        with tempfile.NamedTemporaryFile(delete=False) as f:
            f.write(bytes(range(256)))
            path = f.name
        try:
            put2 = self.server.cli_json("put-record", "--stream-name", name,
                                        "--partition-key", "pk", "--data", f"fileb://{path}")
        finally:
            os.unlink(path)
        self.assertGreater(int(put2["SequenceNumber"]), int(put["SequenceNumber"]))

        it = self.server.cli_json("get-shard-iterator", "--stream-name", name,
                                  "--shard-id", "shardId-000000000000",
                                  "--shard-iterator-type", "TRIM_HORIZON")["ShardIterator"]
        self.assertTrue(it)
        got = self.server.cli_json("get-records", "--shard-iterator", it)
        recs = got["Records"]
        self.assertEqual(len(recs), 2)
        self.assertEqual(recs[0]["SequenceNumber"], put["SequenceNumber"])
        self.assertEqual(base64.b64decode(recs[0]["Data"]), text.encode())
        self.assertEqual(recs[0]["PartitionKey"], "pk")
        self.assertEqual(base64.b64decode(recs[1]["Data"]), bytes(range(256)))
        self.assertIn("NextShardIterator", got)
        self.assertEqual(got["MillisBehindLatest"], 0)
        ts = recs[0]["ApproximateArrivalTimestamp"]
        if isinstance(ts, (int, float)):  # v1 prints epoch seconds
            age = datetime.datetime.now().timestamp() - ts
            self.assertLess(abs(age), 120)

        # the same records via boto3 (the CLI wrote what boto3 reads)
        b_it = self.kin.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                           ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assertEqual([r["Data"] for r in self.kin.get_records(ShardIterator=b_it)["Records"]],
                         [text.encode(), bytes(range(256))])

        listed = self.server.cli_json("list-streams")
        self.assertIn(name, listed["StreamNames"])

        res = self.server.cli("delete-stream", "--stream-name", name)
        self.assertEqual(res.returncode, 0, res.stderr)
        wait_gone(self.kin, name)
        self.assertNotIn(name, self.server.cli_json("list-streams")["StreamNames"])

    def test_cli_error_surfaces(self):
        name = unique_name("nope")
        res = self.server.cli("describe-stream-summary", "--stream-name", name)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("ResourceNotFoundException", res.stderr)

    def test_cli_list_streams_paginates(self):
        prefix = unique_name("pg")
        names = [f"{prefix}-{i}" for i in range(3)]
        for n in names:
            self.kin.create_stream(StreamName=n, ShardCount=1)
        for n in names:
            wait_active(self.kin, n)
        # --page-size 1 makes the CLI follow NextToken/HasMoreStreams itself
        out = self.server.cli_json("list-streams", "--page-size", "1")
        for n in names:
            self.assertEqual(out["StreamNames"].count(n), 1)
        self.assertEqual(out["StreamNames"], sorted(out["StreamNames"]))
        shards = self.server.cli_json("list-shards", "--stream-name", names[0])
        self.assertEqual([s["ShardId"] for s in shards["Shards"]], ["shardId-000000000000"])


if __name__ == "__main__":
    unittest.main()
