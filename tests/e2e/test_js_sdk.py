"""The AWS SDK for JavaScript v3 (@aws-sdk/client-kinesis), unchanged, against the emulator.

Runs tests/e2e/js/smoke.mjs (Node.js) once per operation group (streams, records, resharding,
tags, consumers, distribution: RecordDistributionStrategy, which boto3's model here does not
have yet) and per way in:
  - h2c: the SDK's default client, no handler given, on http:// (HTTP/2 with prior knowledge,
    which is what users run);
  - tls: the same default client on https:// (ALPN h2), trusting the emulator's self-signed
    certificate through NODE_EXTRA_CA_CERTS, as the README tells users to;
  - h1:  the client given @smithy/node-http-handler's NodeHttpHandler (HTTP/1.1).
The server logs every request at debug level with how it came, and each test checks that every
request of its run came the expected way, so a silent fallback to HTTP/1.1 would fail it. The
script prints one JSON summary line.

The SDK is pinned in tests/e2e/js/package.json + package-lock.json. If tests/e2e/js/node_modules
is missing (or holds other versions), `npm ci` installs it first; if `node` is missing, or npm
cannot install (e.g. no registry access), the test is SKIPPED with the reason. A failure of the
smoke script itself always FAILS the test.
"""

import json
import os
import re
import shutil
import subprocess
import unittest

from support import ServerTestCase

HERE = os.path.dirname(os.path.abspath(__file__))
JS_DIR = os.path.join(HERE, "js")
NODE_MODULES = os.path.join(JS_DIR, "node_modules")

NPM_TIMEOUT = 180
SMOKE_TIMEOUT = 120
MIN_NODE_MAJOR = 20  # @aws-sdk/client-kinesis 3.1143.0 declares engines.node >= 20

JSON_11 = "application/x-amz-json-1.1"
KNOWN_CONTENT_TYPES = {"application/x-amz-json-1.0", JSON_11, "application/x-amz-cbor-1.1"}
SDK = "@aws-sdk/client-kinesis@3.1143.0"
# Per group, the operations its run must have sent (besides the create/wait/delete steps).
GROUP_OPERATIONS = {
    "streams": ["CreateStream", "DeleteStream", "DescribeStream", "DescribeStreamSummary",
                "ListShards", "ListStreams"],
    "records": ["GetRecords", "GetShardIterator", "PutRecord", "PutRecords"],
    "resharding": ["MergeShards", "SplitShard", "UpdateShardCount", "PutRecord"],
    "tags": ["AddTagsToStream", "ListTagsForResource", "ListTagsForStream",
             "RemoveTagsFromStream", "TagResource", "UntagResource"],
    "consumers": ["DeregisterStreamConsumer", "DescribeStreamConsumer", "ListStreamConsumers",
                  "RegisterStreamConsumer"],
    "distribution": ["UpdateStreamRecordDistributionStrategy", "PutRecord", "GetRecords"],
}
# Way in -> (smoke.mjs --handler, URL scheme, what the server logs for each request).
TRANSPORTS = {
    "h2c": ("sdk-default", "http", "h2c"),
    "tls": ("sdk-default", "https", "h2+tls"),
    "h1": ("h1", "http", "http/1.1"),
}
REQUEST_LOG_RE = re.compile(r" (http/1\.1\+tls|http/1\.1|h2c|h2\+tls) (Kinesis_20131202\.\w+) \d{3} ")


def _tail(text, limit=4000):
    text = text or ""
    return text if len(text) <= limit else "...\n" + text[-limit:]


def _out(exc_or_res):
    out = exc_or_res.stdout or ""
    err = exc_or_res.stderr or ""
    if isinstance(out, bytes):
        out = out.decode("utf-8", "replace")
    if isinstance(err, bytes):
        err = err.decode("utf-8", "replace")
    return f"stdout:\n{_tail(out)}\nstderr:\n{_tail(err)}"


def _installed_matches_pins():
    """node_modules holds exactly the versions package.json pins for its direct dependencies."""
    try:
        with open(os.path.join(JS_DIR, "package.json"), encoding="utf-8") as f:
            deps = json.load(f)["dependencies"]
        for name, version in deps.items():
            with open(os.path.join(NODE_MODULES, *name.split("/"), "package.json"),
                      encoding="utf-8") as f:
                if json.load(f).get("version") != version:
                    return False
    except (OSError, ValueError, KeyError):
        return False
    return True


def _node_major(node):
    res = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30,
                         stdin=subprocess.DEVNULL)
    m = re.match(r"v(\d+)\.", res.stdout.strip())
    return (int(m.group(1)) if m else 0), res.stdout.strip()


def _ensure_node_modules():
    """Install the pinned SDK with `npm ci` if needed; raise SkipTest if that is impossible."""
    if _installed_matches_pins():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise unittest.SkipTest(
            f"npm not found on PATH, and {NODE_MODULES} is missing or out of date")
    cmd = [npm, "ci", "--no-audit", "--no-fund"]
    env = dict(os.environ, npm_config_update_notifier="false")
    try:
        res = subprocess.run(cmd, cwd=JS_DIR, capture_output=True, text=True,
                             timeout=NPM_TIMEOUT, stdin=subprocess.DEVNULL, env=env)
    except subprocess.TimeoutExpired as e:
        shutil.rmtree(NODE_MODULES, ignore_errors=True)  # no half-installed tree next time
        raise unittest.SkipTest(
            f"`npm ci` in {JS_DIR} did not finish within {NPM_TIMEOUT}s "
            f"(registry unreachable?)\n{_out(e)}")
    if res.returncode != 0 or not _installed_matches_pins():
        shutil.rmtree(NODE_MODULES, ignore_errors=True)
        raise unittest.SkipTest(
            f"`npm ci` in {JS_DIR} failed (rc={res.returncode}; registry unreachable?)\n"
            f"{_out(res)}")


def node_env():
    """No AWS_* settings of ours (e.g. AWS_ENDPOINT_URL, profiles) may steer the SDK."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
               AWS_EC2_METADATA_DISABLED="true")
    return env


class JsSdkTest(ServerTestCase):
    server_args = ["--tls", "--log-level", "debug"]

    @classmethod
    def setUpClass(cls):
        cls.node = shutil.which("node")
        if cls.node is None:
            raise unittest.SkipTest("node (Node.js) not found on PATH; the JS SDK tests "
                                    "need Node.js >= 20 and npm")
        major, text = _node_major(cls.node)
        if major < MIN_NODE_MAJOR:
            raise unittest.SkipTest(
                f"Node.js {text or '?'} is too old; @aws-sdk/client-kinesis needs >= "
                f"{MIN_NODE_MAJOR}")
        _ensure_node_modules()
        super().setUpClass()
        cls.cert = os.path.join(cls.server.data_dir, "tls", "cert.pem")

    def server_log(self):
        with open(self.server._stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def run_smoke(self, group, transport):
        handler, scheme, _ = TRANSPORTS[transport]
        host = "localhost" if scheme == "https" else "127.0.0.1"
        endpoint = f"{scheme}://{host}:{self.server.port}"
        cmd = [self.node, os.path.join(JS_DIR, "smoke.mjs"), f"--handler={handler}",
               f"--groups={group}", endpoint]
        env = node_env()
        if scheme == "https":
            env["NODE_EXTRA_CA_CERTS"] = self.cert
        log_before = len(self.server_log())
        try:
            res = subprocess.run(cmd, cwd=JS_DIR, capture_output=True, text=True,
                                 timeout=SMOKE_TIMEOUT, stdin=subprocess.DEVNULL, env=env)
        except subprocess.TimeoutExpired as e:
            self.fail(f"smoke.mjs did not finish within {SMOKE_TIMEOUT}s\n{_out(e)}\n"
                      f"server stderr:\n{_tail(self.server.stderr_text(), 3000)}")
        lines = [ln for ln in res.stdout.splitlines() if ln.strip()]
        summary = None
        if lines:
            try:
                summary = json.loads(lines[-1])
            except ValueError:
                summary = None
        context = (f"\nrc={res.returncode}\n{_out(res)}\n"
                   f"server stderr:\n{_tail(self.server_log()[log_before:], 3000)}")
        self.assertEqual(res.returncode, 0, "smoke.mjs failed" + context)
        self.assertIsInstance(summary, dict, "no JSON summary line" + context)
        self.assertIs(summary.get("ok"), True, context)
        self.assertEqual(summary["sdk"], SDK, context)
        sent = set(summary["operations"])
        for op in GROUP_OPERATIONS[group]:
            self.assertIn("Kinesis_20131202." + op, sent, context)
        # One wire protocol throughout, answered in kind (AWS JSON 1.1 for this SDK version).
        self.assertEqual(len(summary["requestContentTypes"]), 1, context)
        self.assertIn(summary["requestContentTypes"][0], KNOWN_CONTENT_TYPES, context)
        self.assertEqual(summary["responseContentTypes"], summary["requestContentTypes"], context)
        # Every request of this run came the way it should have.
        ways = [m.group(1) for m in REQUEST_LOG_RE.finditer(self.server_log()[log_before:])]
        self.assertTrue(ways, "the server logged no request" + context)
        self.assertEqual(set(ways), {TRANSPORTS[transport][2]}, context)
        return summary["groups"][group], context

    def check_streams(self, result, context):
        self.assertEqual(result["shards"], 2, context)
        self.assertEqual(result["error"],
                         {"name": "ResourceNotFoundException", "httpStatusCode": 400}, context)

    def check_records(self, result, context):
        self.assertEqual(result["shards"], 2, context)
        self.assertEqual(result["put"], 51, context)
        self.assertEqual(result["read"], 51, context)
        self.assertEqual(sum(result["perShard"].values()), 51, context)

    def check_resharding(self, result, context):
        self.assertEqual(result["openShards"], 4, context)

    def check_tags(self, result, context):
        self.assertEqual(result["tags"], {"cost": "42"}, context)
        self.assertEqual(result["error"]["name"], "ResourceNotFoundException", context)

    def check_consumers(self, result, context):
        self.assertEqual(result["consumers"], 1, context)
        self.assertEqual(result["error"],
                         {"name": "ResourceInUseException", "httpStatusCode": 400}, context)


    def check_distribution(self, result, context):
        self.assertEqual(result["autoShards"], 4, context)
        self.assertEqual(result["error"],
                         {"name": "InvalidArgumentException", "httpStatusCode": 400}, context)


def _make_test(group, transport):
    def test(self):
        result, context = self.run_smoke(group, transport)
        getattr(self, f"check_{group}")(result, context)
    test.__doc__ = f"{group} with the JS SDK over {transport}"
    return test


for _group in GROUP_OPERATIONS:
    for _transport in TRANSPORTS:
        setattr(JsSdkTest, f"test_{_group}_over_{_transport}", _make_test(_group, _transport))


if __name__ == "__main__":
    unittest.main()
