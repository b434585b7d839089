"""The README's examples, run as a reader would paste them: every ```sh and ```python block, in
order, against one fresh server started with the default settings (real state delays, limits
on) and --tls, so that the TLS examples run too. A block preceded by `<!-- readme-test: skip (why) -->` is not run (set-up commands that
start servers or builds); the reason is required, so that skipping stays a decision.

`localhost:4567` in a block is replaced by the test server's address and the default data
directory `~/.local/share/kinesis-emulator` by the test server's; nothing else is changed."""

import os
import re
import subprocess
import sys
import unittest

from support import Server

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
README = os.path.join(ROOT, "README.md")
BLOCK_TIMEOUT = 120

FENCE_RE = re.compile(r"^```([A-Za-z0-9_-]*)\s*$")
SKIP_RE = re.compile(r"^<!--\s*readme-test:\s*skip\s*\((.+)\)\s*-->\s*$")


def readme_blocks(path=README):
    """[(line number, language, text, skip reason or None)] for every fenced block."""
    blocks, lines = [], open(path, encoding="utf-8").read().split("\n")
    i, pending_skip = 0, None
    while i < len(lines):
        skip = SKIP_RE.match(lines[i])
        if skip:
            pending_skip = skip.group(1)
            i += 1
            continue
        fence = FENCE_RE.match(lines[i])
        if fence:
            start, body = i + 1, []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            blocks.append((start, fence.group(1), "\n".join(body) + "\n", pending_skip))
            pending_skip = None
        elif lines[i].strip():
            pending_skip = None  # a skip marker covers only the block right after it
        i += 1
    return blocks


class ReadmeTest(unittest.TestCase):

    def test_blocks_parse(self):
        blocks = readme_blocks()
        runnable = [b for b in blocks if b[1] in ("sh", "python") and b[3] is None]
        self.assertGreaterEqual(len(runnable), 2, "the README should have runnable examples")
        for line, lang, _, skip in blocks:
            if lang in ("bash", "shell", "console", "py", "python3"):
                self.fail(f"README line {line}: use ```sh or ```python so the block is tested")

    def test_examples_work_when_pasted(self):
        server = Server(fast=False, extra_args=["--tls"])
        self.addCleanup(server.cleanup)
        server.start()
        address = f"127.0.0.1:{server.port}"
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("AWS_", "KINESIS_EMULATOR_"))}
        env["PYTHONUNBUFFERED"] = "1"
        for line, lang, text, skip in readme_blocks():
            if lang not in ("sh", "python") or skip is not None:
                continue
            code = text.replace("localhost:4567", address).replace("127.0.0.1:4567", address)
            code = code.replace("~/.local/share/kinesis-emulator", server.data_dir)
            if lang == "sh":
                cmd = ["bash", "-euo", "pipefail", "-c", code]
            else:
                cmd = [sys.executable, "-c", code]
            with self.subTest(line=line):
                res = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True,
                                     timeout=BLOCK_TIMEOUT)
                self.assertEqual(
                    res.returncode, 0,
                    f"README block at line {line} ({lang}) failed with {res.returncode}:\n"
                    f"{text}\nstdout:\n{res.stdout[-3000:]}\nstderr:\n{res.stderr[-3000:]}\n"
                    f"server stderr:\n{server.stderr_text()[-2000:]}")
        server.stop()


if __name__ == "__main__":
    unittest.main()
