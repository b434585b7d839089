"""AWS's exact answers on the wire, as conformance suites of earlier emulators recorded them:
the order of checks for a broken request, the signature checks, SerializationException's words,
ValidationException's list, 56-digit sequence numbers, CreateStream's defaults and quoted
iterators. Raw HTTP where an SDK would hide the difference, boto3 elsewhere."""

import http.client
import json
import unittest

from support import (JSON_CT, ServerTestCase, error_message, error_type, raw_call, unique_name,
                     wait_active)

DATE = {"X-Amz-Date": "20261201T000000Z"}
AUTH = ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/kinesis/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=abc")


def post(port, body, headers, path="/", method="POST"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, raw
    finally:
        conn.close()


def target(op):
    return "Kinesis_20131202." + op


class OrderOfChecksTest(ServerTestCase):

    def call(self, op, body, auth=AUTH, extra=None, content_type=JSON_CT, path="/"):
        headers = {"X-Amz-Target": target(op)}
        if content_type is not None:
            headers["Content-Type"] = content_type
        if auth is not None:
            headers["Authorization"] = auth
        headers.update(extra if extra is not None else DATE)
        status, hdrs, raw = post(self.server.port, body, headers, path=path)
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return status, hdrs, raw, parsed

    def assert_aws_error(self, result, status, type_, message=None):
        got_status, _, raw, parsed = result
        self.assertEqual(got_status, status, raw)
        self.assertEqual(error_type(parsed), type_, raw)
        if message is not None:
            self.assertEqual(error_message(parsed), message, raw)

    def test_malformed_or_empty_body_first_even_without_authorization(self):
        for body in (b"{", b"not json", b"[1]", b"true"):
            r = self.call("CreateStream", body, auth=None, extra={})
            self.assert_aws_error(r, 400, "SerializationException")
            self.assertIn("Message", r[3])
        r = self.call("ListStreams", b"", auth=None, extra={})
        self.assert_aws_error(r, 400, "SerializationException")

    def test_then_the_target(self):
        r = self.call("Frobnicate", b"{}", auth=None, extra={})
        self.assert_aws_error(r, 400, "UnknownOperationException")

    def test_then_authentication(self):
        r = self.call("CreateStream", json.dumps({"StreamName": "a b"}).encode(), auth=None,
                      extra={})
        self.assert_aws_error(r, 400, "MissingAuthenticationTokenException",
                              "Missing Authentication Token")

    def test_then_validation_before_existence(self):
        missing = unique_name("missing")
        r = self.call("PutRecord", json.dumps(
            {"StreamName": missing, "PartitionKey": "", "Data": "YQ=="}).encode())
        self.assert_aws_error(
            r, 400, "ValidationException",
            "1 validation error detected: Value '' at 'partitionKey' failed to satisfy "
            "constraint: Member must have length greater than or equal to 1")
        r = self.call("PutRecord", json.dumps(
            {"StreamName": missing, "PartitionKey": "p", "Data": "YQ=="}).encode())
        self.assert_aws_error(r, 400, "ResourceNotFoundException")

    def test_incomplete_signatures(self):
        r = self.call("ListStreams", b"{}", auth="X", extra={})
        self.assert_aws_error(
            r, 400, "IncompleteSignatureException",
            "Authorization header requires 'Credential' parameter. Authorization header "
            "requires 'Signature' parameter. Authorization header requires 'SignedHeaders' "
            "parameter. Authorization header requires existence of either a 'X-Amz-Date' or a "
            "'Date' header. Authorization=X")
        no_date = self.call("ListStreams", b"{}", extra={})
        self.assert_aws_error(no_date, 400, "IncompleteSignatureException")
        self.assertIn("'X-Amz-Date' or a 'Date' header", error_message(no_date[3]))
        with_date = self.call("ListStreams", b"{}",
                              extra={"Date": "Tue, 01 Dec 2026 00:00:00 GMT"})
        self.assertEqual(with_date[0], 200, with_date[2])

    def test_query_string_signatures(self):
        r = self.call("ListStreams", b"{}", auth=None, extra={},
                      path="/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a")
        self.assert_aws_error(
            r, 400, "IncompleteSignatureException",
            "AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string "
            "parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must "
            "include 'X-Amz-Date'. Re-examine the query-string parameters.")
        presigned = ("/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261201%2F"
                     "us-east-1%2Fkinesis%2Faws4_request&X-Amz-Date=20261201T000000Z"
                     "&X-Amz-SignedHeaders=host&X-Amz-Signature=ab")
        ok = self.call("ListStreams", b"{}", auth=None, extra={}, path=presigned)
        self.assertEqual(ok[0], 200, ok[2])
        both = self.call("ListStreams", b"{}", path=presigned)
        self.assert_aws_error(
            both, 400, "InvalidSignatureException",
            "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP "
            "header.")

    def test_unsupported_content_type_is_404(self):
        for content_type in (None, "text/plain"):
            status, headers, raw, _ = self.call("ListStreams", b"{}", content_type=content_type)
            self.assertEqual(status, 404)
            self.assertEqual(raw, b"<UnknownOperationException/>\n")
            self.assertNotIn("content-type", headers)

    def test_not_post_is_403_access_denied(self):
        for method in ("GET", "PUT", "DELETE"):
            status, headers, raw = post(self.server.port, None, {}, method=method)
            self.assertEqual(status, 403, method)
            self.assertEqual(raw, b"<AccessDeniedException>\n  <Message>Unable to determine "
                                  b"service/operation name to be authorized</Message>\n"
                                  b"</AccessDeniedException>\n")

    def test_nothing_changed_after_refusals(self):
        before = self.kin.list_streams()["StreamNames"]
        name = unique_name("refused")
        for auth, extra, body in ((None, {}, {"StreamName": name, "ShardCount": 1}),
                                  ("X", {}, {"StreamName": name, "ShardCount": 1}),
                                  (AUTH, DATE, {"StreamName": name, "ShardCount": "1"})):
            r = self.call("CreateStream", json.dumps(body).encode(), auth=auth, extra=extra)
            self.assertEqual(r[0], 400, r[2])
        self.assertEqual(self.kin.list_streams()["StreamNames"], before)


class WordingTest(ServerTestCase):

    def serialization(self, op, body):
        status, _, raw, parsed = raw_call(self.server.port, op, body)
        self.assertEqual(status, 400, raw)
        self.assertEqual(error_type(parsed), "SerializationException", raw)
        self.assertEqual(set(parsed), {"__type", "Message"}, raw)
        return parsed["Message"]

    def test_wrong_json_types(self):
        number = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber"
        cases = [
            ("CreateStream", {"StreamName": True},
             "class java.lang.Boolean can not be converted to an String"),
            ("CreateStream", {"StreamName": 12}, number + " can not be converted to an String"),
            ("CreateStream", {"StreamName": ["a"]}, "Start of list found where not expected"),
            ("CreateStream", {"StreamName": {"a": 1}},
             "Start of structure or map found where not expected."),
            ("CreateStream", {"StreamName": "s", "ShardCount": "1"},
             "class java.lang.String can not be converted to an Integer"),
            ("IncreaseStreamRetentionPeriod", {"StreamName": "s", "RetentionPeriodHours": True},
             "class java.lang.Boolean can not be converted to an Integer"),
            ("DeleteStream", {"StreamName": "s", "EnforceConsumerDeletion": 1},
             number + " can not be converted to an Boolean"),
            ("PutRecord", {"StreamName": "s", "PartitionKey": "p", "Data": True},
             "class java.lang.Boolean can not be converted to a Blob"),
            ("PutRecord", {"StreamName": "s", "PartitionKey": "p", "Data": "YQ"},
             "'YQ' can not be converted to a Blob: Base64 encoded length is expected a multiple "
             "of 4 bytes but found: 2"),
            ("GetShardIterator", {"StreamName": "s", "ShardId": "0",
                                  "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": "yesterday"},
             "class java.lang.String can not be converted to milliseconds since epoch"),
            ("PutRecords", {"StreamName": "s", "Records": "x"}, "Expected list or null"),
            ("CreateStream", {"StreamName": "s", "Tags": []},
             "Start of list found where not expected"),
            ("CreateStream", {"StreamName": "s", "StreamModeDetails": "ON_DEMAND"},
             "Expected null"),
        ]
        for op, body, message in cases:
            with self.subTest(op=op, body=body):
                self.assertEqual(self.serialization(op, body), message)

    def test_validation_lists_every_violation_in_model_order(self):
        status, _, raw, parsed = raw_call(self.server.port, "PutRecord", {
            "StreamName": "a b", "PartitionKey": "", "Data": "YQ==",
            "ExplicitHashKey": "x"})
        self.assertEqual(status, 400, raw)
        self.assertEqual(error_type(parsed), "ValidationException")
        self.assertEqual(
            parsed["message"],
            "3 validation errors detected: "
            "Value 'a b' at 'streamName' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: [a-zA-Z0-9_.-]+; "
            "Value '' at 'partitionKey' failed to satisfy constraint: Member must have length "
            "greater than or equal to 1; "
            "Value 'x' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: 0|([1-9]\\d{0,38})")


class ShapesOfAnswersTest(ServerTestCase):

    def test_sequence_numbers_have_56_digits(self):
        name = self.new_stream(shards=2)
        seqs = []
        for i in range(20):
            r = self.kin.put_record(StreamName=name, Data=b"x", PartitionKey=f"k{i}")
            self.assertRegex(r["SequenceNumber"], r"^49\d{54}$")
            seqs.append((r["ShardId"], int(r["SequenceNumber"])))
        for shard in {s for s, _ in seqs}:
            in_shard = [n for s, n in seqs if s == shard]
            self.assertEqual(in_shard, sorted(in_shard))
            self.assertEqual(len(set(in_shard)), len(in_shard))
        for shard in self.kin.list_shards(StreamName=name)["Shards"]:
            self.assertRegex(shard["SequenceNumberRange"]["StartingSequenceNumber"],
                             r"^49\d{54}$")
        # They work as input, AFTER_SEQUENCE_NUMBER included.
        shard_id, first = seqs[0]
        it = self.kin.get_shard_iterator(StreamName=name, ShardId=shard_id,
                                         ShardIteratorType="AT_SEQUENCE_NUMBER",
                                         StartingSequenceNumber=str(first))["ShardIterator"]
        records = self.kin.get_records(ShardIterator=it)["Records"]
        self.assertEqual(int(records[0]["SequenceNumber"]), first)
        # The 39-digit form that 0.1 issued (the last 39 digits) still names the same record.
        legacy = str(first)[-39:]
        it = self.kin.get_shard_iterator(StreamName=name, ShardId=shard_id,
                                         ShardIteratorType="AT_SEQUENCE_NUMBER",
                                         StartingSequenceNumber=legacy)["ShardIterator"]
        records = self.kin.get_records(ShardIterator=it)["Records"]
        self.assertEqual(int(records[0]["SequenceNumber"]), first)

    def test_create_stream_without_count_or_mode_is_on_demand_with_4_shards(self):
        name = unique_name("default")
        self.kin.create_stream(StreamName=name)
        wait_active(self.kin, name)
        summary = self.kin.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        self.assertEqual(summary["StreamModeDetails"]["StreamMode"], "ON_DEMAND")
        self.assertEqual(summary["OpenShardCount"], 4)
        # A provisioned stream still needs its count.
        self.assertClientError("InvalidArgumentException", self.kin.create_stream,
                               StreamName=unique_name("p"),
                               StreamModeDetails={"StreamMode": "PROVISIONED"})

    def test_get_records_takes_a_quoted_iterator(self):
        name = self.new_stream()
        self.kin.put_record(StreamName=name, Data=b"quoted", PartitionKey="k")
        it = self.kin.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        status, _, raw, parsed = raw_call(self.server.port, "GetRecords",
                                          {"ShardIterator": f'"{it}"'})
        self.assertEqual(status, 200, raw)
        self.assertEqual(len(parsed["Records"]), 1)
        # Through the CLI, as a shell script passes a JSON-quoted value.
        out = self.server.cli_json("get-records", "--shard-iterator", f'"{it}"')
        self.assertEqual(len(out["Records"]), 1)


if __name__ == "__main__":
    unittest.main()
