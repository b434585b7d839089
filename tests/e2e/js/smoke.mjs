// Smoke test: the AWS SDK for JavaScript v3 (@aws-sdk/client-kinesis), unchanged, against a
// running kinesis-emulator.
//
//   node smoke.mjs [--sdk-default-handler] [ENDPOINT]
//                                    (ENDPOINT else env KINESIS_ENDPOINT, else http://127.0.0.1:4567)
//
// HTTP/1.1 on purpose: @aws-sdk/client-kinesis defaults to NodeHttp2Handler (HTTP/2; over
// http:// that is h2c with prior knowledge, "PRI * HTTP/2.0"), which the emulator does not speak,
// so the client is given @smithy/node-http-handler's NodeHttpHandler (HTTP/1.1).
// --sdk-default-handler keeps the SDK's own default handler instead, to check that case by hand.
//
// Creates a 2-shard stream, waits for ACTIVE, lists streams and shards, writes 1 + 50 records
// (binary data), reads all of them back with TRIM_HORIZON iterators, checks an error case and
// deletes the stream. Every wait and loop is bounded. On success prints ONE JSON line with
// "ok": true and exits 0; on any failure prints ONE JSON line with "ok": false and exits 1.
// A small middleware records the Content-Type of every request and response, so the summary
// shows which wire protocol the SDK spoke.

import { readFileSync } from "node:fs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-kinesis";

const REGION = "us-east-1";
const ACCOUNT = "000000000000";
const MAX_HASH = (1n << 128n) - 1n;
const OVERALL_TIMEOUT_MS = 90_000;
const BATCH = 50;

const cliArgs = process.argv.slice(2);
const sdkDefaultHandler = cliArgs.includes("--sdk-default-handler");
const positional = cliArgs.filter((a) => !a.startsWith("--"));
const endpoint = positional[0] || process.env.KINESIS_ENDPOINT || "http://127.0.0.1:4567";
const started = Date.now();
let step = "setup";

function fail(message, extra = {}) {
  const err = new Error(message);
  err.details = extra;
  throw err;
}

function check(cond, message, extra) {
  if (!cond) fail(message, extra);
}

function sdkVersion() {
  try {
    const url = new URL("./node_modules/@aws-sdk/client-kinesis/package.json", import.meta.url);
    return JSON.parse(readFileSync(url, "utf8")).version;
  } catch {
    return "unknown";
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function bytesEqual(a, b) {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function hex(bytes, max = 16) {
  if (!(bytes instanceof Uint8Array)) return String(bytes);
  const head = Buffer.from(bytes.subarray(0, max)).toString("hex");
  return bytes.length > max ? `${head}... (${bytes.length} bytes)` : head;
}

// Whole-run watchdog: a hung request or loop still ends the process with a failure line.
const watchdog = setTimeout(() => {
  console.log(JSON.stringify({ ok: false, step, error: `timed out after ${OVERALL_TIMEOUT_MS} ms`,
                               endpoint }));
  process.exit(1);
}, OVERALL_TIMEOUT_MS);
watchdog.unref();

// --------------------------------------------------------------------------- client
const client = new KinesisClient({
  endpoint,
  region: REGION,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  maxAttempts: 1,
  ...(sdkDefaultHandler ? {} : {
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 15_000 }),
  }),
});

// What went over the wire: request/response Content-Type and X-Amz-Target per operation.
const wire = { requestContentTypes: new Set(), responseContentTypes: new Set(), targets: new Set() };
client.middlewareStack.add(
  (next, context) => async (args) => {
    const h = args.request?.headers ?? {};
    const get = (hs, name) => {
      for (const [k, v] of Object.entries(hs ?? {})) if (k.toLowerCase() === name) return v;
      return undefined;
    };
    wire.requestContentTypes.add(get(h, "content-type") ?? "(none)");
    wire.targets.add(get(h, "x-amz-target") ?? `(none: ${context.commandName})`);
    try {
      const out = await next(args);
      wire.responseContentTypes.add(get(out.response?.headers, "content-type") ?? "(none)");
      return out;
    } catch (e) {
      const rh = e?.$response?.headers;
      if (rh) wire.responseContentTypes.add(get(rh, "content-type") ?? "(none)");
      throw e;
    }
  },
  { step: "finalizeRequest", priority: "low", name: "smokeWireSniffer" },
);

async function main() {
  const name = `js-smoke-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const arn = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;

  // CreateStream + wait ACTIVE (DescribeStreamSummary, bounded).
  step = "CreateStream";
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));

  step = "wait ACTIVE";
  let summary;
  let lastStatus;
  for (let i = 0; ; i++) {
    summary = (await client.send(new DescribeStreamSummaryCommand({ StreamName: name })))
      .StreamDescriptionSummary;
    lastStatus = summary.StreamStatus;
    if (lastStatus === "ACTIVE") break;
    check(i < 200, `stream not ACTIVE after ${i} polls (last status ${lastStatus})`);
    await sleep(50);
  }
  check(summary.StreamName === name, "summary StreamName", { got: summary.StreamName });
  check(summary.StreamARN === arn, "summary StreamARN", { got: summary.StreamARN, want: arn });
  check(summary.OpenShardCount === 2, "summary OpenShardCount", { got: summary.OpenShardCount });
  check(summary.StreamCreationTimestamp instanceof Date,
        "StreamCreationTimestamp is not a Date");

  // ListStreams (small page loop, bounded).
  step = "ListStreams";
  let found = false;
  let names = 0;
  let token;
  for (let page = 0; page < 50 && !found; page++) {
    const out = await client.send(new ListStreamsCommand(token ? { NextToken: token } : {}));
    names += out.StreamNames.length;
    found = out.StreamNames.includes(name);
    if (!out.HasMoreStreams || !out.NextToken) break;
    token = out.NextToken;
  }
  check(found, "ListStreams does not include the new stream", { seen: names });

  // ListShards: two shards covering the whole 128-bit hash space, contiguous.
  step = "ListShards";
  const shards = (await client.send(new ListShardsCommand({ StreamName: name }))).Shards;
  check(shards.length === 2, "ListShards count", { got: shards.length });
  const ranges = shards
    .map((s) => [BigInt(s.HashKeyRange.StartingHashKey), BigInt(s.HashKeyRange.EndingHashKey)])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  check(ranges[0][0] === 0n && ranges[1][1] === MAX_HASH && ranges[0][1] + 1n === ranges[1][0],
        "shard hash ranges do not tile [0, 2^128-1]", { ranges: ranges.map(String) });
  const shardIds = new Set(shards.map((s) => s.ShardId));

  // PutRecord: every byte value 0..255.
  step = "PutRecord";
  const expected = new Map(); // SequenceNumber -> { pk, data, shardId }
  const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  const one = await client.send(new PutRecordCommand({
    StreamName: name, PartitionKey: "pk-binary", Data: allBytes,
  }));
  check(shardIds.has(one.ShardId), "PutRecord ShardId unknown", { got: one.ShardId });
  check(/^\d+$/.test(one.SequenceNumber), "PutRecord SequenceNumber", { got: one.SequenceNumber });
  expected.set(one.SequenceNumber, { pk: "pk-binary", data: allBytes, shardId: one.ShardId });

  // PutRecords: 50 records, distinct partition keys and binary payloads.
  step = "PutRecords";
  const entries = Array.from({ length: BATCH }, (_, i) => ({
    PartitionKey: `pk-${i}`,
    Data: Uint8Array.from({ length: i + 1 }, (_, j) => (i * 7 + j * 13 + 255) & 0xff),
  }));
  const batch = await client.send(new PutRecordsCommand({ StreamName: name, Records: entries }));
  check(batch.FailedRecordCount === 0, "PutRecords FailedRecordCount",
        { got: batch.FailedRecordCount });
  check(batch.Records.length === BATCH, "PutRecords result length", { got: batch.Records.length });
  batch.Records.forEach((r, i) => {
    check(!r.ErrorCode && shardIds.has(r.ShardId) && /^\d+$/.test(r.SequenceNumber),
          `PutRecords entry ${i}`, { got: r });
    check(!expected.has(r.SequenceNumber), `duplicate SequenceNumber ${r.SequenceNumber}`);
    expected.set(r.SequenceNumber, { pk: entries[i].PartitionKey, data: entries[i].Data,
                                     shardId: r.ShardId });
  });
  const total = expected.size; // 51

  // GetShardIterator TRIM_HORIZON per shard, then GetRecords until all records are back.
  step = "GetShardIterator";
  const iterators = new Map();
  for (const id of shardIds) {
    const out = await client.send(new GetShardIteratorCommand({
      StreamName: name, ShardId: id, ShardIteratorType: "TRIM_HORIZON",
    }));
    check(typeof out.ShardIterator === "string" && out.ShardIterator.length > 0,
          "ShardIterator", { shard: id });
    iterators.set(id, out.ShardIterator);
  }

  step = "GetRecords";
  const seen = new Map(); // SequenceNumber -> shardId
  const lastSeq = new Map(); // shardId -> BigInt, per-shard ordering
  const perShard = {};
  let calls = 0;
  const earliest = started - 5_000;
  while (seen.size < total) {
    check(calls < 200, `only ${seen.size}/${total} records after ${calls} GetRecords calls`);
    for (const [id, it] of iterators) {
      if (!it) continue;
      calls++;
      const out = await client.send(new GetRecordsCommand({ ShardIterator: it, Limit: 20 }));
      iterators.set(id, out.NextShardIterator);
      for (const r of out.Records) {
        const want = expected.get(r.SequenceNumber);
        check(want, "unexpected record", { shard: id, seq: r.SequenceNumber });
        check(!seen.has(r.SequenceNumber), "record read twice", { seq: r.SequenceNumber });
        check(want.shardId === id, "record on the wrong shard",
              { seq: r.SequenceNumber, got: id, want: want.shardId });
        check(r.PartitionKey === want.pk, "PartitionKey mismatch",
              { seq: r.SequenceNumber, got: r.PartitionKey, want: want.pk });
        check(bytesEqual(r.Data, want.data), "Data mismatch",
              { seq: r.SequenceNumber, got: hex(r.Data), want: hex(want.data) });
        const ts = r.ApproximateArrivalTimestamp;
        check(ts instanceof Date && !Number.isNaN(ts.getTime()),
              "ApproximateArrivalTimestamp is not a Date", { got: String(ts) });
        check(ts.getTime() >= earliest && ts.getTime() <= Date.now() + 5_000,
              "ApproximateArrivalTimestamp not near now", { got: ts.toISOString() });
        const seq = BigInt(r.SequenceNumber);
        check(!lastSeq.has(id) || lastSeq.get(id) < seq, "sequence numbers not increasing",
              { shard: id });
        lastSeq.set(id, seq);
        seen.set(r.SequenceNumber, id);
        perShard[id] = (perShard[id] ?? 0) + 1;
      }
    }
  }
  // Caught up: one more read per shard returns nothing.
  for (const [id, it] of iterators) {
    if (!it) continue;
    const out = await client.send(new GetRecordsCommand({ ShardIterator: it }));
    check(out.Records.length === 0, "extra records after all were read",
          { shard: id, extra: out.Records.length });
    check(out.MillisBehindLatest === 0, "MillisBehindLatest after catching up",
          { shard: id, got: out.MillisBehindLatest });
  }

  // Error case: the SDK's typed exception, HTTP 400.
  step = "DescribeStream (missing)";
  let errInfo;
  try {
    await client.send(new DescribeStreamCommand({ StreamName: `${name}-missing` }));
  } catch (e) {
    errInfo = { name: e?.name, status: e?.$metadata?.httpStatusCode, fault: e?.$fault,
                typed: e instanceof ResourceNotFoundException, message: e?.message };
  }
  check(errInfo, "DescribeStream on a missing stream did not throw");
  check(errInfo.name === "ResourceNotFoundException" && errInfo.typed,
        "wrong exception for a missing stream", errInfo);
  check(errInfo.status === 400, "missing stream HTTP status", errInfo);
  check(errInfo.fault === "client", "missing stream $fault", errInfo);

  // DeleteStream, then wait until it is gone (bounded).
  step = "DeleteStream";
  await client.send(new DeleteStreamCommand({ StreamName: name }));
  step = "wait deleted";
  let gone = false;
  for (let i = 0; i < 200 && !gone; i++) {
    try {
      await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      await sleep(50);
    } catch (e) {
      check(e instanceof ResourceNotFoundException, "unexpected error while deleting",
            { name: e?.name, message: e?.message });
      gone = true;
    }
  }
  check(gone, "stream still present after DeleteStream");

  return {
    ok: true,
    sdk: `@aws-sdk/client-kinesis@${sdkVersion()}`,
    node: process.version,
    handler: sdkDefaultHandler ? "sdk-default (NodeHttp2Handler)" : "NodeHttpHandler (HTTP/1.1)",
    endpoint,
    stream: name,
    shards: shardIds.size,
    put: total,
    read: seen.size,
    perShard,
    getRecordsCalls: calls,
    error: { name: errInfo.name, httpStatusCode: errInfo.status },
    requestContentTypes: [...wire.requestContentTypes],
    responseContentTypes: [...wire.responseContentTypes],
    operations: [...wire.targets].sort(),
    elapsedMs: Date.now() - started,
  };
}

try {
  const summary = await main();
  console.log(JSON.stringify(summary));
  client.destroy();
  process.exit(0);
} catch (e) {
  console.log(JSON.stringify({
    ok: false,
    step,
    endpoint,
    error: `${e?.name ?? "Error"}: ${e?.message ?? e}`,
    details: e?.details,
    httpStatusCode: e?.$metadata?.httpStatusCode,
    requestContentTypes: [...wire.requestContentTypes],
    responseContentTypes: [...wire.responseContentTypes],
    elapsedMs: Date.now() - started,
  }));
  client.destroy();
  process.exit(1);
}
