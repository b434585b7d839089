#!/usr/bin/env python3
"""Brings models/kinesis-2013-12-02.json up to AWS's current Kinesis API.

    python3 tools/update_kinesis_model.py [--js-sdk DIR] [--out FILE]

botocore's model (what the file held first: botocore 1.43.11) lags AWS's API. The AWS SDK for
JavaScript v3 publishes newer shapes: @aws-sdk/client-kinesis (tests/e2e/js pins the version)
carries every operation, structure, required member, enum and exception, but no length,
pattern or range constraints. This script adds to the model what the SDK has and the model
lacks, and nothing else: new operations with their errors (from each command's @throws list),
new structures and members (appended in the SDK's order), members no longer required, new
enums and exceptions. Existing shapes keep their constraints and documentation. Constraints of
new shapes that the emulator checks come from the table below (AWS's Kinesis API Reference).

The SDK's schema module is evaluated by Node.js (it is plain data) after its imports are cut,
since dist-es imports without file extensions. Running it again changes nothing.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "models", "kinesis-2013-12-02.json")
JS_SDK = os.path.join(ROOT, "tests", "e2e", "js", "node_modules", "@aws-sdk", "client-kinesis")

# Shape names for new members whose SDK type is a plain scalar. A string member with an enum of
# its own name gets that enum; these are the ones whose enum or shape has another name.
MEMBER_SHAPES = {
    ("ChannelEncryptionConfiguration", "EncryptionType"): "ChannelEncryptionType",
    ("ChannelEncryptionConfiguration", "KeyId"): "KeyId",
    ("PartitionField", "Transform"): "PartitionTransform",
}
# Members that reuse an existing shape of the same name wherever they appear.
SHARED = {"StreamARN", "StreamId", "NextToken", "StreamName", "KeyId"}
SCALARS = {0: "string", 1: "integer", 2: "boolean", 4: "timestamp", 21: "blob"}
SCALAR_SHAPES = {"boolean": "BooleanObject", "timestamp": "Timestamp"}
# Constraints of new shapes, from AWS's Kinesis API Reference (docs.aws.amazon.com/kinesis/
# latest/APIReference): API_UpdateStreamRecordDistributionStrategy.html gives StreamARN (the
# existing StreamARN shape) and the RecordDistributionStrategy enum, which the SDK carries too.
CONSTRAINTS = {}

DUMP = r"""
import * as S from "./schemas.mjs";
import * as E from "./enums.mjs";
const deref = (t) => (typeof t === "function" ? t() : t);
function type(t) {
  t = deref(t);
  if (Array.isArray(t) && t.length === 2 && typeof t[0] === "function") t = deref(t[0]);
  if (Array.isArray(t)) return { ref: t[2], kind: t[0] };
  if (t === (64 | 0)) return { list: 0 };
  if (t === (128 | 0)) return { map: 0 };
  if (t === "unit") return { unit: true };
  return { scalar: t };
}
const out = { operations: {}, structures: {}, lists: {}, errors: {}, enums: {} };
for (const v of Object.values(S)) {
  if (!Array.isArray(v)) continue;
  const [kind, , name] = v;
  if (kind === 9) out.operations[name] = { input: type(v[4]), output: type(v[5]) };
  if (kind === 3 || kind === -3) {
    const required = v[6] ?? 0;
    const members = v[4].map((m, i) => ({ name: m, type: type(v[5][i]), required: i < required }));
    if (kind === 3) out.structures[name] = members;
    else out.errors[name] = { fault: v[3]?.error ?? "client", members };
  }
}
for (const [name, values] of Object.entries(E)) out.enums[name] = Object.values(values);
console.log(JSON.stringify(out));
"""


def sdk_dump(js_sdk):
    """The SDK's operations, structures, errors and enums, as plain JSON (through Node.js)."""
    schemas = os.path.join(js_sdk, "dist-es", "schemas", "schemas_0.js")
    enums = os.path.join(js_sdk, "dist-es", "models", "enums.js")
    with tempfile.TemporaryDirectory() as tmp:
        text = open(schemas, encoding="utf-8").read()
        text = re.sub(r"^import .*$", "", text, flags=re.M)
        text = re.sub(r"new TypeRegistry\([^)]*\)", "({ registerError() {} })", text)
        text = re.sub(r"^(\w+_registry\.registerError\(.*)$", r"// \1", text, flags=re.M)
        # Lists reach the dump as their element type.
        text += "\nexport const __lists = {" + ",".join(
            f'"{n}": {n}' for n in re.findall(r"^var (\w+) = \[1, ", text, flags=re.M)) + "};\n"
        open(os.path.join(tmp, "schemas.mjs"), "w", encoding="utf-8").write(text)
        open(os.path.join(tmp, "enums.mjs"), "w", encoding="utf-8").write(
            open(enums, encoding="utf-8").read())
        open(os.path.join(tmp, "dump.mjs"), "w", encoding="utf-8").write(DUMP + LISTS_DUMP)
        res = subprocess.run(["node", "dump.mjs"], cwd=tmp, capture_output=True, text=True,
                             check=True)
    return json.loads(res.stdout.splitlines()[-1])


LISTS_DUMP = r"""
const lists = {};
for (const [name, v] of Object.entries(S.__lists ?? {})) lists[name] = type(v[4]);
console.log(JSON.stringify(Object.assign(out, { lists })));
"""


def command_errors(js_sdk, operation):
    path = os.path.join(js_sdk, "dist-types", "commands", f"{operation}Command.d.ts")
    text = open(path, encoding="utf-8").read()
    names = re.findall(r"@throws \{@link (\w+)\} \(", text)
    return [n for n in names if n != "KinesisServiceException"]


class Merger:
    def __init__(self, model, sdk, js_sdk):
        self.model, self.sdk, self.js_sdk = model, sdk, js_sdk
        self.shapes = model["shapes"]
        self.added = []

    def note(self, text):
        self.added.append(text)

    def shape_for(self, owner, member, t):
        """The model's shape name for a member of SDK type `t`, made if needed."""
        if "ref" in t:
            name = t["ref"]
            if name not in self.shapes:
                if name in self.sdk["structures"]:
                    self.add_structure(name)
                elif name in self.sdk["lists"]:
                    self.add_list(name)
            return name
        if "list" in t:
            return self.scalar_shape(owner, member, 0, in_list=True)
        if "map" in t:
            return "TagMap"
        return self.scalar_shape(owner, member, t["scalar"])

    def scalar_shape(self, owner, member, code, in_list=False):
        kind = SCALARS[code]
        if kind in SCALAR_SHAPES and not in_list:
            return SCALAR_SHAPES[kind]
        name = MEMBER_SHAPES.get((owner, member))
        if name is None and member in SHARED:
            name = member
        if name is None and kind == "string" and member in self.sdk["enums"]:
            name = member
        if name is None:
            name = member if member not in self.shapes or self.shapes[member]["type"] == kind \
                else owner + member
        if in_list:
            element = name
            name = name + "List"
            if element not in self.shapes:
                self.shapes[element] = {"type": kind}
            if name not in self.shapes:
                self.shapes[name] = {"type": "list", "member": {"shape": element}}
                self.note(f"shape {name} (list of {element})")
            return name
        if name not in self.shapes:
            shape = {"type": kind}
            if kind == "string" and name in self.sdk["enums"]:
                shape["enum"] = self.sdk["enums"][name]
            shape.update(CONSTRAINTS.get(name, {}))
            self.shapes[name] = shape
            self.note(f"shape {name} ({kind}{', enum' if 'enum' in shape else ''})")
        return name

    def add_list(self, name):
        element = self.sdk["lists"][name]
        self.shapes[name] = {"type": "list", "member": {"shape": None}}
        self.shapes[name]["member"]["shape"] = self.shape_for(name, name, element)
        self.note(f"shape {name} (list)")

    def add_structure(self, name, exception=None):
        members = self.sdk["structures"][name] if exception is None else exception["members"]
        shape = {"type": "structure", "members": {}}
        self.shapes[name] = shape
        required = [m["name"] for m in members if m["required"]]
        if required:
            shape["required"] = required
        if exception is not None:
            # As every Kinesis exception of the model: a message, a 400 unless a server fault.
            shape.pop("required", None)
            shape["members"] = {"message": {"shape": "ErrorMessage"}}
            shape["exception"] = True
            if exception["fault"] == "server":
                shape["fault"] = True
        else:
            for m in members:
                shape["members"][m["name"]] = {"shape": self.shape_for(name, m["name"], m["type"])}
        self.note(f"shape {name} (structure{', exception' if exception else ''})")

    def update_structure(self, name, members):
        shape = self.shapes[name]
        required = set(shape.get("required", []))
        for m in members:
            if m["name"] not in shape["members"]:
                shape["members"][m["name"]] = {"shape": self.shape_for(name, m["name"], m["type"])}
                self.note(f"member {name}.{m['name']}")
            if m["name"] in required and not m["required"]:
                shape["required"].remove(m["name"])
                self.note(f"member {name}.{m['name']} no longer required")
            elif m["required"] and m["name"] not in required:
                shape.setdefault("required", []).append(m["name"])
                self.note(f"member {name}.{m['name']} now required")
        if "required" in shape and not shape["required"]:
            del shape["required"]

    def run(self):
        for name, exception in sorted(self.sdk["errors"].items()):
            if name not in self.shapes and name != "KinesisServiceException":
                self.add_structure(name, exception)
        for name, members in sorted(self.sdk["structures"].items()):
            if name in self.shapes:
                self.update_structure(name, members)
        for name, op in sorted(self.sdk["operations"].items()):
            if name in self.model["operations"]:
                continue
            entry = {"name": name, "http": {"method": "POST", "requestUri": "/"},
                     "input": {"shape": self.shape_for(name, "input", op["input"])}}
            if "ref" in op["output"]:
                entry["output"] = {"shape": self.shape_for(name, "output", op["output"])}
            entry["errors"] = [{"shape": e} for e in command_errors(self.js_sdk, name)]
            self.model["operations"][name] = entry
            self.note(f"operation {name}")
        for name, shape in self.shapes.items():
            for member in shape.get("members", {}).values():
                if member["shape"] not in self.shapes:
                    raise SystemExit(f"{name} refers to a missing shape {member['shape']}")
        return self.added


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--js-sdk", default=JS_SDK, help="an installed @aws-sdk/client-kinesis")
    ap.add_argument("--model", default=MODEL, help="the model to bring up to date")
    ap.add_argument("--out", default=MODEL)
    args = ap.parse_args()
    version = json.load(open(os.path.join(args.js_sdk, "package.json")))["version"]
    model = json.load(open(args.model, encoding="utf-8"))
    added = Merger(model, sdk_dump(args.js_sdk), args.js_sdk).run()
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(model, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"@aws-sdk/client-kinesis {version}: {len(model['operations'])} operations; "
          f"{len(added)} additions")
    for line in added:
        print("  " + line)


if __name__ == "__main__":
    sys.exit(main())
