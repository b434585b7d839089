#!/usr/bin/env python3
"""Run the kinesis-emulator end-to-end suite.

    python3 tests/e2e/run_e2e.py [-k PATTERN] [--bin PATH] [-q]

Equivalent to `python3 -m unittest discover -s tests/e2e -p 'test_*.py' -v` from the repo root,
plus a closing "N passed, N failed, N skipped" line. The binary comes from --bin, else env
KINESIS_EMULATOR_BIN, else build/kinesis-emulator in the repository. Exit status 0 only if all passed.
"""

import argparse
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", help="path of the kinesis-emulator binary")
    ap.add_argument("-k", action="append", dest="patterns", default=None,
                    help="only run tests whose name matches this substring/pattern")
    ap.add_argument("-q", "--quiet", action="store_true")
    ap.add_argument("-f", "--failfast", action="store_true")
    ap.add_argument("--durations", type=int, default=0, metavar="N",
                    help="print the N slowest tests")
    args = ap.parse_args()
    if args.bin:
        os.environ["KINESIS_EMULATOR_BIN"] = os.path.abspath(args.bin)
    if HERE not in sys.path:
        sys.path.insert(0, HERE)

    loader = unittest.TestLoader()
    if args.patterns:
        loader.testNamePatterns = [p if "*" in p else f"*{p}*" for p in args.patterns]
    suite = loader.discover(start_dir=HERE, pattern="test_*.py", top_level_dir=HERE)
    runner = unittest.TextTestRunner(verbosity=1 if args.quiet else 2, failfast=args.failfast,
                                     resultclass=CountingResult)
    start = time.monotonic()
    result = runner.run(suite)
    outcomes = result.outcomes
    failed = sum(1 for v in outcomes.values() if v == "failed")
    skipped = sum(1 for v in outcomes.values() if v == "skipped")
    passed = sum(1 for v in outcomes.values() if v == "passed")
    if args.durations:
        print("slowest tests:")
        for tid, secs in sorted(result.durations_.items(), key=lambda kv: -kv[1])[:args.durations]:
            print(f"  {secs:6.2f}s  {tid}")
    print(f"elapsed {time.monotonic() - start:.1f}s")
    print(f"e2e: {passed} passed, {failed} failed, {skipped} skipped")
    return 0 if result.wasSuccessful() and result.testsRun > 0 else 1


class CountingResult(unittest.TextTestResult):
    """Outcome per test id (class/module set-up errors count as one failure each)."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.outcomes = {}
        self.durations_ = {}
        self._t0 = None

    def startTest(self, test):
        self._t0 = time.monotonic()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        if self._t0 is not None:
            self.durations_[test.id()] = time.monotonic() - self._t0

    def _set(self, test, outcome):
        key = test.id()
        if self.outcomes.get(key) != "failed":
            self.outcomes[key] = outcome

    def addSuccess(self, test):
        super().addSuccess(test)
        self._set(test, "passed")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._set(test, "failed")

    def addError(self, test, err):
        super().addError(test, err)
        self._set(test, "failed")

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._set(test, "skipped")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._set(test, "failed")

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._set(test, "passed")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self.outcomes[test.id()] = "failed"

if __name__ == "__main__":
    sys.exit(main())
