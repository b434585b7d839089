"""The AWS SDK for JavaScript v3 (@aws-sdk/client-kinesis), unchanged, against the emulator.

Runs tests/e2e/js/smoke.mjs (Node.js) against a fresh server: CreateStream with 2 shards, wait
ACTIVE, ListStreams, ListShards, PutRecord (bytes 0..255), PutRecords (50), TRIM_HORIZON +
GetRecords until all 51 records are back (bytes, partition keys, arrival timestamps), a typed
ResourceNotFoundException with HTTP 400, DeleteStream. The script prints one JSON summary line.

The SDK is pinned in tests/e2e/js/package.json + package-lock.json. If tests/e2e/js/node_modules
is missing (or holds other versions), `npm ci` installs it first; if `node` is missing, or npm
cannot install (e.g. no registry access), the test is SKIPPED with the reason. A failure of the
smoke script itself always FAILS the test.

The client is given an HTTP/1.1 handler (NodeHttpHandler): @aws-sdk/client-kinesis defaults to
an HTTP/2 handler (h2c with prior knowledge on http://), which the emulator does not speak.
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
OPERATIONS = ["CreateStream", "DeleteStream", "DescribeStream", "DescribeStreamSummary",
              "GetRecords", "GetShardIterator", "ListShards", "ListStreams", "PutRecord",
              "PutRecords"]


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


class JsSdkSmokeTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.node = shutil.which("node")
        if cls.node is None:
            raise unittest.SkipTest("node (Node.js) not found on PATH; the JS SDK smoke test "
                                    "needs Node.js >= 20 and npm")
        major, text = _node_major(cls.node)
        if major < MIN_NODE_MAJOR:
            raise unittest.SkipTest(
                f"Node.js {text or '?'} is too old; @aws-sdk/client-kinesis needs >= "
                f"{MIN_NODE_MAJOR}")
        _ensure_node_modules()
        super().setUpClass()

    def run_smoke(self, *args):
        cmd = [self.node, os.path.join(JS_DIR, "smoke.mjs"), *args, self.server.endpoint]
        try:
            res = subprocess.run(cmd, cwd=JS_DIR, capture_output=True, text=True,
                                 timeout=SMOKE_TIMEOUT, stdin=subprocess.DEVNULL, env=node_env())
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
        return res, summary

    def test_smoke(self):
        res, summary = self.run_smoke()
        context = (f"\nrc={res.returncode}\n{_out(res)}\n"
                   f"server stderr:\n{_tail(self.server.stderr_text(), 3000)}")
        self.assertEqual(res.returncode, 0, "smoke.mjs failed" + context)
        self.assertIsInstance(summary, dict, "no JSON summary line" + context)
        self.assertIs(summary.get("ok"), True, context)
        self.assertEqual(summary["sdk"], "@aws-sdk/client-kinesis@3.1143.0", context)
        self.assertEqual(summary["shards"], 2, context)
        self.assertEqual(summary["put"], 51, context)
        self.assertEqual(summary["read"], 51, context)
        self.assertEqual(sum(summary["perShard"].values()), 51, context)
        self.assertEqual(summary["error"],
                         {"name": "ResourceNotFoundException", "httpStatusCode": 400}, context)
        self.assertEqual(summary["operations"],
                         sorted("Kinesis_20131202." + op for op in OPERATIONS), context)
        # One wire protocol throughout, answered in kind (AWS JSON 1.1 for this SDK version).
        self.assertEqual(len(summary["requestContentTypes"]), 1, context)
        self.assertIn(summary["requestContentTypes"][0], KNOWN_CONTENT_TYPES, context)
        self.assertEqual(summary["responseContentTypes"], summary["requestContentTypes"], context)


if __name__ == "__main__":
    unittest.main()
