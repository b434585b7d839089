"""Shared helpers for the kinesis-emulator end-to-end tests.

Starts the real binary (env KINESIS_EMULATOR_BIN, default build/kinesis-emulator in the repository)
on an OS-chosen port, parses the start-up line, and hands out boto3 clients, an AWS CLI runner
and raw-HTTP helpers. Everything is bounded: every wait has a deadline, every subprocess a
timeout, and every temporary directory is removed.

Start-up contract:
    kinesis-emulator --host 127.0.0.1 --port N (--data-dir DIR | --in-memory)
        --create-stream-ms MS --delete-stream-ms MS --update-stream-ms MS
        --shard-limit N --log-level LEVEL
and on start-up ONE stdout line:
    kinesis-emulator listening on http://127.0.0.1:PORT (data: DIR)
"""

import atexit
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import uuid
import weakref

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
from botocore.config import Config
from botocore.exceptions import ClientError

DEFAULT_BIN = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                           "build", "kinesis-emulator")
BIN = os.environ.get("KINESIS_EMULATOR_BIN", DEFAULT_BIN)

REGION = "us-east-1"
ACCOUNT = "000000000000"
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "secret"
TARGET_PREFIX = "Kinesis_20131202."
JSON_CT = "application/x-amz-json-1.1"
MAX_HASH = 2**128 - 1

START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
CLI_TIMEOUT = 60.0

LISTEN_RE = re.compile(
    r"^kinesis-emulator listening on http://127\.0\.0\.1:(\d+) \(data: (.+)\)\s*$"
)

# Short lifecycle delays used by default, so CREATING/DELETING exist but tests stay fast.
# Short state delays; per-shard throughput limits off, because most tests write far more than
# 1 MiB/s into one shard (test_limits.py turns them back on).
FAST_ARGS = ["--create-stream-ms", "50", "--delete-stream-ms", "50", "--update-stream-ms", "50",
             "--throughput-limits", "off"]

_live_servers = weakref.WeakSet()


def merge_args(defaults, overrides):
    """`defaults` + `overrides`, where a "--flag value" in overrides replaces the same flag in
    defaults (the server rejects a repeated option)."""
    def pairs(args):
        out, i = [], 0
        while i < len(args):
            if i + 1 < len(args) and not args[i + 1].startswith("--"):
                out.append((args[i], args[i + 1]))
                i += 2
            else:
                out.append((args[i], None))
                i += 1
        return out

    over = pairs(list(overrides))
    names = {k for k, _ in over}
    merged = [p for p in pairs(list(defaults)) if p[0] not in names] + over
    return [x for k, v in merged for x in ((k,) if v is None else (k, v))]


def _kill_leftovers():
    for srv in list(_live_servers):
        try:
            srv.kill9()
        except Exception:  # pragma: no cover - best effort at interpreter exit
            pass
        srv.cleanup()


atexit.register(_kill_leftovers)


def stream_arn(name):
    return f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{name}"


def unique_name(prefix="s"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def md5_hash_key(partition_key):
    """The 128-bit hash Kinesis maps a partition key to."""
    return int(hashlib.md5(partition_key.encode("utf-8")).hexdigest(), 16)


def shard_for_hash(shards, hash_key):
    """ShardId of the (open) shard whose HashKeyRange contains hash_key."""
    for s in shards:
        r = s["HashKeyRange"]
        if int(r["StartingHashKey"]) <= hash_key <= int(r["EndingHashKey"]):
            return s["ShardId"]
    raise AssertionError(f"no shard covers hash key {hash_key}")


def error_code(exc):
    return exc.response.get("Error", {}).get("Code")


def server_env():
    """The environment for the server: the server reads KINESIS_EMULATOR_* settings from it,
    so drop ours (e.g. KINESIS_EMULATOR_BIN) to let only the command line configure it."""
    return {k: v for k, v in os.environ.items() if not k.startswith("KINESIS_EMULATOR_")}


class ServerError(AssertionError):
    pass


class Server:
    """One kinesis-emulator process (restartable on the same data dir)."""

    def __init__(self, extra_args=None, in_memory=False, data_dir=None, fast=True):
        if not os.path.exists(BIN):
            raise ServerError(
                f"kinesis-emulator binary not found at {BIN!r} "
                "(build it, or set KINESIS_EMULATOR_BIN)"
            )
        self.in_memory = in_memory
        self._own_data_dir = data_dir is None and not in_memory
        self.data_dir = None
        if not in_memory:
            self.data_dir = data_dir or tempfile.mkdtemp(prefix="ke-e2e-data-")
        self.log_dir = tempfile.mkdtemp(prefix="ke-e2e-log-")
        self.base_args = merge_args(FAST_ARGS if fast else [], extra_args or [])
        log_level = os.environ.get("KINESIS_E2E_LOG_LEVEL")
        if log_level:
            self.base_args += ["--log-level", log_level]
        self.proc = None
        self.port = None
        self.listen_line = None
        self.listen_data = None
        self._starts = 0
        self._stdout_path = None
        self._stderr_path = None
        _live_servers.add(self)

    # ---------------------------------------------------------------- lifecycle
    def command(self, extra_args=None):
        cmd = [BIN, "--host", "127.0.0.1", "--port", "0"]
        if self.in_memory:
            cmd.append("--in-memory")
        else:
            cmd += ["--data-dir", self.data_dir]
        return cmd + merge_args(self.base_args, extra_args or [])

    def start(self, extra_args=None, timeout=START_TIMEOUT):
        if self.proc is not None and self.proc.poll() is None:
            raise ServerError("server already running")
        self._starts += 1
        self._stdout_path = os.path.join(self.log_dir, f"stdout.{self._starts}")
        self._stderr_path = os.path.join(self.log_dir, f"stderr.{self._starts}")
        cmd = self.command(extra_args)
        # Files, not pipes: the server can log as much as it likes without ever blocking.
        with open(self._stdout_path, "wb") as out, open(self._stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, close_fds=True,
                env=server_env(),
            )
        deadline = time.monotonic() + timeout
        while True:
            line = self._first_stdout_line()
            if line is not None:
                m = LISTEN_RE.match(line)
                if not m:
                    self.kill9()
                    raise ServerError(
                        f"unexpected start-up line {line!r}; command {cmd}\n"
                        f"stderr:\n{self.stderr_text()}"
                    )
                self.listen_line = line.rstrip("\r\n")
                self.port = int(m.group(1))
                self.listen_data = m.group(2)
                break
            rc = self.proc.poll()
            if rc is not None:
                raise ServerError(
                    f"server exited with code {rc} before printing its listen line; "
                    f"command {cmd}\nstdout:\n{self.stdout_text()}\nstderr:\n{self.stderr_text()}"
                )
            if time.monotonic() > deadline:
                self.kill9()
                raise ServerError(
                    f"no 'kinesis-emulator listening on ...' line within {timeout}s "
                    f"(is stdout flushed?); command {cmd}\n"
                    f"stdout:\n{self.stdout_text()}\nstderr:\n{self.stderr_text()}"
                )
            time.sleep(0.02)
        return self

    def _first_stdout_line(self):
        try:
            with open(self._stdout_path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return None
        nl = data.find(b"\n")
        if nl < 0:
            return None
        return data[: nl + 1].decode("utf-8", "replace")

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=STOP_TIMEOUT, expect_rc=0):
        """SIGTERM, wait at most `timeout`, and insist on a clean exit code."""
        if self.proc is None:
            return None
        proc = self.proc
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
                self.proc = None
                raise ServerError(
                    f"server did not exit within {timeout}s of SIGTERM; stderr:\n"
                    f"{self.stderr_text()}"
                )
        rc = proc.returncode
        self.proc = None
        if expect_rc is not None and rc != expect_rc:
            raise ServerError(
                f"server exit code {rc} after SIGTERM (expected {expect_rc}); stderr:\n"
                f"{self.stderr_text()}"
            )
        return rc

    def kill9(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        try:
            self.proc.wait(timeout=5)
        finally:
            self.proc = None

    def restart(self, extra_args=None, graceful=True):
        if graceful:
            self.stop()
        else:
            self.kill9()
        return self.start(extra_args)

    def cleanup(self):
        """Kill if still running (no exit-code check) and remove temporary directories."""
        if self.proc is not None:
            try:
                self.kill9()
            except Exception:
                pass
        if self._own_data_dir and self.data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
        if self.log_dir:
            shutil.rmtree(self.log_dir, ignore_errors=True)
            self.log_dir = None
        _live_servers.discard(self)

    # ------------------------------------------------------------------ output
    def _read(self, path, limit=20000):
        if not path:
            return ""
        try:
            with open(path, "rb") as f:
                data = f.read()
        except (FileNotFoundError, TypeError):
            return ""
        text = data.decode("utf-8", "replace")
        return text[-limit:]

    def stdout_text(self):
        return self._read(self._stdout_path)

    def stderr_text(self):
        return self._read(self._stderr_path)

    # ------------------------------------------------------------------ clients
    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def client(self, read_timeout=30, connect_timeout=5):
        return make_client(self.endpoint, read_timeout=read_timeout,
                           connect_timeout=connect_timeout)

    def cli(self, *args, timeout=CLI_TIMEOUT):
        return run_cli(self.endpoint, *args, timeout=timeout)

    def cli_json(self, *args, timeout=CLI_TIMEOUT):
        res = self.cli(*args, timeout=timeout)
        if res.returncode != 0:
            raise AssertionError(
                f"aws kinesis {' '.join(args)} failed rc={res.returncode}\n"
                f"stdout:{res.stdout}\nstderr:{res.stderr}\n"
                f"server stderr:\n{self.stderr_text()[-3000:]}"
            )
        out = res.stdout.strip()
        return json.loads(out) if out else None


def make_client(endpoint, read_timeout=30, connect_timeout=5):
    return boto3.session.Session().client(
        "kinesis",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(
            retries={"total_max_attempts": 1, "mode": "standard"},
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_pool_connections=4,
        ),
    )


# --------------------------------------------------------------------- AWS CLI
_cli_version = None


def cli_version():
    """(major, full string) of the installed `aws` CLI."""
    global _cli_version
    if _cli_version is None:
        res = subprocess.run(
            ["aws", "--version"], capture_output=True, text=True, timeout=CLI_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
        text = (res.stdout + res.stderr).strip()
        m = re.search(r"aws-cli/(\d+)\.", text)
        _cli_version = (int(m.group(1)) if m else 0, text)
    return _cli_version


def cli_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_RETRY_MODE="standard",
        AWS_MAX_ATTEMPTS="1",
        AWS_PAGER="",
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


def run_cli(endpoint, *args, timeout=CLI_TIMEOUT):
    cmd = ["aws", "kinesis", *args, "--endpoint-url", endpoint, "--region", REGION,
           "--output", "json"]
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, env=cli_env(),
        stdin=subprocess.DEVNULL,
    )


# ------------------------------------------------------------------- polling
def wait_status(client, status, name=None, arn=None, timeout=10.0, interval=0.05):
    kwargs = {"StreamARN": arn} if arn else {"StreamName": name}
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            summary = client.describe_stream_summary(**kwargs)["StreamDescriptionSummary"]
            last = summary["StreamStatus"]
            if last == status:
                return summary
        except ClientError as e:
            if error_code(e) != "ResourceNotFoundException":
                raise
            last = "ResourceNotFoundException"
        if time.monotonic() > deadline:
            raise AssertionError(
                f"stream {name or arn} not {status} within {timeout}s (last: {last})"
            )
        time.sleep(interval)


def wait_active(client, name=None, arn=None, timeout=10.0):
    """Poll DescribeStreamSummary every 0.05 s (up to `timeout`) until ACTIVE.

    Returns the StreamDescriptionSummary."""
    return wait_status(client, "ACTIVE", name=name, arn=arn, timeout=timeout)


def wait_gone(client, name, timeout=10.0, interval=0.05):
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = client.describe_stream_summary(StreamName=name)[
                "StreamDescriptionSummary"]["StreamStatus"]
        except ClientError as e:
            if error_code(e) == "ResourceNotFoundException":
                return
            raise
        if time.monotonic() > deadline:
            raise AssertionError(f"stream {name} still present after {timeout}s (status {last})")
        time.sleep(interval)


def create_active_stream(client, name, shards=1, **kwargs):
    if "StreamModeDetails" in kwargs and shards is None:
        client.create_stream(StreamName=name, **kwargs)
    else:
        client.create_stream(StreamName=name, ShardCount=shards, **kwargs)
    return wait_active(client, name)


def list_all_shards(client, name):
    shards = client.list_shards(StreamName=name)["Shards"]
    return shards


def read_shard(client, shard_iterator, limit=None, max_calls=200, stream_arn=None):
    """Follow NextShardIterator until a call returns no records and the reader is caught up.

    Returns (records, last_response). Bounded by max_calls.
    """
    records = []
    it = shard_iterator
    resp = None
    for _ in range(max_calls):
        kwargs = {"ShardIterator": it}
        if limit is not None:
            kwargs["Limit"] = limit
        if stream_arn is not None:
            kwargs["StreamARN"] = stream_arn
        resp = client.get_records(**kwargs)
        records.extend(resp["Records"])
        nxt = resp.get("NextShardIterator")
        if not resp["Records"] and resp.get("MillisBehindLatest", 0) == 0:
            return records, resp
        if nxt is None:
            return records, resp
        it = nxt
    raise AssertionError(f"read_shard did not catch up within {max_calls} GetRecords calls")


def read_stream(client, name, iterator_type="TRIM_HORIZON"):
    """All records of every shard: {shard_id: [records]}."""
    out = {}
    for shard in client.list_shards(StreamName=name)["Shards"]:
        it = client.get_shard_iterator(
            StreamName=name, ShardId=shard["ShardId"], ShardIteratorType=iterator_type
        )["ShardIterator"]
        out[shard["ShardId"]], _ = read_shard(client, it)
    return out


# ------------------------------------------------------------------ raw HTTP
def signed_headers(endpoint, target, body, extra=None, sign=True):
    headers = {
        "Content-Type": JSON_CT,
        "X-Amz-Target": target if "." in target else TARGET_PREFIX + target,
    }
    if extra:
        headers.update(extra)
    if not sign:
        return headers
    req = botocore.awsrequest.AWSRequest(method="POST", url=endpoint + "/", data=body,
                                         headers=headers)
    creds = botocore.credentials.Credentials(ACCESS_KEY, SECRET_KEY)
    botocore.auth.SigV4Auth(creds, "kinesis", REGION).add_auth(req)
    return {k: (v.decode() if isinstance(v, bytes) else v) for k, v in req.headers.items()}


def raw_call(port, target, body, sign=True, extra_headers=None, conn=None, timeout=10):
    """One POST with http.client. body: dict (JSON-encoded) or bytes.

    Returns (status, headers-dict lower-cased, body bytes, parsed JSON or None).
    """
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
    endpoint = f"http://127.0.0.1:{port}"
    headers = signed_headers(endpoint, target, body, extra_headers, sign=sign)
    own = conn is None
    if own:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/", body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        status = resp.status
    finally:
        if own:
            conn.close()
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = None
    return status, hdrs, data, parsed


def raw_request_bytes(port, target, body, sign=True, extra_headers=None):
    """The complete bytes of one HTTP/1.1 request (for raw-socket tests)."""
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
    endpoint = f"http://127.0.0.1:{port}"
    headers = signed_headers(endpoint, target, body, extra_headers, sign=sign)
    headers.setdefault("Host", f"127.0.0.1:{port}")
    headers["Content-Length"] = str(len(body))
    head = "POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode() + body


class RawResponseReader:
    """Reads consecutive HTTP/1.1 responses off one socket (Content-Length or chunked)."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed by server")
        self.buf += chunk

    def _read_until(self, marker):
        while marker not in self.buf:
            self._fill()
        i = self.buf.index(marker)
        out, self.buf = self.buf[:i], self.buf[i + len(marker):]
        return out

    def _read_exact(self, n):
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_response(self):
        head = self._read_until(b"\r\n\r\n").decode("iso-8859-1")
        lines = head.split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self._read_until(b"\r\n").split(b";")[0], 16)
                if size == 0:
                    self._read_until(b"\r\n")
                    break
                body += self._read_exact(size)
                self._read_exact(2)
        else:
            body = self._read_exact(int(headers.get("content-length", "0")))
        return status, headers, body


def error_type(parsed):
    """`__type` without any namespace prefix (botocore strips up to '#')."""
    if not isinstance(parsed, dict):
        return None
    t = parsed.get("__type")
    return t.rsplit("#", 1)[-1] if isinstance(t, str) else None


def error_message(parsed):
    if not isinstance(parsed, dict):
        return None
    return parsed.get("message", parsed.get("Message"))


# ------------------------------------------------------------------ test bases
class ServerTestCase(unittest.TestCase):
    """Starts one server for the class (setUpClass) and stops it cleanly (tearDownClass)."""

    server_args = []
    in_memory = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = Server(extra_args=cls.server_args, in_memory=cls.in_memory)
        try:
            cls.server.start()
        except BaseException:
            cls.server.cleanup()
            raise
        cls.kin = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.stop()
        finally:
            cls.server.cleanup()
            super().tearDownClass()

    # helpers
    def assertClientError(self, codes, fn, *args, **kwargs):
        """Call fn; it must raise ClientError with a code in `codes` (str or tuple). Returns it."""
        if isinstance(codes, str):
            codes = (codes,)
        try:
            fn(*args, **kwargs)
        except ClientError as e:
            self.assertIn(error_code(e), codes, f"unexpected error: {e.response.get('Error')}")
            return e
        self.fail(f"{getattr(fn, '__name__', fn)} did not raise ClientError {codes}")

    def new_stream(self, shards=1, prefix="s", **kwargs):
        name = unique_name(prefix)
        create_active_stream(self.kin, name, shards, **kwargs)
        return name
