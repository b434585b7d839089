"""Crash safety: kill -9 the server at random moments under sustained PutRecords load.

Several writer threads drive PutRecords over raw HTTP into a 4-shard stream kept on an on-disk
data dir. The server is killed with SIGKILL a few times (seeded random moments) and restarted
on the same data dir (a new port each time); the writers follow it. At the end every shard is
read back from TRIM_HORIZON and checked against what the writers were told:

* every acknowledged record (HTTP 200 and no ErrorCode for that entry) is stored exactly once,
  in the shard and under the sequence number of its acknowledgement;
* a record refused by a live server (an error answer, or an entry with an ErrorCode) is absent;
* a record whose request was in flight at a kill is present at most once;
* within a shard sequence numbers strictly increase in read order, the server incarnation that
  wrote a record never decreases in read order (so records written after a restart sort after
  everything before it), and the acknowledged records of one writer and partition key appear
  in the order they were acknowledged;
* no sequence number appears twice anywhere; nothing is stored that no writer sent.

Payloads encode (writer, counter): b"w<writer>c<counter>|" plus random padding.
KE_CRASH_SEED=<int> reproduces a run (the seed is printed in every failure message).
"""

import base64
import http.client
import json
import os
import random
import re
import threading
import time
import unittest

import support
from support import Server, unique_name

SHARDS = 4
WRITERS = 4
ROUNDS = 5                    # kill -9 + restart cycles
KEYS_PER_WRITER = 6           # partition keys per writer: ordering is checked per (writer, key)
BATCH_MIN, BATCH_MAX = 50, 500
MAX_BATCHES_PER_WRITER = 3000  # count cap on the load, whatever the timing
LOAD_DEADLINE = 60.0           # time cap on the whole load phase (seconds)
REQUEST_TIMEOUT = 15.0
PAYLOAD_RE = re.compile(rb"^w(\d+)c(\d+)\|")


def tag(payload):
    """The readable (writer, counter) part of a payload, for messages."""
    m = PAYLOAD_RE.match(payload)
    return m.group(0)[:-1].decode() if m else repr(payload[:24])


class _Writer:
    """One client thread's bookkeeping."""

    def __init__(self, index):
        self.index = index
        self.counter = 0
        self.acked = {}        # payload -> (shard_id, seq, incarnation, ack order)
        self.refused = set()   # payloads a live server refused: must be absent
        self.in_doubt = {}     # payload -> incarnation of the attempt (request in flight at a kill)
        self.batches = 0
        self.unexpected = []   # descriptions of answers that should never happen here


class CrashTest(unittest.TestCase):

    def setUp(self):
        self.seed = int(os.environ.get("KE_CRASH_SEED", "20240607"))
        self.rng = random.Random(self.seed)
        self.server = Server()
        self.addCleanup(self.server.cleanup)
        self.server.start()
        self.name = unique_name("crash")
        kin = self.server.client()
        try:
            support.create_active_stream(kin, self.name, SHARDS)
        finally:
            kin.close()
        # Which server incarnation is up and on which port; None while it is down.
        self.cv = threading.Condition()
        self.incarnation = 0
        self.port = self.server.port
        self.stop = threading.Event()
        self.ack_seq = 0
        self.ack_lock = threading.Lock()

    # ----------------------------------------------------------------- the load
    def _wait_port(self, after_incarnation):
        """Block until a server incarnation newer than `after_incarnation` is up (bounded)."""
        deadline = time.monotonic() + 30
        with self.cv:
            while not self.stop.is_set():
                if self.port is not None and self.incarnation > after_incarnation:
                    return self.incarnation, self.port
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cv.wait(min(left, 0.2))
        return None

    def _writer(self, w):
        rng = random.Random(self.seed * 1000 + w.index)
        conn = None
        incarnation, port = self._wait_port(-1) or (None, None)
        load_deadline = time.monotonic() + LOAD_DEADLINE
        while (port is not None and not self.stop.is_set() and w.batches < MAX_BATCHES_PER_WRITER
               and time.monotonic() < load_deadline):
            n = rng.randint(BATCH_MIN, BATCH_MAX)
            entries = []
            for _ in range(n):
                payload = b"w%dc%d|" % (w.index, w.counter) + rng.randbytes(rng.randint(0, 64))
                w.counter += 1
                entries.append((payload, f"w{w.index}-k{rng.randrange(KEYS_PER_WRITER)}"))
            body = json.dumps({
                "StreamName": self.name,
                "Records": [{"Data": base64.b64encode(p).decode(), "PartitionKey": k}
                            for p, k in entries],
            }).encode()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
                headers = support.signed_headers(f"http://127.0.0.1:{port}", "PutRecords", body)
                conn.request("POST", "/", body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException):
                # Connection refused/reset/closed: the server was killed (or is restarting).
                # The request may or may not have been stored.
                for p, _ in entries:
                    w.in_doubt[p] = incarnation
                if conn is not None:
                    conn.close()
                    conn = None
                got = self._wait_port(incarnation)
                if got is None:
                    break
                incarnation, port = got
                continue
            w.batches += 1
            if status != 200:
                w.unexpected.append(f"HTTP {status} from a live server: {data[:300]!r}")
                w.refused.update(p for p, _ in entries)
                continue
            result = json.loads(data)["Records"]
            if len(result) != len(entries):
                w.unexpected.append(f"{len(result)} results for {len(entries)} entries")
                w.in_doubt.update((p, incarnation) for p, _ in entries)
                continue
            with self.ack_lock:
                order = self.ack_seq
                self.ack_seq += 1
            for (p, _), r in zip(entries, result):
                if "ErrorCode" in r:
                    w.refused.add(p)
                    w.unexpected.append(f"entry refused: {r['ErrorCode']}: {r.get('ErrorMessage')}")
                else:
                    w.acked[p] = (r["ShardId"], r["SequenceNumber"], incarnation, order)
        if conn is not None:
            conn.close()

    # --------------------------------------------------------------- reading back
    def _call(self, target, body):
        status, _, raw, parsed = support.raw_call(self.server.port, target, body, timeout=60)
        self.assertEqual(status, 200, f"{target} failed: {raw[:500]!r} (seed {self.seed})")
        return parsed

    def _read_everything(self):
        """{shard_id: [(seq str, payload bytes, partition key)]} from TRIM_HORIZON, bounded."""
        out = {}
        shards = self._call("ListShards", {"StreamName": self.name})["Shards"]
        for shard in shards:
            sid = shard["ShardId"]
            it = self._call("GetShardIterator", {"StreamName": self.name, "ShardId": sid,
                                                 "ShardIteratorType": "TRIM_HORIZON"})[
                "ShardIterator"]
            recs = []
            for _ in range(2000):
                resp = self._call("GetRecords", {"ShardIterator": it, "Limit": 10000})
                recs.extend((r["SequenceNumber"], base64.b64decode(r["Data"]), r["PartitionKey"])
                            for r in resp["Records"])
                it = resp.get("NextShardIterator")
                if it is None or (not resp["Records"] and resp.get("MillisBehindLatest", 0) == 0):
                    break
            else:
                self.fail(f"{sid}: GetRecords did not reach the end within 2000 calls")
            out[sid] = recs
        return out

    # ------------------------------------------------------------------ the test
    def test_kill9_rounds_under_putrecords_load(self):
        started = time.monotonic()
        writers = [_Writer(i) for i in range(WRITERS)]
        threads = [threading.Thread(target=self._writer, args=(w,), daemon=True) for w in writers]
        for t in threads:
            t.start()
        kills = []
        try:
            for rnd in range(ROUNDS):
                # Let the load run for a random while (at least a few batches acknowledged).
                before = sum(w.batches for w in writers)
                wait_until = time.monotonic() + 10
                while (sum(w.batches for w in writers) < before + WRITERS
                       and time.monotonic() < wait_until):
                    time.sleep(0.01)
                self.assertGreaterEqual(
                    sum(w.batches for w in writers), before + WRITERS,
                    f"round {rnd}: writers made no progress in 10 s (seed {self.seed}); "
                    f"server stderr:\n{self.server.stderr_text()[-3000:]}")
                time.sleep(self.rng.uniform(0.05, 1.5))
                with self.cv:
                    self.port = None
                kills.append(sum(len(w.acked) for w in writers))
                self.server.kill9()
                time.sleep(self.rng.uniform(0.0, 0.2))
                self.server.start()  # same data dir, new port
                with self.cv:
                    self.incarnation += 1
                    self.port = self.server.port
                    self.cv.notify_all()
            # A last stretch of load after the final restart.
            time.sleep(self.rng.uniform(0.2, 0.8))
        finally:
            self.stop.set()
            with self.cv:
                self.cv.notify_all()
            for t in threads:
                t.join(timeout=REQUEST_TIMEOUT + 10)
        self.assertFalse(any(t.is_alive() for t in threads), "a writer thread did not finish")
        load_s = time.monotonic() - started

        ctx = f"(seed {self.seed}, {ROUNDS} kills)"
        unexpected = [f"writer {w.index}: {u}" for w in writers for u in w.unexpected]
        self.assertEqual(unexpected[:10], [], f"{len(unexpected)} unexpected answers {ctx}")
        for w in writers:
            self.assertGreater(len(w.acked), 0, f"writer {w.index} never got an ack {ctx}")
            self.assertGreater(len(w.in_doubt), 0,
                               f"writer {w.index} was never interrupted by a kill {ctx}")

        stored = self._read_everything()
        read_s = time.monotonic() - started - load_s
        self._verify(writers, stored, ctx)
        # Reported in the -v output of the suite.
        total = sum(len(v) for v in stored.values())
        print(f"\n  crash test: {total} records stored, "
              f"{sum(len(w.acked) for w in writers)} acknowledged, "
              f"{sum(len(w.in_doubt) for w in writers)} in doubt at kills; acked before each "
              f"kill {kills}; load {load_s:.1f}s, read {read_s:.1f}s {ctx}", end=" ")

    def _verify(self, writers, stored, ctx):
        acked, in_doubt, refused = {}, {}, set()
        for w in writers:
            acked.update(w.acked)
            in_doubt.update(w.in_doubt)
            refused |= w.refused
        seen = {}             # payload -> [(shard, seq, index in shard)]
        seq_owner = {}        # seq -> (shard, payload)
        problems = []

        def problem(msg):
            if len(problems) < 20:
                problems.append(msg)

        for sid, recs in stored.items():
            prev_seq = None
            prev_inc = -1
            prev_inc_seq = None
            last_ack_order = {}  # (writer, partition key) -> (ack order, counter, seq)
            for i, (seq, payload, pk) in enumerate(recs):
                m = PAYLOAD_RE.match(payload)
                if not m:
                    problem(f"{sid}[{i}] seq {seq}: payload {payload[:40]!r} was never sent")
                    continue
                writer, counter = int(m.group(1)), int(m.group(2))
                if not pk.startswith(f"w{writer}-k"):
                    problem(f"{sid}[{i}] seq {seq}: partition key {pk!r} does not belong to "
                            f"writer {writer}")
                if prev_seq is not None and int(seq) <= int(prev_seq):
                    problem(f"{sid}[{i}]: sequence number {seq} does not increase over the "
                            f"previous record's {prev_seq}")
                prev_seq = seq
                if seq in seq_owner:
                    other_sid, other_payload = seq_owner[seq]
                    problem(f"sequence number {seq} appears twice: {other_sid} "
                            f"({tag(other_payload)}) and {sid}[{i}] ({tag(payload)})")
                seq_owner[seq] = (sid, payload)
                seen.setdefault(payload, []).append((sid, seq, i))
                if payload in acked:
                    inc = acked[payload][2]
                elif payload in in_doubt:
                    inc = in_doubt[payload]
                else:
                    inc = None
                if inc is not None:
                    if inc < prev_inc:
                        problem(f"{sid}[{i}] seq {seq} (w{writer} c{counter}) was written by "
                                f"server incarnation {inc} but sorts after seq {prev_inc_seq} "
                                f"of incarnation {prev_inc}: numbers after a restart must be "
                                "greater than everything before it in the shard")
                    if inc > prev_inc:
                        prev_inc, prev_inc_seq = inc, seq
                if payload in acked:
                    order = acked[payload][3]
                    key = (writer, pk)
                    if key in last_ack_order and last_ack_order[key][0] > order:
                        o, c, s = last_ack_order[key]
                        problem(f"{sid}[{i}]: w{writer} key {pk} c{counter} (ack #{order}, seq "
                                f"{seq}) appears after c{c} (ack #{o}, seq {s}), which was "
                                "acknowledged later")
                    last_ack_order[key] = (order, counter, seq)

        for payload, places in seen.items():
            if len(places) > 1:
                problem(f"{tag(payload)} stored {len(places)} times (shard, seq, index): {places}")
        lost = [p for p in acked if p not in seen]
        if lost:
            examples = ", ".join(f"{tag(p)} (ack {acked[p][0]} seq {acked[p][1]} incarnation "
                                 f"{acked[p][2]})" for p in sorted(lost)[:5])
            problem(f"{len(lost)} of {len(acked)} acknowledged records are missing, e.g. "
                    f"{examples}")
        moved = [(p, acked[p][:2], seen[p][0][:2]) for p in acked
                 if p in seen and seen[p][0][:2] != acked[p][:2]]
        for p, ack, got in moved[:5]:
            problem(f"{tag(p)} acknowledged as {ack[0]} seq {ack[1]} but stored as {got[0]} "
                    f"seq {got[1]}")
        if len(moved) > 5:
            problem(f"... {len(moved)} acknowledged records stored elsewhere in all")
        resurrected = [p for p in refused if p in seen]
        if resurrected:
            problem(f"{len(resurrected)} records refused by a live server are stored, e.g. "
                    f"{tag(resurrected[0])} at {seen[resurrected[0]][0][:2]}")
        if problems:
            self.fail(f"crash consistency violated {ctx}:\n  " + "\n  ".join(problems))


if __name__ == "__main__":
    unittest.main()
