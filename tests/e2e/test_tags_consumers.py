"""Tags, enhanced fan-out consumers, resource policies, account settings and enhanced monitoring
through boto3, their error cases, and their persistence across restarts."""

import datetime
import json
import re
import time
import unittest

import boto3
from botocore.exceptions import ClientError

from support import (ACCESS_KEY, ACCOUNT, REGION, SECRET_KEY, Server, ServerTestCase, create_active_stream, error_code,
                     error_type, raw_call, stream_arn, unique_name, wait_active, wait_gone)

CONSUMER_ARN_RE = re.compile(
    r"^arn:aws:kinesis:%s:%s:stream/(?P<stream>[a-zA-Z0-9_.-]+)/consumer/"
    r"(?P<name>[a-zA-Z0-9_.-]+):(?P<ts>\d+)$" % (REGION, ACCOUNT))
ALL_METRICS = sorted(["IncomingBytes", "IncomingRecords", "OutgoingBytes", "OutgoingRecords",
                      "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded",
                      "IteratorAgeMilliseconds"])
UPDATE_MS = 300  # consumers stay CREATING / DELETING this long


def tag_dict(tags):
    return {t["Key"]: t["Value"] for t in tags}


def wait_consumer(client, arn, status, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        desc = client.describe_stream_consumer(ConsumerARN=arn)["ConsumerDescription"]
        if desc["ConsumerStatus"] == status:
            return desc
        if time.monotonic() > deadline:
            raise AssertionError(f"consumer {arn} not {status} (last {desc['ConsumerStatus']})")
        time.sleep(0.05)


def wait_consumer_gone(client, arn, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.describe_stream_consumer(ConsumerARN=arn)
        except ClientError as e:
            if error_code(e) == "ResourceNotFoundException":
                return
            raise
        if time.monotonic() > deadline:
            raise AssertionError(f"consumer {arn} still there after {timeout}s")
        time.sleep(0.05)


class TagsTest(ServerTestCase):
    server_args = ["--update-stream-ms", str(UPDATE_MS)]

    def test_add_list_overwrite_remove(self):
        name = self.new_stream()
        resp = self.kin.list_tags_for_stream(StreamName=name)
        self.assertEqual((resp["Tags"], resp["HasMoreTags"]), ([], False))
        self.kin.add_tags_to_stream(StreamName=name, Tags={"b": "2", "a": "1", "c": ""})
        resp = self.kin.list_tags_for_stream(StreamName=name)
        self.assertEqual(resp["Tags"], [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"},
                                        {"Key": "c", "Value": ""}])
        self.assertFalse(resp["HasMoreTags"])
        # overwrite, by ARN
        self.kin.add_tags_to_stream(StreamARN=stream_arn(name), Tags={"a": "one"})
        self.assertEqual(tag_dict(self.kin.list_tags_for_stream(StreamName=name)["Tags"]),
                         {"a": "one", "b": "2", "c": ""})
        # removing absent keys is fine
        self.kin.remove_tags_from_stream(StreamName=name, TagKeys=["b", "nope"])
        self.assertEqual(tag_dict(self.kin.list_tags_for_stream(
            StreamARN=stream_arn(name))["Tags"]), {"a": "one", "c": ""})
        self.kin.remove_tags_from_stream(StreamARN=stream_arn(name), TagKeys=["a", "c"])
        self.assertEqual(self.kin.list_tags_for_stream(StreamName=name)["Tags"], [])

    def test_list_tags_paging(self):
        name = self.new_stream()
        tags = {f"k{i:02d}": f"v{i}" for i in range(12)}
        self.kin.add_tags_to_stream(StreamName=name, Tags=tags)
        seen, start = [], None
        for _ in range(10):
            kwargs = {"StreamName": name, "Limit": 5}
            if start:
                kwargs["ExclusiveStartTagKey"] = start
            resp = self.kin.list_tags_for_stream(**kwargs)
            self.assertLessEqual(len(resp["Tags"]), 5)
            seen += resp["Tags"]
            if not resp["HasMoreTags"]:
                break
            start = resp["Tags"][-1]["Key"]
        self.assertEqual(tag_dict(seen), tags)
        self.assertEqual([t["Key"] for t in seen], sorted(tags))
        resp = self.kin.list_tags_for_stream(StreamName=name, ExclusiveStartTagKey="k10")
        self.assertEqual([t["Key"] for t in resp["Tags"]], ["k11"])
        self.assertFalse(resp["HasMoreTags"])
        self.assertClientError("ValidationException", self.kin.list_tags_for_stream,
                               StreamName=name, Limit=51)

    def test_limits_and_invalid_tags(self):
        name = self.new_stream()
        self.kin.add_tags_to_stream(StreamName=name, Tags={f"t{i}": "x" for i in range(50)})
        # 50 is the limit: overwriting is fine, a 51st key is not
        self.kin.add_tags_to_stream(StreamName=name, Tags={"t0": "y"})
        e = self.assertClientError("InvalidArgumentException", self.kin.add_tags_to_stream,
                                   StreamName=name, Tags={"t50": "x"})
        self.assertIn("50", e.response["Error"]["Message"])
        self.assertEqual(len(self.kin.list_tags_for_stream(StreamName=name)["Tags"]), 50)
        self.assertClientError("InvalidArgumentException", self.kin.tag_resource,
                               ResourceARN=stream_arn(name), Tags={"t51": "x"})
        other = self.new_stream()
        for bad in ({"aws:owner": "me"}, {"AWS:x": "y"}, {"k#": "v"}, {"k": "50%"},
                    {"k": "emoji \U0001F600"}):
            self.assertClientError("InvalidArgumentException", self.kin.add_tags_to_stream,
                                   StreamName=other, Tags=bad)
        self.assertClientError("InvalidArgumentException", self.kin.remove_tags_from_stream,
                               StreamName=other, TagKeys=["aws:x"])
        # allowed characters, unicode letters included
        ok = {"Key_1 .:/=+-@": "Välue ünïcode 日本"}
        self.kin.add_tags_to_stream(StreamName=other, Tags=ok)
        self.assertEqual(tag_dict(self.kin.list_tags_for_stream(StreamName=other)["Tags"]), ok)
        # the model's constraints (sent raw: boto3 checks some of them itself)
        for target, body in (
                ("AddTagsToStream", {"StreamName": other, "Tags": {"k" * 129: "v"}}),
                ("AddTagsToStream", {"StreamName": other, "Tags": {"k": "v" * 257}}),
                ("AddTagsToStream", {"StreamName": other, "Tags": {"": "v"}}),
                ("AddTagsToStream", {"StreamName": other, "Tags": {}}),
                ("RemoveTagsFromStream",
                 {"StreamName": other, "TagKeys": [f"k{i}" for i in range(51)]}),
                ("TagResource", {"ResourceARN": stream_arn(other)})):
            status, _, _, parsed = raw_call(self.server.port, target, body)
            self.assertEqual((status, error_type(parsed)), (400, "ValidationException"),
                             (target, parsed))

    def test_unknown_stream(self):
        missing = unique_name("missing")
        for fn, kwargs in ((self.kin.add_tags_to_stream, {"Tags": {"a": "b"}}),
                           (self.kin.remove_tags_from_stream, {"TagKeys": ["a"]}),
                           (self.kin.list_tags_for_stream, {})):
            self.assertClientError("ResourceNotFoundException", fn, StreamName=missing, **kwargs)
        arn = stream_arn(missing)
        self.assertClientError("ResourceNotFoundException", self.kin.tag_resource,
                               ResourceARN=arn, Tags={"a": "b"})
        self.assertClientError("ResourceNotFoundException", self.kin.untag_resource,
                               ResourceARN=arn, TagKeys=["a"])
        self.assertClientError("ResourceNotFoundException", self.kin.list_tags_for_resource,
                               ResourceARN=arn)
        self.assertClientError("ValidationException", self.kin.list_tags_for_resource,
                               ResourceARN="arn:aws:sqs:us-east-1:000000000000:queue")

    def test_resource_tags_shared_with_stream_tags_and_separate_for_consumers(self):
        name = self.new_stream()
        arn = stream_arn(name)
        self.kin.tag_resource(ResourceARN=arn, Tags={"team": "data", "env": "test"})
        self.assertEqual(tag_dict(self.kin.list_tags_for_stream(StreamName=name)["Tags"]),
                         {"team": "data", "env": "test"})
        self.kin.add_tags_to_stream(StreamName=name, Tags={"x": "1"})
        self.assertEqual(tag_dict(self.kin.list_tags_for_resource(ResourceARN=arn)["Tags"]),
                         {"team": "data", "env": "test", "x": "1"})
        self.kin.untag_resource(ResourceARN=arn, TagKeys=["env", "x"])
        self.assertEqual(self.kin.list_tags_for_resource(ResourceARN=arn)["Tags"],
                         [{"Key": "team", "Value": "data"}])

        consumer = self.kin.register_stream_consumer(
            StreamARN=arn, ConsumerName="c1", Tags={"owner": "me"})["Consumer"]
        carn = consumer["ConsumerARN"]
        self.assertEqual(self.kin.list_tags_for_resource(ResourceARN=carn)["Tags"],
                         [{"Key": "owner", "Value": "me"}])
        self.kin.tag_resource(ResourceARN=carn, Tags={"k": "v"})
        self.assertEqual(tag_dict(self.kin.list_tags_for_resource(ResourceARN=carn)["Tags"]),
                         {"owner": "me", "k": "v"})
        self.assertEqual(tag_dict(self.kin.list_tags_for_resource(ResourceARN=arn)["Tags"]),
                         {"team": "data"})
        self.kin.untag_resource(ResourceARN=carn, TagKeys=["owner"])
        self.assertEqual(tag_dict(self.kin.list_tags_for_resource(ResourceARN=carn)["Tags"]),
                         {"k": "v"})
        # a consumer ARN with another creation time, or another name, is unknown
        other_time = carn.rsplit(":", 1)[0] + ":1"
        for unknown in (other_time, arn + "/consumer/nope:" + carn.rsplit(":", 1)[1]):
            self.assertClientError("ResourceNotFoundException", self.kin.list_tags_for_resource,
                                   ResourceARN=unknown)
            self.assertClientError("ResourceNotFoundException", self.kin.tag_resource,
                                   ResourceARN=unknown, Tags={"a": "b"})

    def test_recreated_stream_starts_without_tags_consumers_policy_or_metrics(self):
        name = self.new_stream()
        arn = stream_arn(name)
        self.kin.add_tags_to_stream(StreamName=name, Tags={"old": "yes"})
        self.kin.register_stream_consumer(StreamARN=arn, ConsumerName="old")
        self.kin.put_resource_policy(ResourceARN=arn, Policy='{"Version": "2012-10-17"}')
        self.kin.enable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=["ALL"])
        wait_active(self.kin, name)
        # with a consumer registered, AWS refuses the delete unless told to take it along
        self.assertClientError("ResourceInUseException", self.kin.delete_stream, StreamName=name)
        summary = self.kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        self.assertEqual(summary["ConsumerCount"], 1)
        self.assertEqual(len(self.kin.describe_stream(StreamName=name)["StreamDescription"]
                             ["EnhancedMonitoring"][0]["ShardLevelMetrics"]), 7)
        self.kin.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
        wait_gone(self.kin, name)
        create_active_stream(self.kin, name, 1)
        self.assertEqual(self.kin.list_tags_for_stream(StreamName=name)["Tags"], [])
        self.assertEqual(self.kin.list_stream_consumers(StreamARN=arn)["Consumers"], [])
        self.assertEqual(self.kin.get_resource_policy(ResourceARN=arn)["Policy"], "{}")
        resp = self.kin.disable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=["ALL"])
        self.assertEqual(resp["CurrentShardLevelMetrics"], [])


class ConsumersTest(ServerTestCase):
    server_args = ["--update-stream-ms", str(UPDATE_MS)]

    def test_register_describe_list_deregister(self):
        name = self.new_stream()
        arn = stream_arn(name)
        before = datetime.datetime.now(datetime.timezone.utc)
        consumer = self.kin.register_stream_consumer(StreamARN=arn,
                                                     ConsumerName="app-1")["Consumer"]
        self.assertEqual(consumer["ConsumerName"], "app-1")
        self.assertEqual(consumer["ConsumerStatus"], "CREATING")
        m = CONSUMER_ARN_RE.match(consumer["ConsumerARN"])
        self.assertIsNotNone(m, consumer["ConsumerARN"])
        self.assertEqual((m["stream"], m["name"]), (name, "app-1"))
        created = consumer["ConsumerCreationTimestamp"]
        self.assertLess(abs((created - before).total_seconds()), 5)
        self.assertEqual(int(m["ts"]), int(created.timestamp()))
        carn = consumer["ConsumerARN"]

        # CREATING is visible, and the name is taken
        desc = self.kin.describe_stream_consumer(ConsumerARN=carn)["ConsumerDescription"]
        self.assertEqual(desc["ConsumerStatus"], "CREATING")
        self.assertEqual(desc["StreamARN"], arn)
        self.assertClientError("ResourceInUseException", self.kin.register_stream_consumer,
                               StreamARN=arn, ConsumerName="app-1")
        desc = wait_consumer(self.kin, carn, "ACTIVE")
        self.assertEqual(desc["ConsumerName"], "app-1")
        self.assertEqual(desc["ConsumerCreationTimestamp"], created)
        by_name = self.kin.describe_stream_consumer(StreamARN=arn, ConsumerName="app-1")
        self.assertEqual(by_name["ConsumerDescription"], desc)

        listed = self.kin.list_stream_consumers(StreamARN=arn)
        self.assertNotIn("NextToken", listed)
        self.assertEqual(listed["Consumers"], [{
            "ConsumerName": "app-1", "ConsumerARN": carn, "ConsumerStatus": "ACTIVE",
            "ConsumerCreationTimestamp": created}])

        # by name: DELETING, then gone
        self.kin.deregister_stream_consumer(StreamARN=arn, ConsumerName="app-1")
        desc = self.kin.describe_stream_consumer(ConsumerARN=carn)["ConsumerDescription"]
        self.assertEqual(desc["ConsumerStatus"], "DELETING")
        self.assertClientError("ResourceInUseException", self.kin.register_stream_consumer,
                               StreamARN=arn, ConsumerName="app-1")
        wait_consumer_gone(self.kin, carn)
        self.assertEqual(self.kin.list_stream_consumers(StreamARN=arn)["Consumers"], [])
        self.assertClientError("ResourceNotFoundException", self.kin.describe_stream_consumer,
                               StreamARN=arn, ConsumerName="app-1")
        self.assertClientError("ResourceNotFoundException", self.kin.deregister_stream_consumer,
                               ConsumerARN=carn)

        # by ARN; the name can be registered again once gone
        again = self.kin.register_stream_consumer(StreamARN=arn, ConsumerName="app-1")
        carn2 = again["Consumer"]["ConsumerARN"]
        wait_consumer(self.kin, carn2, "ACTIVE")
        self.kin.deregister_stream_consumer(ConsumerARN=carn2)
        self.assertEqual(
            self.kin.describe_stream_consumer(ConsumerARN=carn2)["ConsumerDescription"][
                "ConsumerStatus"], "DELETING")
        self.kin.deregister_stream_consumer(ConsumerARN=carn2)  # already DELETING: no error
        wait_consumer_gone(self.kin, carn2)

    def test_same_name_on_two_streams(self):
        a, b = self.new_stream(), self.new_stream()
        ca = self.kin.register_stream_consumer(StreamARN=stream_arn(a), ConsumerName="same")
        cb = self.kin.register_stream_consumer(StreamARN=stream_arn(b), ConsumerName="same")
        self.assertNotEqual(ca["Consumer"]["ConsumerARN"], cb["Consumer"]["ConsumerARN"])
        self.assertEqual(len(self.kin.list_stream_consumers(StreamARN=stream_arn(a))["Consumers"]),
                         1)

    def test_limits(self):
        name = self.new_stream()
        arn = stream_arn(name)
        arns = []
        for i in range(5):
            arns.append(self.kin.register_stream_consumer(
                StreamARN=arn, ConsumerName=f"c{i:02d}")["Consumer"]["ConsumerARN"])
        # at most 5 CREATING at a time
        self.assertClientError("LimitExceededException", self.kin.register_stream_consumer,
                               StreamARN=arn, ConsumerName="c05")
        for i in range(5, 20):
            deadline = time.monotonic() + 10
            while True:
                try:
                    self.kin.register_stream_consumer(StreamARN=arn, ConsumerName=f"c{i:02d}")
                    break
                except ClientError as e:
                    if error_code(e) != "LimitExceededException" or time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
        time.sleep(UPDATE_MS / 1000 + 0.1)
        # at most 20 per stream, whatever their state
        e = self.assertClientError("LimitExceededException", self.kin.register_stream_consumer,
                                   StreamARN=arn, ConsumerName="c20")
        self.assertIn("20", e.response["Error"]["Message"])
        # paging over 20
        seen, token = [], None
        for _ in range(20):
            kwargs = {"StreamARN": arn, "MaxResults": 3}
            if token:
                kwargs["NextToken"] = token
            resp = self.kin.list_stream_consumers(**kwargs)
            self.assertLessEqual(len(resp["Consumers"]), 3)
            seen += [c["ConsumerName"] for c in resp["Consumers"]]
            token = resp.get("NextToken")
            if not token:
                break
        self.assertEqual(seen, [f"c{i:02d}" for i in range(20)])
        # paginator
        names = [c["ConsumerName"] for page in self.kin.get_paginator(
            "list_stream_consumers").paginate(StreamARN=arn, PaginationConfig={"PageSize": 7})
            for c in page["Consumers"]]
        self.assertEqual(names, seen)
        self.assertClientError("InvalidArgumentException", self.kin.list_stream_consumers,
                               StreamARN=arn, NextToken="not-a-token")
        self.assertClientError("ValidationException", self.kin.list_stream_consumers,
                               StreamARN=arn, MaxResults=10001)
        # freeing one makes room once it is gone
        self.kin.deregister_stream_consumer(StreamARN=arn, ConsumerName="c00")
        self.assertClientError("LimitExceededException", self.kin.register_stream_consumer,
                               StreamARN=arn, ConsumerName="c20")
        wait_consumer_gone(self.kin, arns[0])
        self.kin.register_stream_consumer(StreamARN=arn, ConsumerName="c20")

    def test_errors(self):
        name = self.new_stream()
        arn = stream_arn(name)
        missing = stream_arn(unique_name("missing"))
        self.assertClientError("ResourceNotFoundException", self.kin.register_stream_consumer,
                               StreamARN=missing, ConsumerName="c")
        self.assertClientError("ResourceNotFoundException", self.kin.list_stream_consumers,
                               StreamARN=missing)
        self.assertClientError("ResourceNotFoundException", self.kin.describe_stream_consumer,
                               StreamARN=arn, ConsumerName="nope")
        self.assertClientError("ResourceNotFoundException", self.kin.describe_stream_consumer,
                               ConsumerARN=arn + "/consumer/nope:1700000000")
        self.assertClientError("ResourceNotFoundException", self.kin.describe_stream_consumer,
                               ConsumerARN=missing + "/consumer/nope:1700000000")
        self.assertClientError("ResourceNotFoundException", self.kin.deregister_stream_consumer,
                               StreamARN=arn, ConsumerName="nope")
        for kwargs in ({}, {"StreamARN": arn}, {"ConsumerName": "c"}):
            self.assertClientError("InvalidArgumentException", self.kin.describe_stream_consumer,
                                   **kwargs)
            self.assertClientError("InvalidArgumentException",
                                   self.kin.deregister_stream_consumer, **kwargs)
        self.assertClientError("ValidationException", self.kin.register_stream_consumer,
                               StreamARN=arn, ConsumerName="bad name")
        self.assertClientError("ValidationException", self.kin.describe_stream_consumer,
                               ConsumerARN="arn:aws:kinesis:us-east-1:000000000000:stream/x")
        # a stream that is not ACTIVE yet
        creating = unique_name("creating")
        slow = Server(extra_args=["--create-stream-ms", "2000"], in_memory=True)
        self.addCleanup(slow.cleanup)
        slow.start()
        kin = slow.client()
        kin.create_stream(StreamName=creating, ShardCount=1)
        self.assertClientError("ResourceInUseException", kin.register_stream_consumer,
                               StreamARN=stream_arn(creating), ConsumerName="c")
        slow.stop()

    def test_consumer_tags_at_registration_are_checked(self):
        arn = stream_arn(self.new_stream())
        self.assertClientError("InvalidArgumentException", self.kin.register_stream_consumer,
                               StreamARN=arn, ConsumerName="c", Tags={"aws:x": "y"})
        self.assertClientError("InvalidArgumentException", self.kin.register_stream_consumer,
                               StreamARN=arn, ConsumerName="c",
                               Tags={f"t{i}": "v" for i in range(51)})
        self.assertEqual(self.kin.list_stream_consumers(StreamARN=arn)["Consumers"], [])

    def test_subscribe_to_shard_is_refused_clearly(self):
        arn = stream_arn(self.new_stream())
        carn = self.kin.register_stream_consumer(StreamARN=arn,
                                                 ConsumerName="efo")["Consumer"]["ConsumerARN"]
        body = {"ConsumerARN": carn, "ShardId": "shardId-000000000000",
                "StartingPosition": {"Type": "LATEST"}}
        status, _, _, parsed = raw_call(self.server.port, "SubscribeToShard", body)
        self.assertEqual(status, 400)
        self.assertEqual(error_type(parsed), "InvalidArgumentException")
        self.assertIn("SubscribeToShard", parsed["message"])
        self.assertIn("not supported", parsed["message"])
        body["ConsumerARN"] = arn + "/consumer/nope:1"
        status, _, _, parsed = raw_call(self.server.port, "SubscribeToShard", body)
        self.assertEqual(error_type(parsed), "ResourceNotFoundException")


class PolicyTest(ServerTestCase):
    POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "kinesis:GetRecords", "Resource": "*"}]})

    def test_put_get_delete(self):
        arn = stream_arn(self.new_stream())
        self.assertEqual(self.kin.get_resource_policy(ResourceARN=arn)["Policy"], "{}")
        self.assertClientError("ResourceNotFoundException", self.kin.delete_resource_policy,
                               ResourceARN=arn)
        self.kin.put_resource_policy(ResourceARN=arn, Policy=self.POLICY)
        self.assertEqual(self.kin.get_resource_policy(ResourceARN=arn)["Policy"], self.POLICY)
        replaced = json.dumps({"Version": "2012-10-17", "Statement": []})
        self.kin.put_resource_policy(ResourceARN=arn, Policy=replaced)
        self.assertEqual(self.kin.get_resource_policy(ResourceARN=arn)["Policy"], replaced)
        self.kin.delete_resource_policy(ResourceARN=arn)
        self.assertEqual(self.kin.get_resource_policy(ResourceARN=arn)["Policy"], "{}")
        self.assertClientError("ResourceNotFoundException", self.kin.delete_resource_policy,
                               ResourceARN=arn)

    def test_consumer_policy(self):
        arn = stream_arn(self.new_stream())
        carn = self.kin.register_stream_consumer(StreamARN=arn,
                                                 ConsumerName="c")["Consumer"]["ConsumerARN"]
        self.kin.put_resource_policy(ResourceARN=carn, Policy=self.POLICY)
        self.assertEqual(self.kin.get_resource_policy(ResourceARN=carn)["Policy"], self.POLICY)
        self.assertEqual(self.kin.get_resource_policy(ResourceARN=arn)["Policy"], "{}")
        self.kin.delete_resource_policy(ResourceARN=carn)
        self.assertEqual(self.kin.get_resource_policy(ResourceARN=carn)["Policy"], "{}")

    def test_errors(self):
        arn = stream_arn(self.new_stream())
        for bad in ("not json", "[1, 2]", "{\"a\": ", ""):
            self.assertClientError(("InvalidArgumentException", "ValidationException"),
                                   self.kin.put_resource_policy, ResourceARN=arn, Policy=bad)
        missing = stream_arn(unique_name("missing"))
        self.assertClientError("ResourceNotFoundException", self.kin.put_resource_policy,
                               ResourceARN=missing, Policy=self.POLICY)
        self.assertClientError("ResourceNotFoundException", self.kin.get_resource_policy,
                               ResourceARN=missing)
        self.assertClientError("ResourceNotFoundException", self.kin.delete_resource_policy,
                               ResourceARN=missing)
        self.assertClientError("ResourceNotFoundException", self.kin.get_resource_policy,
                               ResourceARN=arn + "/consumer/nope:1700000000")


class AccountSettingsTest(ServerTestCase):
    in_memory = True

    def test_billing_commitment_lifecycle(self):
        resp = self.kin.describe_account_settings()
        self.assertEqual(resp["MinimumThroughputBillingCommitment"], {"Status": "DISABLED"})
        self.assertClientError("ValidationException", self.kin.update_account_settings,
                               MinimumThroughputBillingCommitment={"Status": "MAYBE"})
        now = datetime.datetime.now(datetime.timezone.utc)
        c = self.kin.update_account_settings(
            MinimumThroughputBillingCommitment={"Status": "ENABLED"})[
            "MinimumThroughputBillingCommitment"]
        self.assertEqual(c["Status"], "ENABLED")
        self.assertLess(abs((c["StartedAt"] - now).total_seconds()), 5)
        self.assertEqual(c["EarliestAllowedEndAt"] - c["StartedAt"], datetime.timedelta(hours=24))
        self.assertNotIn("EndedAt", c)
        self.assertEqual(self.kin.describe_account_settings()["MinimumThroughputBillingCommitment"],
                         c)
        # disabling inside the 24 h window only schedules it
        d = self.kin.update_account_settings(
            MinimumThroughputBillingCommitment={"Status": "DISABLED"})[
            "MinimumThroughputBillingCommitment"]
        self.assertEqual(d["Status"], "ENABLED_UNTIL_EARLIEST_ALLOWED_END")
        self.assertEqual(d["StartedAt"], c["StartedAt"])
        self.assertEqual(d["EarliestAllowedEndAt"], c["EarliestAllowedEndAt"])
        # enabling again cancels the scheduled disable, keeping the commitment
        e = self.kin.update_account_settings(
            MinimumThroughputBillingCommitment={"Status": "ENABLED"})[
            "MinimumThroughputBillingCommitment"]
        self.assertEqual(e, c)
        # another region has its own settings
        other = boto3.client("kinesis", endpoint_url=self.server.endpoint,
                             region_name="eu-west-1", aws_access_key_id=ACCESS_KEY,
                             aws_secret_access_key=SECRET_KEY)
        self.assertEqual(other.describe_account_settings()["MinimumThroughputBillingCommitment"],
                         {"Status": "DISABLED"})


class EnhancedMonitoringTest(ServerTestCase):
    def test_enable_disable(self):
        name = self.new_stream()
        resp = self.kin.enable_enhanced_monitoring(
            StreamName=name, ShardLevelMetrics=["OutgoingBytes", "IncomingBytes"])
        self.assertEqual(resp["StreamName"], name)
        self.assertEqual(resp["StreamARN"], stream_arn(name))
        self.assertEqual(resp["CurrentShardLevelMetrics"], [])
        self.assertEqual(resp["DesiredShardLevelMetrics"], ["IncomingBytes", "OutgoingBytes"])
        resp = self.kin.enable_enhanced_monitoring(StreamARN=stream_arn(name),
                                                   ShardLevelMetrics=["IncomingBytes",
                                                                      "IteratorAgeMilliseconds"])
        self.assertEqual(resp["CurrentShardLevelMetrics"], ["IncomingBytes", "OutgoingBytes"])
        self.assertEqual(resp["DesiredShardLevelMetrics"],
                         ["IncomingBytes", "IteratorAgeMilliseconds", "OutgoingBytes"])
        resp = self.kin.enable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=["ALL"])
        self.assertEqual(resp["DesiredShardLevelMetrics"], ALL_METRICS)
        resp = self.kin.disable_enhanced_monitoring(StreamName=name,
                                                    ShardLevelMetrics=["IncomingBytes"])
        self.assertEqual(resp["CurrentShardLevelMetrics"], ALL_METRICS)
        self.assertEqual(resp["DesiredShardLevelMetrics"],
                         [m for m in ALL_METRICS if m != "IncomingBytes"])
        resp = self.kin.disable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=["ALL"])
        self.assertEqual(resp["DesiredShardLevelMetrics"], [])
        resp = self.kin.disable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=["ALL"])
        self.assertEqual(resp["CurrentShardLevelMetrics"], [])

    def test_errors(self):
        name = self.new_stream()
        self.assertClientError("ValidationException", self.kin.enable_enhanced_monitoring,
                               StreamName=name, ShardLevelMetrics=["Nope"])
        status, _, _, parsed = raw_call(self.server.port, "EnableEnhancedMonitoring",
                                        {"StreamName": name, "ShardLevelMetrics": []})
        self.assertEqual((status, error_type(parsed)), (400, "ValidationException"))
        for fn in (self.kin.enable_enhanced_monitoring, self.kin.disable_enhanced_monitoring):
            self.assertClientError("ResourceNotFoundException", fn,
                                   StreamName=unique_name("missing"), ShardLevelMetrics=["ALL"])
            self.assertClientError("InvalidArgumentException", fn, ShardLevelMetrics=["ALL"])


class PersistenceTest(unittest.TestCase):
    """Everything survives a clean restart and a kill -9."""

    def setUp(self):
        self.server = Server(extra_args=["--update-stream-ms", "100"])
        self.addCleanup(self.server.cleanup)
        self.server.start()
        self.kin = self.server.client()

    def restart(self, graceful):
        self.server.restart(graceful=graceful)
        self.kin = self.server.client()

    def snapshot(self, name, carn):
        arn = stream_arn(name)
        consumers = self.kin.list_stream_consumers(StreamARN=arn)["Consumers"]
        # Enabling a metric that is already off reports the current ones; then undo it.
        metrics = self.kin.enable_enhanced_monitoring(
            StreamName=name, ShardLevelMetrics=["IncomingBytes"])["CurrentShardLevelMetrics"]
        self.kin.disable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=["IncomingBytes"])
        return {
            "tags": self.kin.list_tags_for_stream(StreamName=name)["Tags"],
            "consumers": consumers,
            "consumer_tags": self.kin.list_tags_for_resource(ResourceARN=carn)["Tags"],
            "policy": self.kin.get_resource_policy(ResourceARN=arn)["Policy"],
            "consumer_policy": self.kin.get_resource_policy(ResourceARN=carn)["Policy"],
            "metrics": metrics,
            "account": self.kin.describe_account_settings()["MinimumThroughputBillingCommitment"],
        }

    def test_restart_keeps_everything(self):
        name = unique_name("keep")
        create_active_stream(self.kin, name, 1)
        arn = stream_arn(name)
        self.kin.add_tags_to_stream(StreamName=name, Tags={"a": "1", "b": "2"})
        carn = self.kin.register_stream_consumer(StreamARN=arn, ConsumerName="reader",
                                                 Tags={"c": "3"})["Consumer"]["ConsumerARN"]
        gone = self.kin.register_stream_consumer(StreamARN=arn,
                                                 ConsumerName="leaving")["Consumer"]
        wait_consumer(self.kin, carn, "ACTIVE")
        self.kin.deregister_stream_consumer(ConsumerARN=gone["ConsumerARN"])
        wait_consumer_gone(self.kin, gone["ConsumerARN"])
        self.kin.put_resource_policy(ResourceARN=arn, Policy='{"Version": "2012-10-17"}')
        self.kin.put_resource_policy(ResourceARN=carn, Policy='{"Id": "consumer"}')
        self.kin.enable_enhanced_monitoring(StreamName=name,
                                            ShardLevelMetrics=["OutgoingRecords"])
        self.kin.update_account_settings(MinimumThroughputBillingCommitment={"Status": "ENABLED"})
        # a deleted stream's resources must not come back
        dead = unique_name("dead")
        create_active_stream(self.kin, dead, 1)
        self.kin.add_tags_to_stream(StreamName=dead, Tags={"dead": "yes"})
        self.kin.delete_stream(StreamName=dead)
        wait_gone(self.kin, dead)

        before = self.snapshot(name, carn)
        self.assertEqual(tag_dict(before["tags"]), {"a": "1", "b": "2"})
        self.assertEqual([c["ConsumerName"] for c in before["consumers"]], ["reader"])
        self.assertEqual(before["consumers"][0]["ConsumerStatus"], "ACTIVE")
        self.assertEqual(tag_dict(before["consumer_tags"]), {"c": "3"})
        self.assertEqual(before["metrics"], ["OutgoingRecords"])
        self.assertEqual(before["account"]["Status"], "ENABLED")

        for graceful in (True, False):
            self.restart(graceful)
            self.assertEqual(self.snapshot(name, carn), before)
        create_active_stream(self.kin, dead, 1)
        self.assertEqual(self.kin.list_tags_for_stream(StreamName=dead)["Tags"], [])

    def test_deleting_consumer_finishes_after_restart(self):
        name = unique_name("del")
        create_active_stream(self.kin, name, 1)
        arn = stream_arn(name)
        carn = self.kin.register_stream_consumer(StreamARN=arn,
                                                 ConsumerName="c")["Consumer"]["ConsumerARN"]
        self.restart(graceful=False)
        # CREATING is computed from the creation time: it still ends after a restart
        wait_consumer(self.kin, carn, "ACTIVE")
        self.kin.deregister_stream_consumer(ConsumerARN=carn)
        self.restart(graceful=True)
        wait_consumer_gone(self.kin, carn)
        self.assertEqual(self.kin.list_stream_consumers(StreamARN=arn)["Consumers"], [])


if __name__ == "__main__":
    unittest.main()
