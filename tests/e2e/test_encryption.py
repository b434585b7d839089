"""StartStreamEncryption / StopStreamEncryption through boto3: EncryptionType on puts, reads and
descriptions, and the record bytes in the data directory are not the plaintext."""

import os
import unittest

import support
from support import ServerTestCase, stream_arn


class EncryptionTest(ServerTestCase):
    server_args = ["--update-stream-ms", "50"]

    def data_files_contain(self, needle):
        for root, _, files in os.walk(self.server.data_dir):
            for f in files:
                with open(os.path.join(root, f), "rb") as fh:
                    if needle in fh.read():
                        return True
        return False

    def test_encrypt_put_read_describe_stop(self):
        name = self.new_stream(1, "enc")
        self.kin.start_stream_encryption(StreamName=name, EncryptionType="KMS",
                                         KeyId="alias/aws/kinesis")
        d = self.kin.describe_stream(StreamName=name)["StreamDescription"]
        self.assertEqual(d["StreamStatus"], "UPDATING")
        self.assertEqual((d["EncryptionType"], d["KeyId"]), ("KMS", "alias/aws/kinesis"))
        support.wait_active(self.kin, name)
        s = self.kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        self.assertEqual((s["EncryptionType"], s["KeyId"]), ("KMS", "alias/aws/kinesis"))

        marker = b"E2E-SECRET-MARKER-7731"
        put = self.kin.put_record(StreamName=name, Data=marker, PartitionKey="k")
        self.assertEqual(put["EncryptionType"], "KMS")
        batch = self.kin.put_records(StreamName=name, Records=[{"Data": marker + b"-b",
                                                                "PartitionKey": "k"}])
        self.assertEqual(batch["EncryptionType"], "KMS")
        it = self.kin.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        recs = self.kin.get_records(ShardIterator=it)["Records"]
        self.assertEqual([r["Data"] for r in recs], [marker, marker + b"-b"])
        self.assertEqual({r["EncryptionType"] for r in recs}, {"KMS"})
        self.assertFalse(self.data_files_contain(marker))

        self.kin.stop_stream_encryption(StreamARN=stream_arn(name), EncryptionType="KMS",
                                        KeyId="alias/aws/kinesis")
        support.wait_active(self.kin, name)
        plain = b"E2E-PLAIN-MARKER-9902"
        put = self.kin.put_record(StreamName=name, Data=plain, PartitionKey="k")
        self.assertNotIn("EncryptionType", put)
        self.assertEqual(self.kin.describe_stream_summary(StreamName=name)
                         ["StreamDescriptionSummary"]["EncryptionType"], "NONE")
        self.assertTrue(self.data_files_contain(plain))

    def test_bad_key_and_type(self):
        name = self.new_stream(1, "encbad")
        self.assertClientError("InvalidArgumentException", self.kin.start_stream_encryption,
                               StreamName=name, EncryptionType="KMS", KeyId="no such key")
        self.assertClientError("InvalidArgumentException", self.kin.start_stream_encryption,
                               StreamName=name, EncryptionType="NONE", KeyId="alias/x")
        self.assertClientError("ResourceNotFoundException", self.kin.start_stream_encryption,
                               StreamName="missing-" + name, EncryptionType="KMS",
                               KeyId="alias/x")
        self.assertEqual(self.kin.describe_stream_summary(StreamName=name)
                         ["StreamDescriptionSummary"]["EncryptionType"], "NONE")


if __name__ == "__main__":
    unittest.main()
