// Smoke test: the AWS SDK for JavaScript v3 (@aws-sdk/client-kinesis), unchanged, against a
// running kinesis-emulator.
//
//   node smoke.mjs [--handler=sdk-default|h1] [--groups=G,G,...] [ENDPOINT]
//       ENDPOINT: else env KINESIS_ENDPOINT, else http://127.0.0.1:4567
//       groups:   streams, records, resharding, tags, consumers, distribution (default: all)
//
// --handler=sdk-default (the default) leaves the client exactly as users build it:
// @aws-sdk/client-kinesis then uses NodeHttp2Handler, which speaks HTTP/2 with prior knowledge
// (h2c) on http:// and HTTP/2 over TLS (ALPN h2) on https://. For https://, point
// NODE_EXTRA_CA_CERTS at the emulator's certificate. --handler=h1 gives the client
// @smithy/node-http-handler's NodeHttpHandler (HTTP/1.1) instead.
//
// Each group makes its own stream, checks what AWS would answer, and deletes it. Every wait and
// loop is bounded. On success prints ONE JSON line with "ok": true and exits 0; on any failure
// prints ONE JSON line with "ok": false and exits 1. A small middleware records the Content-Type
// and X-Amz-Target of every request, so the summary shows what went over the wire.

import { readFileSync } from "node:fs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DeleteStreamCommand,
  DeregisterStreamConsumerCommand,
  DescribeStreamCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  ListStreamConsumersCommand,
  ListStreamsCommand,
  ListTagsForResourceCommand,
  ListTagsForStreamCommand,
  MergeShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  RemoveTagsFromStreamCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  SplitShardCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateShardCountCommand,
  UpdateStreamRecordDistributionStrategyCommand,
  InvalidArgumentException,
} from "@aws-sdk/client-kinesis";

const REGION = "us-east-1";
const ACCOUNT = "000000000000";
const MAX_HASH = (1n << 128n) - 1n;
const OVERALL_TIMEOUT_MS = 90_000;
const BATCH = 50;
const ALL_GROUPS = ["streams", "records", "resharding", "tags", "consumers", "distribution"];

const cliArgs = process.argv.slice(2);
const option = (name, fallback) => {
  const hit = cliArgs.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
};
const handlerChoice = option("handler", "sdk-default");
const groups = option("groups", ALL_GROUPS.join(",")).split(",").filter(Boolean);
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
if (!["sdk-default", "h1"].includes(handlerChoice)) {
  console.log(JSON.stringify({ ok: false, step, error: `unknown --handler=${handlerChoice}` }));
  process.exit(2);
}
const client = new KinesisClient({
  endpoint,
  region: REGION,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  maxAttempts: 1,
  ...(handlerChoice === "h1" ? {
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 15_000 }),
  } : {}),
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

// --------------------------------------------------------------------------- helpers
function uniqueName(group) {
  return `js-${group}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function streamArn(name) {
  return `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;
}

async function waitActive(name) {
  for (let i = 0; ; i++) {
    const summary = (await client.send(new DescribeStreamSummaryCommand({ StreamName: name })))
      .StreamDescriptionSummary;
    if (summary.StreamStatus === "ACTIVE") return summary;
    check(i < 200, `stream not ACTIVE after ${i} polls (last status ${summary.StreamStatus})`);
    await sleep(50);
  }
}

async function createActiveStream(name, shards) {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  return waitActive(name);
}

async function deleteAndWaitGone(name) {
  await client.send(new DeleteStreamCommand({ StreamName: name }));
  for (let i = 0; i < 200; i++) {
    try {
      await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      await sleep(50);
    } catch (e) {
      check(e instanceof ResourceNotFoundException, "unexpected error while deleting",
            { name: e?.name, message: e?.message });
      return;
    }
  }
  fail("stream still present after DeleteStream", { name });
}

async function listAllShards(name) {
  const shards = [];
  let token;
  for (let page = 0; page < 20; page++) {
    const out = await client.send(new ListShardsCommand(token ? { NextToken: token }
                                                              : { StreamName: name }));
    shards.push(...out.Shards);
    if (!out.NextToken) return shards;
    token = out.NextToken;
  }
  fail("ListShards did not end within 20 pages", { name });
}

const isOpen = (shard) => shard.SequenceNumberRange.EndingSequenceNumber === undefined;

// Open shards tile the hash space [0, 2^128-1] with no gap and no overlap.
function checkTiling(open, what) {
  const ranges = open
    .map((s) => [BigInt(s.HashKeyRange.StartingHashKey), BigInt(s.HashKeyRange.EndingHashKey)])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  let next = 0n;
  for (const [lo, hi] of ranges) {
    check(lo === next, `${what}: open shards do not tile the hash space`,
          { ranges: ranges.map(String) });
    next = hi + 1n;
  }
  check(next === MAX_HASH + 1n, `${what}: open shards stop short of 2^128-1`,
        { ranges: ranges.map(String) });
}

async function expectError(what, type, promise) {
  try {
    await promise;
  } catch (e) {
    const info = { name: e?.name, status: e?.$metadata?.httpStatusCode, fault: e?.$fault,
                   message: e?.message };
    check(e instanceof type, `${what}: wrong exception`, info);
    check(info.status === 400 && info.fault === "client", `${what}: status or fault`, info);
    return { name: info.name, httpStatusCode: info.status };
  }
  fail(`${what}: did not throw`);
}

// --------------------------------------------------------------------------- groups
// CreateStream, wait ACTIVE, ListStreams, ListShards, DescribeStream, a typed error, DeleteStream.
async function streamsGroup() {
  const name = uniqueName("streams");
  step = "streams: CreateStream";
  const summary = await createActiveStream(name, 2);
  check(summary.StreamName === name, "summary StreamName", { got: summary.StreamName });
  check(summary.StreamARN === streamArn(name), "summary StreamARN", { got: summary.StreamARN });
  check(summary.OpenShardCount === 2, "summary OpenShardCount", { got: summary.OpenShardCount });
  check(summary.StreamCreationTimestamp instanceof Date,
        "StreamCreationTimestamp is not a Date");

  step = "streams: ListStreams";
  let found = false;
  let token;
  for (let page = 0; page < 50 && !found; page++) {
    const out = await client.send(new ListStreamsCommand(token ? { NextToken: token } : {}));
    found = out.StreamNames.includes(name);
    if (!out.HasMoreStreams || !out.NextToken) break;
    token = out.NextToken;
  }
  check(found, "ListStreams does not include the new stream");

  step = "streams: ListShards";
  const shards = await listAllShards(name);
  check(shards.length === 2, "ListShards count", { got: shards.length });
  checkTiling(shards, "new stream");

  step = "streams: DescribeStream";
  const described = (await client.send(new DescribeStreamCommand({ StreamName: name })))
    .StreamDescription;
  check(described.StreamStatus === "ACTIVE" && described.Shards.length === 2 &&
        described.HasMoreShards === false, "DescribeStream", { got: described.StreamStatus });

  step = "streams: DescribeStream (missing)";
  const error = await expectError("missing stream", ResourceNotFoundException,
    client.send(new DescribeStreamCommand({ StreamName: `${name}-missing` })));

  step = "streams: DeleteStream";
  await deleteAndWaitGone(name);
  return { shards: shards.length, error };
}

// PutRecord (bytes 0..255), PutRecords (50), then every record back through GetRecords.
async function recordsGroup() {
  const name = uniqueName("records");
  step = "records: CreateStream";
  await createActiveStream(name, 2);
  const shardIds = new Set((await listAllShards(name)).map((s) => s.ShardId));

  // PutRecord: every byte value 0..255.
  step = "records: PutRecord";
  const expected = new Map(); // SequenceNumber -> { pk, data, shardId }
  const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  const one = await client.send(new PutRecordCommand({
    StreamName: name, PartitionKey: "pk-binary", Data: allBytes,
  }));
  check(shardIds.has(one.ShardId), "PutRecord ShardId unknown", { got: one.ShardId });
  check(/^\d+$/.test(one.SequenceNumber), "PutRecord SequenceNumber", { got: one.SequenceNumber });
  expected.set(one.SequenceNumber, { pk: "pk-binary", data: allBytes, shardId: one.ShardId });

  // PutRecords: 50 records, distinct partition keys and binary payloads.
  step = "records: PutRecords";
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
  step = "records: GetShardIterator";
  const iterators = new Map();
  for (const id of shardIds) {
    const out = await client.send(new GetShardIteratorCommand({
      StreamName: name, ShardId: id, ShardIteratorType: "TRIM_HORIZON",
    }));
    check(typeof out.ShardIterator === "string" && out.ShardIterator.length > 0,
          "ShardIterator", { shard: id });
    iterators.set(id, out.ShardIterator);
  }

  step = "records: GetRecords";
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


  step = "records: DeleteStream";
  await deleteAndWaitGone(name);
  return { shards: shardIds.size, put: total, read: seen.size, perShard, getRecordsCalls: calls };
}

// UpdateShardCount 2 -> 4, then MergeShards and SplitShard, with lineage and the hash space
// always covered, and a record routed to an open shard afterwards.
async function reshardingGroup() {
  const name = uniqueName("resharding");
  step = "resharding: CreateStream";
  await createActiveStream(name, 2);

  step = "resharding: UpdateShardCount";
  const update = await client.send(new UpdateShardCountCommand({
    StreamName: name, TargetShardCount: 4, ScalingType: "UNIFORM_SCALING",
  }));
  check(update.CurrentShardCount === 2 && update.TargetShardCount === 4, "UpdateShardCount",
        { got: update });
  check((await waitActive(name)).OpenShardCount === 4, "OpenShardCount after scaling to 4");
  let shards = await listAllShards(name);
  let open = shards.filter(isOpen);
  check(open.length === 4, "open shards after UpdateShardCount", { got: open.length });
  checkTiling(open, "after UpdateShardCount");
  const ids = new Set(shards.map((s) => s.ShardId));
  check(open.every((s) => s.ParentShardId && ids.has(s.ParentShardId)),
        "children of UpdateShardCount name no parent");

  step = "resharding: MergeShards";
  open.sort((a, b) => (BigInt(a.HashKeyRange.StartingHashKey) <
                       BigInt(b.HashKeyRange.StartingHashKey) ? -1 : 1));
  const [left, right] = open;
  await client.send(new MergeShardsCommand({
    StreamName: name, ShardToMerge: left.ShardId, AdjacentShardToMerge: right.ShardId,
  }));
  await waitActive(name);
  shards = await listAllShards(name);
  open = shards.filter(isOpen);
  check(open.length === 3, "open shards after MergeShards", { got: open.length });
  checkTiling(open, "after MergeShards");
  const merged = open.find((s) => s.ParentShardId === left.ShardId);
  check(merged && merged.AdjacentParentShardId === right.ShardId,
        "the merged shard does not name both parents", { got: merged });

  step = "resharding: SplitShard";
  const lo = BigInt(merged.HashKeyRange.StartingHashKey);
  const hi = BigInt(merged.HashKeyRange.EndingHashKey);
  const middle = lo + (hi - lo + 1n) / 2n;
  await client.send(new SplitShardCommand({
    StreamName: name, ShardToSplit: merged.ShardId, NewStartingHashKey: middle.toString(),
  }));
  await waitActive(name);
  open = (await listAllShards(name)).filter(isOpen);
  check(open.length === 4, "open shards after SplitShard", { got: open.length });
  checkTiling(open, "after SplitShard");
  const halves = open.filter((s) => s.ParentShardId === merged.ShardId);
  check(halves.length === 2, "SplitShard did not make two children", { got: halves.length });

  step = "resharding: PutRecord";
  const put = await client.send(new PutRecordCommand({
    StreamName: name, PartitionKey: "after-resharding", Data: Uint8Array.of(1, 2, 3),
  }));
  check(open.some((s) => s.ShardId === put.ShardId), "a record went to a closed shard",
        { got: put.ShardId });

  step = "resharding: DeleteStream";
  await deleteAndWaitGone(name);
  return { openShards: open.length, allShards: shards.length + 2 };
}

// AddTagsToStream / ListTagsForStream / RemoveTagsFromStream and the ARN-based TagResource /
// ListTagsForResource / UntagResource, which see the same tags.
async function tagsGroup() {
  const name = uniqueName("tags");
  const arn = streamArn(name);
  step = "tags: CreateStream";
  await createActiveStream(name, 1);
  const tagsOf = async () => {
    const out = await client.send(new ListTagsForStreamCommand({ StreamName: name }));
    check(out.HasMoreTags === false, "ListTagsForStream HasMoreTags");
    return Object.fromEntries(out.Tags.map((t) => [t.Key, t.Value]));
  };
  const same = (a, b) => JSON.stringify(Object.entries(a).sort()) ===
                         JSON.stringify(Object.entries(b).sort());

  step = "tags: AddTagsToStream";
  await client.send(new AddTagsToStreamCommand({ StreamName: name,
                                                 Tags: { team: "data", env: "ci" } }));
  let tags = await tagsOf();
  check(same(tags, { team: "data", env: "ci" }), "tags after AddTagsToStream", { got: tags });

  step = "tags: RemoveTagsFromStream";
  await client.send(new RemoveTagsFromStreamCommand({ StreamName: name, TagKeys: ["env"] }));
  tags = await tagsOf();
  check(same(tags, { team: "data" }), "tags after RemoveTagsFromStream", { got: tags });

  step = "tags: TagResource";
  await client.send(new TagResourceCommand({ ResourceARN: arn, Tags: { cost: "42" } }));
  const byArn = async () => Object.fromEntries(
    (await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags
      .map((t) => [t.Key, t.Value]));
  tags = await byArn();
  check(same(tags, { team: "data", cost: "42" }), "ListTagsForResource", { got: tags });

  step = "tags: UntagResource";
  await client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ["team"] }));
  tags = await tagsOf();
  check(same(tags, { cost: "42" }), "tags after UntagResource", { got: tags });

  step = "tags: missing stream";
  const error = await expectError("tags of a missing stream", ResourceNotFoundException,
    client.send(new ListTagsForStreamCommand({ StreamName: `${name}-missing` })));

  step = "tags: DeleteStream";
  await deleteAndWaitGone(name);
  return { tags, error };
}

// RegisterStreamConsumer, wait ACTIVE, ListStreamConsumers, a duplicate refused,
// DeregisterStreamConsumer until it is gone.
async function consumersGroup() {
  const name = uniqueName("consumers");
  const arn = streamArn(name);
  step = "consumers: CreateStream";
  await createActiveStream(name, 1);

  step = "consumers: RegisterStreamConsumer";
  const registered = (await client.send(new RegisterStreamConsumerCommand({
    StreamARN: arn, ConsumerName: "app-1",
  }))).Consumer;
  check(registered.ConsumerName === "app-1" &&
        registered.ConsumerARN.startsWith(`${arn}/consumer/app-1:`), "RegisterStreamConsumer",
        { got: registered });
  check(registered.ConsumerCreationTimestamp instanceof Date,
        "ConsumerCreationTimestamp is not a Date");

  step = "consumers: wait ACTIVE";
  let described;
  for (let i = 0; ; i++) {
    described = (await client.send(new DescribeStreamConsumerCommand({
      ConsumerARN: registered.ConsumerARN,
    }))).ConsumerDescription;
    if (described.ConsumerStatus === "ACTIVE") break;
    check(i < 200, "consumer not ACTIVE", { got: described.ConsumerStatus });
    await sleep(50);
  }
  check(described.StreamARN === arn, "DescribeStreamConsumer StreamARN", { got: described });

  step = "consumers: ListStreamConsumers";
  const listed = (await client.send(new ListStreamConsumersCommand({ StreamARN: arn }))).Consumers;
  check(listed.length === 1 && listed[0].ConsumerARN === registered.ConsumerARN,
        "ListStreamConsumers", { got: listed });

  step = "consumers: duplicate";
  const error = await expectError("a second consumer of the same name", ResourceInUseException,
    client.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: "app-1" })));

  step = "consumers: DeregisterStreamConsumer";
  await client.send(new DeregisterStreamConsumerCommand({ ConsumerARN: registered.ConsumerARN }));
  let gone = false;
  for (let i = 0; i < 200 && !gone; i++) {
    try {
      await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: registered.ConsumerARN }));
      await sleep(50);
    } catch (e) {
      check(e instanceof ResourceNotFoundException, "unexpected error while deregistering",
            { name: e?.name, message: e?.message });
      gone = true;
    }
  }
  check(gone, "consumer still present after DeregisterStreamConsumer");

  step = "consumers: DeleteStream";
  await deleteAndWaitGone(name);
  return { consumers: listed.length, error };
}

// RecordDistributionStrategy: an on-demand stream created AUTO spreads records with one
// partition key over every shard, takes records without a key (read back without one), then
// UpdateStreamRecordDistributionStrategy makes it route by key again; AUTO on a provisioned
// stream is refused.
async function distributionGroup() {
  const name = uniqueName("distribution");
  const arn = streamArn(name);
  step = "distribution: CreateStream";
  await client.send(new CreateStreamCommand({
    StreamName: name, StreamModeDetails: { StreamMode: "ON_DEMAND" },
    RecordDistributionStrategy: "AUTO",
  }));
  const summary = await waitActive(name);
  check(summary.RecordDistributionStrategy === "AUTO", "DescribeStreamSummary strategy",
        { got: summary.RecordDistributionStrategy });

  step = "distribution: PutRecord (AUTO)";
  const spread = new Set();
  for (let i = 0; i < 2 * summary.OpenShardCount; i++) {
    const out = await client.send(new PutRecordCommand({
      StreamName: name, PartitionKey: "one-key", Data: Uint8Array.of(i),
    }));
    spread.add(out.ShardId);
  }
  check(spread.size === summary.OpenShardCount, "AUTO did not use every shard",
        { shards: [...spread], open: summary.OpenShardCount });
  const keyless = await client.send(new PutRecordCommand({ StreamARN: arn,
                                                           Data: Uint8Array.of(7, 7) }));
  const it = (await client.send(new GetShardIteratorCommand({
    StreamName: name, ShardId: keyless.ShardId, ShardIteratorType: "AT_SEQUENCE_NUMBER",
    StartingSequenceNumber: keyless.SequenceNumber,
  }))).ShardIterator;
  const read = (await client.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1 })))
    .Records[0];
  check(read && bytesEqual(read.Data, Uint8Array.of(7, 7)) && read.PartitionKey === undefined,
        "a record put without a partition key", { got: read && read.PartitionKey });

  step = "distribution: UpdateStreamRecordDistributionStrategy";
  await client.send(new UpdateStreamRecordDistributionStrategyCommand({
    StreamARN: arn, RecordDistributionStrategy: "USER_PARTITION_KEY",
  }));
  check((await waitActive(name)).RecordDistributionStrategy === "USER_PARTITION_KEY",
        "strategy after the update");
  const keyed = new Set();
  for (let i = 0; i < 8; i++) {
    keyed.add((await client.send(new PutRecordCommand({
      StreamName: name, PartitionKey: "one-key", Data: Uint8Array.of(i),
    }))).ShardId);
  }
  check(keyed.size === 1, "USER_PARTITION_KEY spread one key", { shards: [...keyed] });

  step = "distribution: AUTO on a provisioned stream";
  const provisioned = uniqueName("distribution-p");
  await createActiveStream(provisioned, 1);
  const error = await expectError("AUTO on a provisioned stream", InvalidArgumentException,
    client.send(new UpdateStreamRecordDistributionStrategyCommand({
      StreamARN: streamArn(provisioned), RecordDistributionStrategy: "AUTO",
    })));

  step = "distribution: DeleteStream";
  await deleteAndWaitGone(name);
  await deleteAndWaitGone(provisioned);
  return { autoShards: spread.size, error };
}

const GROUPS = {
  streams: streamsGroup,
  records: recordsGroup,
  resharding: reshardingGroup,
  tags: tagsGroup,
  consumers: consumersGroup,
  distribution: distributionGroup,
};

async function main() {
  const results = {};
  for (const group of groups) {
    check(GROUPS[group], `unknown group ${group}`, { known: ALL_GROUPS });
    results[group] = await GROUPS[group]();
  }
  return {
    ok: true,
    sdk: `@aws-sdk/client-kinesis@${sdkVersion()}`,
    node: process.version,
    handler: handlerChoice === "h1" ? "NodeHttpHandler (HTTP/1.1)"
                                    : "sdk-default (NodeHttp2Handler)",
    endpoint,
    groups: results,
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
