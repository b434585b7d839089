"""Accounts and regions are separate namespaces.

The region comes from the SigV4 credential scope; the account from the access key id in the
same credential: an access key id of exactly 12 digits IS the account id (LocalStack's
convention), any other means the configured default account (`--account-id`, default
000000000000). The same stream name in two accounts or two regions is two streams with two ARNs.
"""

import subprocess
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

import support
from support import (ServerTestCase, create_active_stream, error_code, read_stream, unique_name,
                     wait_active, wait_gone)

ACCOUNT_A = "111122223333"
ACCOUNT_B = "444455556666"
OTHER_KEY = "AKIDEXAMPLE"  # not 12 digits: the default account
DEFAULT_ACCOUNT = support.ACCOUNT
US = "us-east-1"
EU = "eu-west-1"


def client_for(server, access_key, region):
    return boto3.session.Session().client(
        "kinesis",
        endpoint_url=server.endpoint,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=support.SECRET_KEY,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"},
                      connect_timeout=5, read_timeout=30, max_pool_connections=4),
    )


def arn(account, region, name):
    return f"arn:aws:kinesis:{region}:{account}:stream/{name}"


def all_data(client, name):
    """The Data of every record in the stream, in shard order."""
    return sorted(r["Data"] for records in read_stream(client, name).values() for r in records)


class AccountsTestBase(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a_us = client_for(cls.server, ACCOUNT_A, US)
        cls.a_eu = client_for(cls.server, ACCOUNT_A, EU)
        cls.b_us = client_for(cls.server, ACCOUNT_B, US)
        cls.b_eu = client_for(cls.server, ACCOUNT_B, EU)
        cls.d_us = client_for(cls.server, OTHER_KEY, US)
        cls.d_eu = client_for(cls.server, OTHER_KEY, EU)

    def assertNotFound(self, client, name=None, stream_arn=None):
        kwargs = {"StreamARN": stream_arn} if stream_arn else {"StreamName": name}
        with self.assertRaises(ClientError) as cm:
            client.describe_stream_summary(**kwargs)
        self.assertEqual(error_code(cm.exception), "ResourceNotFoundException",
                         cm.exception.response.get("Error"))

    def listed(self, client):
        resp = client.list_streams(Limit=10000)
        self.assertFalse(resp["HasMoreStreams"])
        return resp


class AccountsTest(AccountsTestBase):

    def test_same_name_in_two_accounts_is_two_streams(self):
        name = unique_name("acct")
        sa = create_active_stream(self.a_us, name, 1)
        sb = create_active_stream(self.b_us, name, 2)
        self.assertEqual(sa["StreamARN"], arn(ACCOUNT_A, US, name))
        self.assertEqual(sb["StreamARN"], arn(ACCOUNT_B, US, name))
        self.assertEqual(sa["OpenShardCount"], 1)
        self.assertEqual(sb["OpenShardCount"], 2)
        # Neither is the default account's.
        self.assertNotFound(self.d_us, name)

        self.a_us.put_record(StreamName=name, Data=b"in-a", PartitionKey="pk")
        self.assertEqual(all_data(self.a_us, name), [b"in-a"])
        self.assertEqual(all_data(self.b_us, name), [])
        self.b_us.put_records(StreamName=name, Records=[
            {"Data": b"in-b-1", "PartitionKey": "x"}, {"Data": b"in-b-2", "PartitionKey": "y"}])
        self.assertEqual(all_data(self.a_us, name), [b"in-a"])
        self.assertEqual(all_data(self.b_us, name), [b"in-b-1", b"in-b-2"])

        # DescribeStream and ListShards see each account's own shards.
        self.assertEqual(len(self.a_us.list_shards(StreamName=name)["Shards"]), 1)
        self.assertEqual(len(self.b_us.list_shards(StreamName=name)["Shards"]), 2)
        desc = self.b_us.describe_stream(StreamName=name)["StreamDescription"]
        self.assertEqual(desc["StreamARN"], arn(ACCOUNT_B, US, name))

        # Creating again in either account is a duplicate only there.
        with self.assertRaises(ClientError) as cm:
            self.a_us.create_stream(StreamName=name, ShardCount=1)
        self.assertEqual(error_code(cm.exception), "ResourceInUseException")
        self.assertIn(ACCOUNT_A, cm.exception.response["Error"]["Message"])

    def test_same_name_in_two_regions_is_two_streams(self):
        name = unique_name("region")
        su = create_active_stream(self.a_us, name, 1)
        se = create_active_stream(self.a_eu, name, 3)
        self.assertEqual(su["StreamARN"], arn(ACCOUNT_A, US, name))
        self.assertEqual(se["StreamARN"], arn(ACCOUNT_A, EU, name))
        self.assertEqual(se["OpenShardCount"], 3)
        self.assertNotFound(self.b_eu, name)
        self.assertNotFound(self.d_eu, name)

        self.a_eu.put_record(StreamName=name, Data=b"in-eu", PartitionKey="pk")
        self.assertEqual(all_data(self.a_eu, name), [b"in-eu"])
        self.assertEqual(all_data(self.a_us, name), [])
        self.a_us.put_record(StreamName=name, Data=b"in-us", PartitionKey="pk")
        self.assertEqual(all_data(self.a_eu, name), [b"in-eu"])
        self.assertEqual(all_data(self.a_us, name), [b"in-us"])

    def test_default_account_for_other_access_keys(self):
        name = unique_name("dflt")
        s = create_active_stream(self.d_us, name, 1)
        self.assertEqual(s["StreamARN"], arn(DEFAULT_ACCOUNT, US, name))
        # The shared helper client (AKIDEXAMPLE, us-east-1) is the same account.
        self.assertEqual(
            self.kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"][
                "StreamARN"], arn(DEFAULT_ACCOUNT, US, name))
        self.assertNotFound(self.a_us, name)
        # An access key of exactly 12 digits "000000000000" is that account too.
        zero = client_for(self.server, "000000000000", US)
        self.assertEqual(zero.describe_stream_summary(StreamName=name)[
            "StreamDescriptionSummary"]["StreamARN"], arn(DEFAULT_ACCOUNT, US, name))
        # 13 digits, or 12 characters that are not all digits, are not account ids.
        for key in ("1111222233334", "AKIA11112222"):
            other = client_for(self.server, key, US)
            self.assertEqual(other.describe_stream_summary(StreamName=name)[
                "StreamDescriptionSummary"]["StreamARN"], arn(DEFAULT_ACCOUNT, US, name), key)

    def test_list_streams_per_account_and_region(self):
        name = unique_name("list")
        only_a_us = unique_name("list-a-us")
        only_b_eu = unique_name("list-b-eu")
        for c in (self.a_us, self.a_eu, self.b_us, self.d_us):
            create_active_stream(c, name, 1)
        create_active_stream(self.a_us, only_a_us, 1)
        create_active_stream(self.b_eu, only_b_eu, 1)

        expected = {
            (ACCOUNT_A, US): [self.a_us, {name, only_a_us}],
            (ACCOUNT_A, EU): [self.a_eu, {name}],
            (ACCOUNT_B, US): [self.b_us, {name}],
            (ACCOUNT_B, EU): [self.b_eu, {only_b_eu}],
            (DEFAULT_ACCOUNT, US): [self.d_us, {name}],
            (DEFAULT_ACCOUNT, EU): [self.d_eu, set()],
        }
        ours = {name, only_a_us, only_b_eu}
        for (account, region), (client, names) in expected.items():
            resp = self.listed(client)
            self.assertEqual(set(resp["StreamNames"]) & ours, names, (account, region))
            for summary in resp.get("StreamSummaries", []):
                self.assertEqual(summary["StreamARN"],
                                 arn(account, region, summary["StreamName"]), (account, region))
        # Nothing of another account or region leaks in (no other test creates in B/eu-west-1).
        self.assertEqual(set(self.listed(self.b_eu)["StreamNames"]), {only_b_eu})

    def test_describe_limits_per_account_and_region(self):
        clients = {"a_us": self.a_us, "a_eu": self.a_eu, "b_us": self.b_us,
                   "b_eu": self.b_eu, "d_us": self.d_us, "d_eu": self.d_eu}

        def counts():
            return {k: c.describe_limits()["OpenShardCount"] for k, c in clients.items()}

        before = counts()
        create_active_stream(self.a_eu, unique_name("lim"), 3)
        after = counts()
        self.assertEqual(after["a_eu"], before["a_eu"] + 3)
        for k in clients:
            if k != "a_eu":
                self.assertEqual(after[k], before[k], k)

        create_active_stream(self.b_us, unique_name("lim"), 2)
        after2 = counts()
        self.assertEqual(after2["b_us"], before["b_us"] + 2)
        self.assertEqual(after2["a_eu"], before["a_eu"] + 3)
        for k in ("a_us", "b_eu", "d_us", "d_eu"):
            self.assertEqual(after2[k], before[k], k)

    def test_delete_in_one_leaves_the_other(self):
        name = unique_name("del")
        for c in (self.a_us, self.b_us, self.a_eu):
            create_active_stream(c, name, 1)
            c.put_record(StreamName=name, Data=b"keep", PartitionKey="pk")
        self.a_us.delete_stream(StreamName=name)
        wait_gone(self.a_us, name)
        self.assertNotIn(name, self.listed(self.a_us)["StreamNames"])
        for c in (self.b_us, self.a_eu):
            self.assertEqual(c.describe_stream_summary(StreamName=name)[
                "StreamDescriptionSummary"]["StreamStatus"], "ACTIVE")
            self.assertEqual(all_data(c, name), [b"keep"])
            self.assertIn(name, self.listed(c)["StreamNames"])
        # Re-creating in account A gives a new, empty stream; B's is untouched.
        create_active_stream(self.a_us, name, 1)
        self.assertEqual(all_data(self.a_us, name), [])
        self.assertEqual(all_data(self.b_us, name), [b"keep"])

    def test_stream_arn_addresses_its_account(self):
        name = unique_name("byarn")
        create_active_stream(self.a_us, name, 1)
        create_active_stream(self.b_us, name, 1)
        arn_a = arn(ACCOUNT_A, US, name)
        # Account B's caller naming account A's stream by ARN reaches A's stream, not its own.
        summary = self.b_us.describe_stream_summary(StreamARN=arn_a)["StreamDescriptionSummary"]
        self.assertEqual(summary["StreamARN"], arn_a)
        self.b_us.put_record(StreamARN=arn_a, Data=b"via-arn", PartitionKey="pk")
        self.assertEqual(all_data(self.a_us, name), [b"via-arn"])
        self.assertEqual(all_data(self.b_us, name), [])
        # An ARN of an account without that stream is not found.
        self.assertNotFound(self.a_us, stream_arn=arn(DEFAULT_ACCOUNT, US, name))

    def test_aws_cli_with_account_access_key(self):
        major, text = support.cli_version()
        if major not in (1, 2):
            raise AssertionError(f"cannot tell the AWS CLI version from {text!r}")
        name = unique_name("cli")
        env = support.cli_env()
        env.update(AWS_ACCESS_KEY_ID=ACCOUNT_A, AWS_DEFAULT_REGION=EU)

        def cli(*args):
            return subprocess.run(
                ["aws", "kinesis", *args, "--endpoint-url", self.server.endpoint,
                 "--region", EU, "--output", "json"],
                capture_output=True, text=True, timeout=support.CLI_TIMEOUT, env=env,
                stdin=subprocess.DEVNULL)

        res = cli("create-stream", "--stream-name", name, "--shard-count", "1")
        self.assertEqual(res.returncode, 0, res.stderr)
        summary = wait_active(self.a_eu, name)
        self.assertEqual(summary["StreamARN"], arn(ACCOUNT_A, EU, name))
        self.assertNotFound(self.d_eu, name)
        self.assertNotFound(self.a_us, name)

        res = cli("describe-stream-summary", "--stream-name", name)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn(f'"arn:aws:kinesis:{EU}:{ACCOUNT_A}:stream/{name}"', res.stdout)
        res = cli("list-streams")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn(name, res.stdout)
        # The default-account CLI does not see it.
        res = self.server.cli("list-streams")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertNotIn(name, res.stdout)


class ShardLimitPerAccountTest(AccountsTestBase):
    server_args = ["--shard-limit", "4"]

    def test_shard_limit_is_per_account_and_region(self):
        create_active_stream(self.a_us, unique_name("full"), 4)
        self.assertEqual(self.a_us.describe_limits()["OpenShardCount"], 4)
        with self.assertRaises(ClientError) as cm:
            self.a_us.create_stream(StreamName=unique_name("over"), ShardCount=1)
        self.assertEqual(error_code(cm.exception), "LimitExceededException")
        self.assertIn(ACCOUNT_A, cm.exception.response["Error"]["Message"])
        # Every other account and region still has its whole limit.
        for c in (self.a_eu, self.b_us, self.d_us):
            lim = c.describe_limits()
            self.assertEqual(lim["ShardLimit"], 4)
            self.assertEqual(lim["OpenShardCount"], 0)
            create_active_stream(c, unique_name("full"), 4)
            self.assertEqual(c.describe_limits()["OpenShardCount"], 4)
        # The same name as an over-limit attempt elsewhere is fine in another account.
        name = unique_name("same")
        with self.assertRaises(ClientError) as cm:
            self.b_us.create_stream(StreamName=name, ShardCount=1)
        self.assertEqual(error_code(cm.exception), "LimitExceededException")
        create_active_stream(self.b_eu, name, 1)


class ConfiguredDefaultAccountTest(AccountsTestBase):
    server_args = ["--account-id", "999988887777"]

    def test_configured_default_and_restart(self):
        name = unique_name("cfg")
        self.assertEqual(create_active_stream(self.d_us, name, 1)["StreamARN"],
                         arn("999988887777", US, name))
        self.assertEqual(create_active_stream(self.a_us, name, 2)["StreamARN"],
                         arn(ACCOUNT_A, US, name))
        # A 12-digit key naming the configured account is that account.
        same = client_for(self.server, "999988887777", US)
        self.assertEqual(same.describe_stream_summary(StreamName=name)[
            "StreamDescriptionSummary"]["OpenShardCount"], 1)
        self.d_us.put_record(StreamName=name, Data=b"dflt", PartitionKey="pk")
        self.a_us.put_record(StreamName=name, Data=b"acct", PartitionKey="pk")

        # Both survive a restart, each in its own account.
        self.server.restart()  # on a new port: new clients
        d_us = client_for(self.server, OTHER_KEY, US)
        a_us = client_for(self.server, ACCOUNT_A, US)
        self.assertEqual(d_us.describe_stream_summary(StreamName=name)[
            "StreamDescriptionSummary"]["StreamARN"], arn("999988887777", US, name))
        self.assertEqual(a_us.describe_stream_summary(StreamName=name)[
            "StreamDescriptionSummary"]["OpenShardCount"], 2)
        self.assertEqual(all_data(d_us, name), [b"dflt"])
        self.assertEqual(all_data(a_us, name), [b"acct"])
        self.assertNotFound(client_for(self.server, ACCOUNT_B, US), name)


if __name__ == "__main__":
    unittest.main()
