#!/usr/bin/env python3
r"""Bring the botocore Kinesis model (kinesis-2013-12-02.json) up to the AWS SDK for JS v3.

    python3 tools/update_kinesis_model.py \
        --js-sdk tests/e2e/js/node_modules/@aws-sdk/client-kinesis \
        --out /work/staging/kinesis-2013-12-02.json [--model models/kinesis-2013-12-02.json]

The base model (botocore's service-2.json) is kept as it is: its operations, shapes,
constraints, documentation and metadata.  From the installed @aws-sdk/client-kinesis the
script reads, in pure Python (no Node.js needed):

  dist-es/schemas/schemas_0.js     operations, structures, lists, maps, unions, errors and
                                   which members are required (the first `requiredCount`);
  dist-types/models/models_0.d.ts  member declaration order, enum names of string members,
                                   number vs bigint (integer vs long), documentation;
  dist-es/models/enums.js          enum values;
  dist-types/models/errors.d.ts    exception fault (client/server) and documentation;
  dist-types/commands/*Command.d.ts  each operation's @throws list and documentation;
  dist-es/commandBuilder.js + dist-es/commands/*Command.js  endpoint context parameters.

It then adds what the SDK has and the model lacks: operations, structures and their
members (appended after the existing ones, in the SDK's declaration order), errors of
operations, enums, exceptions.  Required lists follow the SDK (members the SDK no longer
requires are dropped from `required`; see --keep-required).  Length/pattern/range
constraints are not in the SDK; the ones for new shapes are in CONSTRAINTS below, each with
the AWS Kinesis API Reference page it came from.

The output uses botocore's own JSON layout (2-space indent, one-entry objects/lists inline),
so an unchanged model is written back byte for byte.  The script is deterministic and
idempotent: running it on its own output adds nothing.
"""

import argparse
import glob
import json
import os
import re
import sys

# ---------------------------------------------------------------------------------------
# Tables (facts only).
# ---------------------------------------------------------------------------------------

# Shape names for members whose SDK type is a plain scalar (the SDK keeps no name for those).
# Names as in botocore-style models generated from the same service definition: aws-sdk-ruby
# gems/aws-sdk-kinesis/lib/aws-sdk-kinesis/client_api.rb (aws/aws-sdk-ruby).  Key: (structure,
# member) or member alone (any structure).
MEMBER_SHAPE_NAMES = {
    ("ChannelDescription", "ServiceExecutionRoleARN"): "RoleARN",
    ("CreateChannelInput", "ServiceExecutionRoleARN"): "RoleARN",
    ("DeadLetterQueueS3Configuration", "ErrorOutputPrefix"): "S3ErrorOutputPrefix",
    ("S3StorageConfiguration", "OutputKeyTemplate"): "S3OutputKeyTemplate",
    ("S3TablesConfiguration", "Namespace"): "S3TablesNamespace",
    ("S3TablesConfiguration", "TableName"): "S3TablesTableName",
    ("PartitionField", "SourceName"): "PartitionSourceName",
    ("CloudWatchLogs", "LogGroupName"): "CloudWatchLogGroupName",
    ("CloudWatchLogs", "LogStreamName"): "CloudWatchLogStreamName",
    ("CloudWatchLogsUpdateInput", "LogGroupName"): "CloudWatchLogGroupName",
    ("CloudWatchLogsUpdateInput", "LogStreamName"): "CloudWatchLogStreamName",
    ("ListChannelsInput", "MaxResults"): "ListChannelsInputLimit",
    "ChannelCount": "ChannelCountObject",
    "ChannelCountLimit": "ChannelCountObject",
    "ChannelName": "ChannelName",
    "ChannelARN": "ChannelARN",
    "ChannelId": "ChannelId",
    "ChannelStatusReason": "ChannelStatusReason",
    "BucketARN": "BucketARN",
    "ExpectedBucketOwner": "ExpectedBucketOwner",
    "TableBucketARN": "TableBucketARN",
    "GSRSchemaARN": "GSRSchemaARN",
    "DataFreshnessInSeconds": "DataFreshnessInSeconds",
}

# Constraints of new shapes, from AWS's Kinesis API Reference,
# https://docs.aws.amazon.com/kinesis/latest/APIReference/<page>.
CONSTRAINTS = {
    # API_ChannelDescription.html (also API_ChannelSummary.html, API_DescribeChannel.html)
    "ChannelName": {"max": 128, "min": 1, "pattern": r"[a-zA-Z0-9_.-]+"},
    "ChannelARN": {"max": 2048, "min": 1, "pattern": r"arn:aws.*:kinesis:.*:\d{12}:channel/\S+"},
    "ChannelId": {"max": 64, "min": 1},
    # API_DeadLetterQueueS3Configuration.html, API_S3StorageConfiguration.html
    "BucketARN": {"max": 2048, "min": 1, "pattern": r"arn:aws[-a-z0-9]*:s3:::[a-z0-9._-]{3,63}"},
    "ExpectedBucketOwner": {"max": 12, "min": 12, "pattern": r"\d{12}"},  # "Fixed length of 12"
    # API_DeadLetterQueueS3Configuration.html
    "S3ErrorOutputPrefix": {"max": 512, "min": 1, "pattern": r"[0-9A-Za-z!\-_'.*()\/]+"},
    # API_S3StorageConfiguration.html
    "S3OutputKeyTemplate": {"max": 1024, "min": 1, "pattern": r"[0-9A-Za-z!\-_'.*()\/=:{}]+"},
    # API_S3TablesConfiguration.html
    "TableBucketARN": {"max": 2048, "min": 1,
                       "pattern": r"arn:aws[-a-z0-9]*:s3tables:[-a-z0-9]+:\d{12}:bucket/[a-z0-9_-]{3,63}"},
    "S3TablesNamespace": {"max": 255, "min": 1, "pattern": r"[0-9a-z_]+"},
    "S3TablesTableName": {"max": 255, "min": 1, "pattern": r"[0-9a-z_]+"},
    # API_CloudWatchLogs.html, API_CloudWatchLogsUpdateInput.html
    "CloudWatchLogGroupName": {"max": 512, "min": 1, "pattern": r"[\.\-_/#A-Za-z0-9]+"},
    "CloudWatchLogStreamName": {"max": 512, "min": 1, "pattern": r"[^:*]*"},
    # API_RecordConfiguration.html
    "GSRSchemaARN": {"max": 512, "min": 1,
                     "pattern": r"arn:aws[-a-z0-9]*:glue:[-a-z0-9]+:\d{12}:schema/[-a-zA-Z0-9_$#.]+/[-a-zA-Z0-9_$#.]+"},
    # API_PartitionField.html
    "PartitionSourceName": {"max": 255, "min": 1, "pattern": r"[a-zA-Z0-9\.\_]+"},
    # API_PartitionSpec.html ("Array Members")
    "PartitionFieldList": {"max": 10, "min": 1},
    # API_S3TablesDestinationConfiguration.html, API_S3TablesDestinationDescription.html
    "S3TablesConfigurationList": {"max": 10000, "min": 1},
    # API_ListChannels.html
    "StreamFilterList": {"max": 10000, "min": 1},
    "ListChannelsInputLimit": {"max": 10000, "min": 1},
}
# New shapes whose constraints the API Reference was searched for without a result (reported).
# DataFreshnessInSeconds: the pages list "Type: Integer" with no "Valid Range".
CONSTRAINTS_NOT_FOUND = ["RoleARN", "ChannelStatusReason", "ChannelCountObject",
                         "ChannelStreamConfigurationList", "ChannelStreamDescriptionList",
                         "ChannelStreamIdentifierList", "ChannelSummaryList"]
CONSTRAINTS_NONE_DOCUMENTED = ["DataFreshnessInSeconds"]

# Enum value order of the API Reference ("Valid Values"), which is the service model's order;
# the SDK sorts values alphabetically.  Used only when the value sets agree with the SDK.
ENUM_ORDER = {
    "ChannelStatus": ["CREATING", "ACTIVE", "UPDATING", "DELETING", "FAILED"],  # API_ChannelDescription
    "ChannelDestinationType": ["S3", "S3_TABLES"],                  # API_ChannelSummary
    "S3CompressionType": ["NONE", "GZIP", "ZSTD"],                  # API_S3StorageConfiguration
    "S3StorageClass": ["STANDARD", "INTELLIGENT_TIERING", "GLACIER_IR"],  # API_S3StorageConfiguration
    "S3TablesCompressionType": ["NONE", "ZSTD", "SNAPPY"],          # API_S3TablesConfiguration
    "RecordFormatType": ["GSR_JSON", "JSON", "STRING", "BYTE_ARRAY"],  # API_RecordConfiguration
    "RecordDistributionStrategy": ["AUTO", "USER_PARTITION_KEY"],   # API_UpdateStreamRecordDistributionStrategy
}

# Scalar type codes of @smithy/core schemas (checked against the file: strings 0, numbers 1,
# booleans 2, timestamps 4, blobs 21; 64|0 a list of strings, 128|0 a map of strings).
SCALAR_CODES = {0: "string", 1: "number", 2: "boolean", 4: "timestamp", 21: "blob"}
LIST_OF_STRING, MAP_OF_STRING = 64, 128
# Shapes every new boolean/timestamp member uses, as the existing model does.
GENERIC_SCALAR_SHAPES = {"boolean": "BooleanObject", "timestamp": "Timestamp"}


# ---------------------------------------------------------------------------------------
# Reading the JS SDK.
# ---------------------------------------------------------------------------------------

class Ref:
    """`() => Name` in the schema file: a lazy reference to another definition."""
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"Ref({self.name})"


class Var:
    """A bare identifier naming another top-level definition (e.g. `MetricsNameList`)."""
    def __init__(self, name):
        self.name = name


TOKEN = re.compile(r"""\s*(?:(?P<num>-?\d+)|(?P<str>"(?:[^"\\]|\\.)*"|`[^`]*`)|(?P<arrow>\(\)\s*=>)
                       |(?P<id>[A-Za-z_$][\w$]*)|(?P<p>[\[\]{}(),:|;]))""", re.X)


class JSParser:
    """Just enough of JavaScript for the SDK's schema and enum files (literal data)."""

    def __init__(self, text, consts):
        self.text, self.pos, self.consts = text, 0, consts

    def token(self, peek=False):
        m = TOKEN.match(self.text, self.pos)
        if not m and not self.text[self.pos:].strip():
            return "eof", None
        if not m:
            raise ValueError(f"cannot parse at {self.text[self.pos:self.pos + 60]!r}")
        if not peek:
            self.pos = m.end()
        kind = m.lastgroup
        return kind, m.group(kind)

    def expect(self, value):
        kind, tok = self.token()
        if tok != value:
            raise ValueError(f"expected {value!r}, got {tok!r} near {self.text[self.pos:self.pos + 60]!r}")

    def value(self):
        left = self.atom()
        while self.token(peek=True)[1] == "|":
            self.token()
            right = self.atom()
            left = left | right
        return left

    def atom(self):
        kind, tok = self.token()
        if kind == "num":
            return int(tok)
        if kind == "str":
            return json.loads(tok) if tok[0] == '"' else tok[1:-1]
        if kind == "arrow":
            target = self.value()
            return Ref(target.name if isinstance(target, Var) else target)
        if kind == "id":
            if tok in self.consts:
                return self.consts[tok]
            return Var(tok)
        if tok == "[":
            items = []
            while self.token(peek=True)[1] != "]":
                items.append(self.value())
                if self.token(peek=True)[1] == ",":
                    self.token()
            self.expect("]")
            return items
        if tok == "{":
            obj = {}
            while self.token(peek=True)[1] != "}":
                if self.token(peek=True)[1] == "[":
                    self.token()
                    key = self.value()
                    self.expect("]")
                else:
                    key = self.atom()
                    key = key.name if isinstance(key, Var) else key
                self.expect(":")
                obj[key] = self.value()
                if self.token(peek=True)[1] == ",":
                    self.token()
            self.expect("}")
            return obj
        raise ValueError(f"unexpected {tok!r}")


def read_schemas(path):
    text = open(path, encoding="utf-8").read()
    consts = {m.group(1): json.loads(m.group(2))
              for m in re.finditer(r'^const (\w+) = ("(?:[^"\\]|\\.)*");$', text, re.M)}
    defs = {}
    for m in re.finditer(r"^(?:export )?var ([\w$]+) = ", text, re.M):
        p = JSParser(text, consts)
        p.pos = m.end()
        defs[m.group(1)] = p.value()
        p.expect(";")
    return defs


def read_enums(path):
    text = open(path, encoding="utf-8").read()
    enums = {}
    for m in re.finditer(r"^export const (\w+) = (\{.*?\});$", text, re.M | re.S):
        enums[m.group(1)] = list(JSParser(m.group(2), {}).value().values())
    return enums


def jsdoc_text(block):
    """HTML of a JSDoc block, on one line, without its @tags."""
    lines = []
    for line in block.splitlines():
        line = re.sub(r"^\s*/?\*+/?", "", line).rstrip()
        if line.strip().startswith("@"):
            break
        lines.append(line.strip())
    return re.sub(r"\s+", " ", " ".join(lines)).strip()


def read_dts_models(path):
    """interface name -> {"doc", "members": [(name, ts_type, doc)]} in declaration order."""
    text = open(path, encoding="utf-8").read()
    out = {}
    for m in re.finditer(r"(/\*\*(?:(?!\*/).)*\*/)\s*export interface (\w+) \{(.*?)\n\}", text, re.S):
        members = []
        for mm in re.finditer(r"(/\*\*(?:(?!\*/).)*\*/)\s*(\w+)\??: ([^;]+);", m.group(3), re.S):
            ts = re.sub(r"\s*\|\s*undefined$", "", mm.group(3).strip())
            members.append((mm.group(2), ts, jsdoc_text(mm.group(1))))
        out[m.group(2)] = {"doc": jsdoc_text(m.group(1)), "members": members}
    return out


def read_dts_errors(path):
    text = open(path, encoding="utf-8").read()
    out = {}
    for m in re.finditer(r"(/\*\*(?:(?!\*/).)*\*/)\s*export declare class (\w+) extends __BaseException"
                         r" \{.*?readonly \$fault: \"(\w+)\"", text, re.S):
        out[m.group(2)] = {"doc": jsdoc_text(m.group(1)), "fault": m.group(3)}
    return out


def read_command(js_sdk, op):
    text = open(os.path.join(js_sdk, "dist-types", "commands", f"{op}Command.d.ts"),
                encoding="utf-8").read()
    m = re.search(r"(/\*\*(?:(?!\*/).)*\*/)\s*export declare class \w+Command ", text, re.S)
    doc = jsdoc_text(m.group(1)) if m else ""
    throws = [t for t in re.findall(r"@throws \{@link (\w+)\}", text) if t != "KinesisServiceException"]
    return doc, throws


def read_endpoint_params(js_sdk):
    """operation -> {"static": {name: value}, "context": [member names]}."""
    text = open(os.path.join(js_sdk, "dist-es", "commandBuilder.js"), encoding="utf-8").read()
    sets = {}
    for m in re.finditer(r"^export const (_ep\d+) = (\{.*?\});$", text, re.M | re.S):
        spec = JSParser(m.group(2), {}).value()
        sets[m.group(1)] = {
            "static": {k: v["value"] for k, v in spec.items() if v.get("type") == "staticContextParams"},
            "context": [v["name"] for v in spec.values() if v.get("type") == "contextParams"],
        }
    out = {}
    for path in sorted(glob.glob(os.path.join(js_sdk, "dist-es", "commands", "*Command.js"))):
        src = open(path, encoding="utf-8").read()
        m = re.search(r'command\((_ep\d+), \w+, "(\w+)"', src)
        if m:
            out[m.group(2)] = sets[m.group(1)]
    return out


class SDK:
    def __init__(self, js_sdk):
        self.root = js_sdk
        self.version = json.load(open(os.path.join(js_sdk, "package.json")))["version"]
        defs = read_schemas(os.path.join(js_sdk, "dist-es", "schemas", "schemas_0.js"))
        self.enums = read_enums(os.path.join(js_sdk, "dist-es", "models", "enums.js"))
        self.dts = read_dts_models(os.path.join(js_sdk, "dist-types", "models", "models_0.d.ts"))
        self.error_docs = read_dts_errors(os.path.join(js_sdk, "dist-types", "models", "errors.d.ts"))
        self.endpoint = read_endpoint_params(js_sdk)
        self.defs = defs
        self.structures, self.errors, self.lists, self.maps, self.unions, self.operations = \
            {}, {}, {}, {}, {}, {}
        self.by_var = {}
        for var, d in defs.items():
            if not isinstance(d, list) or not d or not isinstance(d[0], int):
                continue
            kind, name = d[0], d[2]
            self.by_var[var] = name
            if kind in (3, -3, 4):
                names, types = d[4], d[5]
                req = d[6] if len(d) > 6 else 0
                entry = {"traits": d[3], "members": list(zip(names, types)), "required": names[:req]}
                {3: self.structures, -3: self.errors, 4: self.unions}[kind][name] = entry
            elif kind == 1:
                self.lists[name] = {"traits": d[3], "member": d[4]}
            elif kind == 2:
                self.maps[name] = {"traits": d[3], "key": d[4], "value": d[5]}
            elif kind == 9:
                self.operations[name] = {"input": d[4], "output": d[5]}
            else:
                raise SystemExit(f"unknown schema kind {kind} for {var}")

    def target(self, t):
        """Classify a member type: ("ref", name) | ("scalar", code) | ("unit",)."""
        if isinstance(t, list) and t and isinstance(t[0], Ref):   # [() => X, traits]
            t = t[0]
        if isinstance(t, Ref):
            d = self.defs.get(t.name)
            if d == "unit":
                return ("unit",)
            if isinstance(d, int):
                return ("scalar", d)
            return ("ref", self.by_var[t.name])
        if isinstance(t, Var):
            return ("scalar", self.defs[t.name])
        if isinstance(t, int):
            if t not in SCALAR_CODES and t not in (LIST_OF_STRING, MAP_OF_STRING):
                raise SystemExit(f"unknown scalar type code {t}")
            return ("scalar", t)
        raise SystemExit(f"unknown member type {t!r}")

    def dts_members(self, name):
        iface = self.dts.get(name) or self.dts.get("_" + name)
        return iface


# ---------------------------------------------------------------------------------------
# Merging.
# ---------------------------------------------------------------------------------------

class Merger:
    def __init__(self, model, sdk, with_docs, keep_required):
        self.model, self.sdk = model, sdk
        self.shapes = model["shapes"]
        self.with_docs, self.keep_required = with_docs, keep_required
        self.base_shapes = set(self.shapes)
        self.report = {"operations": [], "members": {}, "errors": {}, "required": [],
                       "shapes": [], "enums": {}, "constraints": {}, "unresolved": [],
                       "naming": [], "notes": []}
        # member name -> target shape in the base model (when unambiguous)
        seen = {}
        for sname, s in sorted(self.shapes.items()):
            for mname, m in s.get("members", {}).items():
                seen.setdefault(mname, set()).add(m["shape"])
        self.base_member_targets = {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}

    # -- shapes ---------------------------------------------------------------------------
    def new_shape(self, name, shape, why):
        if name in self.shapes:
            return
        if name in CONSTRAINTS:
            shape.update(CONSTRAINTS[name])
            self.report["constraints"][name] = dict(CONSTRAINTS[name])
        elif name in CONSTRAINTS_NOT_FOUND and shape["type"] in ("string", "integer", "long", "list"):
            self.report["unresolved"].append(f"{name}: no constraints found in the API Reference")
        self.shapes[name] = shape
        self.report["shapes"].append(f"{name} ({why})")

    def enum_values(self, name):
        values = self.sdk.enums[name]
        order = ENUM_ORDER.get(name)
        if order and sorted(order) == sorted(values):
            return list(order)
        if order:
            self.report["unresolved"].append(f"enum {name}: API Reference order {order} "
                                             f"differs from SDK values {values}; SDK order used")
        return list(values)

    def scalar_shape(self, owner, member, code, ts_type):
        """Shape name for a member of scalar SDK type `code`; created if missing."""
        if code == MAP_OF_STRING:
            name = self.base_member_targets.get(member, "TagMap")
            if name not in self.shapes:
                raise SystemExit(f"{owner}.{member}: map of strings without a known shape")
            return name
        if code == LIST_OF_STRING:
            name = self.base_member_targets.get(member)
            if not name:
                self.report["unresolved"].append(f"{owner}.{member}: list of strings, no shape name")
                name = member + "List"
                self.new_shape("String", {"type": "string"}, "element")
                self.new_shape(name, {"type": "list", "member": {"shape": "String"}}, "list")
            return name
        kind = SCALAR_CODES[code]
        if kind == "number":
            kind = "long" if ts_type == "bigint" else "integer"
        # 1. an enum: the d.ts names it (the JS SDK's shape name)
        if kind == "string" and ts_type in self.sdk.enums:
            name = ts_type
            if name in self.shapes and self.shapes[name].get("enum"):
                return name
            values = self.enum_values(name)
            self.new_shape(name, {"type": "string", "enum": values}, "enum")
            self.report["enums"][name] = values
            return name
        # 2. booleans and timestamps share one shape each
        if kind in GENERIC_SCALAR_SHAPES:
            return GENERIC_SCALAR_SHAPES[kind]
        # 3. the naming table
        name = MEMBER_SHAPE_NAMES.get((owner, member)) or MEMBER_SHAPE_NAMES.get(member)
        how = "table"
        # 4. the same member name elsewhere in the base model
        if not name and member in self.base_member_targets:
            cand = self.base_member_targets[member]
            if self.shapes.get(cand, {}).get("type") == kind:
                name, how = cand, "reused"
        if not name:
            name, how = member, "member name"
            self.report["naming"].append(f"{owner}.{member} -> {name} (no table entry)")
        if name in self.shapes and self.shapes[name]["type"] != kind:
            raise SystemExit(f"{owner}.{member}: shape {name} is {self.shapes[name]['type']}, not {kind}")
        self.new_shape(name, {"type": kind}, kind)
        return name

    def member_shape(self, owner, member, t, ts_type):
        target = self.sdk.target(t)
        if target[0] == "scalar":
            return self.scalar_shape(owner, member, target[1], ts_type)
        return self.ref_shape(target[1])

    def ref_shape(self, name):
        if name in self.shapes:
            return name
        s = self.sdk
        if name in s.structures or name in s.unions:
            self.add_structure(name)
        elif name in s.lists:
            lst = s.lists[name]
            self.new_shape(name, {"type": "list", "member": {"shape": None}}, "list")
            self.shapes[name]["member"]["shape"] = self.member_shape(name, "member", lst["member"], None)
            self.order_keys(name, ["type", "member", "max", "min"])
        elif name in s.maps:
            mp = s.maps[name]
            self.new_shape(name, {"type": "map", "key": {"shape": None}, "value": {"shape": None}}, "map")
            self.shapes[name]["key"]["shape"] = self.member_shape(name, "key", mp["key"], None)
            self.shapes[name]["value"]["shape"] = self.member_shape(name, "value", mp["value"], None)
            self.order_keys(name, ["type", "key", "value", "max", "min"])
        elif name in s.errors:
            self.add_exception(name)
        else:
            raise SystemExit(f"unknown shape {name}")
        return name

    def order_keys(self, name, order):
        shape = self.shapes[name]
        self.shapes[name] = {k: shape[k] for k in order if k in shape} | \
            {k: v for k, v in shape.items() if k not in order}

    def ordered_members(self, name, sdk_members):
        """SDK members of `name` in d.ts declaration order, with their TS types and docs."""
        iface = self.sdk.dts_members(name)
        types = dict(sdk_members)
        if not iface:
            self.report["notes"].append(f"{name}: no d.ts interface; schema order used")
            return [(m, types[m], None, "") for m, _ in sdk_members]
        decl = [(m, ts, doc) for m, ts, doc in iface["members"] if m in types]
        missing = [m for m, _ in sdk_members if m not in {d[0] for d in decl}]
        if missing:
            raise SystemExit(f"{name}: members {missing} missing from d.ts")
        return [(m, types[m], ts, doc) for m, ts, doc in decl]

    def member_entry(self, owner, member, t, ts, doc, context_params):
        entry = {"shape": self.member_shape(owner, member, t, ts)}
        if self.with_docs and doc:
            entry["documentation"] = doc
        if member in context_params:
            entry["contextParam"] = {"name": member}
        traits = t[1] if isinstance(t, list) and len(t) == 2 and isinstance(t[0], Ref) else None
        if isinstance(traits, dict) and traits.get("streaming"):
            entry["eventstream"] = True
        return entry

    def add_structure(self, name):
        s = self.sdk
        src = s.structures.get(name) or s.unions[name]
        shape = {"type": "structure"}
        if src["required"]:
            shape["required"] = list(src["required"])
        shape["members"] = {}
        self.new_shape(name, shape, "union" if name in s.unions else "structure")
        ctx = self.context_params_for_input(name)
        for member, t, ts, doc in self.ordered_members(name, src["members"]):
            shape["members"][member] = self.member_entry(name, member, t, ts, doc, ctx)
        if shape.get("required"):
            order = list(shape["members"])
            shape["required"] = sorted(shape["required"], key=order.index)
        iface = s.dts_members(name)
        if self.with_docs and iface and iface["doc"]:
            shape["documentation"] = iface["doc"]
        if name in s.unions and isinstance(src["traits"], dict) and src["traits"].get("streaming"):
            shape["eventstream"] = True

    def add_exception(self, name):
        err = self.sdk.errors[name]
        info = self.sdk.error_docs.get(name, {})
        shape = {"type": "structure", "members": {}}
        for member, t in err["members"]:
            shape["members"][member] = {"shape": "ErrorMessage" if member == "message"
                                        else self.member_shape(name, member, t, None)}
        if self.with_docs and info.get("doc"):
            shape["documentation"] = info["doc"]
        # As the model's other exceptions: no "error" block (all Kinesis errors are HTTP 400;
        # for DryRunOperationException see docs.aws.amazon.com/streams/latest/dev/
        # kds-dryrun-validation.html); a server fault is marked "fault".
        shape["exception"] = True
        fault = err["traits"].get("error") if isinstance(err["traits"], dict) else None
        if fault == "server":
            shape["fault"] = True
        self.new_shape(name, shape, "exception, " + (fault or "client"))

    def context_params_for_input(self, name):
        for op, spec in self.sdk.operations.items():
            t = self.sdk.target(spec["input"])
            if t[0] == "ref" and t[1] == name:
                return set(self.sdk.endpoint.get(op, {}).get("context", []))
        return set()

    # -- existing structures --------------------------------------------------------------
    def update_structure(self, name, src):
        shape = self.shapes[name]
        if shape.get("type") != "structure":
            raise SystemExit(f"{name}: SDK structure, model {shape.get('type')}")
        ctx = self.context_params_for_input(name)
        added = []
        if all(m in shape["members"] for m, _ in src["members"]):
            todo = []
        else:
            todo = self.ordered_members(name, src["members"])
        for member, t, ts, doc in todo:
            if member in shape["members"]:
                continue
            shape["members"][member] = self.member_entry(name, member, t, ts, doc, ctx)
            added.append(member)
        if added:
            self.report["members"][name] = added
        if name in self.sdk.unions:
            return  # union (event stream) members carry no required count in the SDK
        have = list(shape.get("required", []))
        sdk_req = src["required"]
        order = list(shape["members"])
        new_req = sorted((m for m in sdk_req if m in added), key=order.index)
        raised = sorted((m for m in sdk_req if m not in have and m not in added), key=order.index)
        dropped = [m for m in have if m not in sdk_req]
        for m in new_req:
            self.report["required"].append(f"{name}.{m} required (new member)")
        for m in raised:
            self.report["required"].append(f"{name}.{m} now required by the SDK"
                                           + (" (left optional: --keep-required)" if self.keep_required else " (added)"))
        for m in dropped:
            self.report["required"].append(f"{name}.{m} no longer required by the SDK"
                                           + (" (kept: --keep-required)" if self.keep_required else " (dropped)"))
        if self.keep_required:
            req = have + new_req
        else:
            req = [m for m in have if m not in dropped] + new_req + raised
        if req != have:
            rebuilt = {}
            for k, v in shape.items():
                if k == "required":
                    continue
                if k == "members" and req:
                    rebuilt["required"] = req
                rebuilt[k] = v
            self.shapes[name] = rebuilt

    # -- operations -----------------------------------------------------------------------
    def add_operation(self, name, spec):
        doc, throws = read_command(self.sdk.root, name)
        entry = {"name": name, "http": {"method": "POST", "requestUri": "/"}}
        t_in, t_out = self.sdk.target(spec["input"]), self.sdk.target(spec["output"])
        entry["input"] = {"shape": self.ref_shape(t_in[1])}
        if t_out[0] == "ref":
            entry["output"] = {"shape": self.ref_shape(t_out[1])}
        for e in throws:
            self.ref_shape(e)
        entry["errors"] = [{"shape": e} for e in throws]
        if self.with_docs and doc:
            entry["documentation"] = doc
        static = self.sdk.endpoint.get(name, {}).get("static", {})
        if static:
            entry["staticContextParams"] = {k: {"value": v} for k, v in static.items()}
        self.model["operations"][name] = entry
        self.report["operations"].append(name)
        self.report["errors"][name] = list(throws)

    def update_operation_errors(self, name):
        _, throws = read_command(self.sdk.root, name)
        op = self.model["operations"][name]
        have = [e["shape"] for e in op.get("errors", [])]
        extra = [e for e in throws if e not in have]
        for e in extra:
            self.ref_shape(e)
        if extra:
            errors = list(op.get("errors", [])) + [{"shape": e} for e in extra]
            rebuilt = {}
            for k, v in op.items():
                if k == "errors":
                    continue
                if k not in ("name", "http", "input", "output") and "errors" not in rebuilt:
                    rebuilt["errors"] = errors
                rebuilt[k] = v
            rebuilt.setdefault("errors", errors)
            self.model["operations"][name] = rebuilt
            self.report["errors"][name] = ["+" + e for e in extra]
        missing = [e for e in have if e not in throws]
        if missing:
            self.report["notes"].append(f"{name}: model lists {missing}, SDK does not (kept)")
        static = self.sdk.endpoint.get(name, {}).get("static", {})
        if static and "staticContextParams" not in op:
            self.report["notes"].append(f"{name}: SDK sets OperationType={static.get('OperationType')}, "
                                        "model has no staticContextParams (left as is)")

    def run(self):
        s = self.sdk
        for name in sorted(s.errors):
            if name not in self.shapes and not name.endswith("ServiceException"):
                self.add_exception(name)
        for name in sorted(s.structures):
            if name in self.base_shapes:
                self.update_structure(name, s.structures[name])
        for name in sorted(s.unions):
            if name in self.base_shapes:
                self.update_structure(name, s.unions[name])
        for name in sorted(s.operations):
            if name in self.model["operations"]:
                self.update_operation_errors(name)
            else:
                self.add_operation(name, s.operations[name])
        extra_ops = sorted(set(self.model["operations"]) - set(s.operations))
        if extra_ops:
            self.report["notes"].append(f"model operations not in the SDK: {extra_ops}")
        self.model["operations"] = dict(sorted(self.model["operations"].items()))
        self.model["shapes"] = dict(sorted(self.shapes.items()))
        self.shapes = self.model["shapes"]
        return self.report


# ---------------------------------------------------------------------------------------
# Output and checks.
# ---------------------------------------------------------------------------------------

def botocore_json(v, ind=0):
    """botocore's layout: 2-space indent, no spaces after ':', one-scalar objects/lists inline."""
    sp = "  "
    if isinstance(v, dict):
        if not v:
            return "{}"
        if len(v) == 1 and not isinstance(next(iter(v.values())), (dict, list)):
            k, x = next(iter(v.items()))
            return "{" + json.dumps(k, ensure_ascii=False) + ":" + botocore_json(x) + "}"
        return "{\n" + ",\n".join(sp * (ind + 1) + json.dumps(k, ensure_ascii=False) + ":"
                                  + botocore_json(x, ind + 1) for k, x in v.items()) + "\n" + sp * ind + "}"
    if isinstance(v, list):
        if not v:
            return "[]"
        if len(v) == 1 and not isinstance(v[0], (dict, list)):
            return "[" + botocore_json(v[0]) + "]"
        return "[\n" + ",\n".join(sp * (ind + 1) + botocore_json(x, ind + 1) for x in v) + "\n" + sp * ind + "]"
    return json.dumps(v, ensure_ascii=False)


def refs(shape):
    for key in ("member", "key", "value"):
        if key in shape:
            yield shape[key]["shape"]
    for m in shape.get("members", {}).values():
        yield m["shape"]


def check(model):
    problems = []
    shapes = model["shapes"]
    for name, op in model["operations"].items():
        for key in ("input", "output"):
            if key in op and op[key]["shape"] not in shapes:
                problems.append(f"operation {name} {key} -> missing {op[key]['shape']}")
        for e in op.get("errors", []):
            if e["shape"] not in shapes:
                problems.append(f"operation {name} error -> missing {e['shape']}")
    for name, s in shapes.items():
        for r in refs(s):
            if r not in shapes:
                problems.append(f"shape {name} -> missing {r}")
        for r in s.get("required", []):
            if r not in s.get("members", {}):
                problems.append(f"shape {name} requires unknown member {r}")
    return problems


def sdk_coverage(model, sdk):
    """Everything the SDK has must now be in the model; report type disagreements."""
    problems, kinds = [], {"string", "integer", "long", "boolean", "timestamp", "blob"}
    shapes = model["shapes"]
    for op in sdk.operations:
        if op not in model["operations"]:
            problems.append(f"operation {op} missing")
            continue
        _, throws = read_command(sdk.root, op)
        have = {e["shape"] for e in model["operations"][op].get("errors", [])}
        problems += [f"operation {op}: error {e} missing" for e in throws if e not in have]
    for table in (sdk.structures, sdk.unions, sdk.errors):
        for name, src in table.items():
            if name.endswith("ServiceException"):
                continue
            shape = shapes.get(name)
            if shape is None:
                problems.append(f"shape {name} missing")
                continue
            for member, t in src["members"]:
                m = shape["members"].get(member)
                if m is None:
                    problems.append(f"{name}.{member} missing")
                    continue
                target, tshape = sdk.target(t), shapes[m["shape"]]
                if target[0] == "ref" and target[1] != m["shape"]:
                    problems.append(f"{name}.{member}: SDK {target[1]}, model {m['shape']}")
                if target[0] == "scalar":
                    code = target[1]
                    want = {LIST_OF_STRING: {"list"}, MAP_OF_STRING: {"map"}, 1: {"integer", "long"}}.get(
                        code, {SCALAR_CODES.get(code)})
                    if tshape["type"] not in want and not (tshape["type"] in kinds and member == "message"):
                        problems.append(f"{name}.{member}: SDK {want}, model {tshape['type']}")
            if table is sdk.structures and set(src["required"]) != set(shape.get("required", [])):
                problems.append(f"{name}: required SDK {sorted(src['required'])}, "
                                f"model {sorted(shape.get('required', []))}")
    for name, values in sdk.enums.items():
        if name in shapes and sorted(shapes[name].get("enum", [])) != sorted(values):
            problems.append(f"enum {name}: SDK {sorted(values)}, model {sorted(shapes[name].get('enum', []))}")
    return problems


def botocore_check(path):
    try:
        import botocore.model
    except ImportError:
        return "botocore not installed: skipped"
    sm = botocore.model.ServiceModel(json.load(open(path, encoding="utf-8")), service_name="kinesis")
    n = 0
    for op_name in sm.operation_names:
        op = sm.operation_model(op_name)
        if op.input_shape is not None:
            _ = op.input_shape.members
        if op.output_shape is not None:
            _ = op.output_shape.members
        for e in op.error_shapes:
            _ = e.members
        n += 1
    for sname in sm.shape_names:
        sm.shape_for(sname)
    return f"botocore {botocore.__version__}: ServiceModel loads, {n} operations, " \
           f"{len(list(sm.shape_names))} shapes resolved"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_model = os.path.join(os.path.dirname(here), "models", "kinesis-2013-12-02.json")
    if not os.path.exists(default_model):
        default_model = os.path.join("models", "kinesis-2013-12-02.json")
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--js-sdk", required=True, help="installed @aws-sdk/client-kinesis directory")
    ap.add_argument("--model", default=default_model, help="base botocore model (read only)")
    ap.add_argument("--out", required=True, help="where to write the updated model")
    ap.add_argument("--with-docs", action="store_true",
                    help="copy the JS SDK's documentation into new operations, shapes and members")
    ap.add_argument("--keep-required", action="store_true",
                    help="do not change existing required lists (only add new required members)")
    args = ap.parse_args()
    if os.path.abspath(args.out) == os.path.abspath(args.model):
        raise SystemExit("--out must not be the base model")

    model = json.load(open(args.model, encoding="utf-8"))
    base_ops = len(model["operations"])
    sdk = SDK(args.js_sdk)
    rep = Merger(model, sdk, args.with_docs, args.keep_required).run()
    problems = check(model)
    coverage = sdk_coverage(model, sdk)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(botocore_json(model) + "\n")

    p = print
    p(f"@aws-sdk/client-kinesis {sdk.version}; base {args.model}: {base_ops} operations")
    p(f"written {args.out}: {len(model['operations'])} operations, {len(model['shapes'])} shapes")
    p(f"added operations ({len(rep['operations'])}): {', '.join(rep['operations']) or '-'}")
    p("members added to existing structures:")
    for k, v in sorted(rep["members"].items()):
        p(f"  {k}: {', '.join(v)}")
    p("operation errors (new operations: full list; existing: +added):")
    for k, v in sorted(rep["errors"].items()):
        p(f"  {k}: {', '.join(v)}")
    p("required-list changes:")
    for line in rep["required"]:
        p("  " + line)
    p(f"new shapes ({len(rep['shapes'])}):")
    for line in rep["shapes"]:
        p("  " + line)
    p("new enums:")
    for k, v in sorted(rep["enums"].items()):
        p(f"  {k}: {v}")
    p("constraints applied:")
    for k, v in sorted(rep["constraints"].items()):
        p(f"  {k}: {v}")
    for name in CONSTRAINTS_NONE_DOCUMENTED:
        if name in rep["shapes"] or any(x.startswith(name + " ") for x in rep["shapes"]):
            p(f"  {name}: none (the API Reference documents no range)")
    p("unresolved:")
    for line in rep["unresolved"] + rep["naming"]:
        p("  " + line)
    p("notes:")
    for line in rep["notes"]:
        p("  " + line)
    p("checks: " + ("all shape references resolve" if not problems else f"{len(problems)} problems"))
    for line in problems:
        p("  " + line)
    p("SDK coverage: " + ("every SDK operation, shape, member, error, required list and enum is in the model"
                          if not coverage else f"{len(coverage)} differences"))
    for line in coverage:
        p("  " + line)
    json.load(open(args.out, encoding="utf-8"))
    p("json: loads")
    p(botocore_check(args.out))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
