#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shell scripts and the Python test scripts at least parse, the shell
scripts are executable, and the package list they share and the list of
expected tests are well formed.

usage: check_scripts.py SOURCE_ROOT
"""
import os
import py_compile
import subprocess
import sys
import tempfile

SCRIPTS = ['build-aux/demo', 'build-aux/test', 'build-aux/install-packages', '.ci/run',
           'tests/bench/search-1m.sh', 'tests/bench/download-1m.sh', 'tests/fuzz/run-fuzz.sh',
           'tests/app/run-with-keyring.sh', 'tests/common/make-test-certs.sh']
# Folders whose Python files the tests run (and tests/common, which they
# import).
PYTHON_DIRS = ['tests/e2e', 'tests/unit', 'tests/common', 'tests/central', 'tests/meta']
TAGS = {'build', 'test'}


def main():
    root = sys.argv[1]
    problems = []
    for rel in SCRIPTS:
        path = os.path.join(root, rel)
        if not os.path.isfile(path):
            problems.append(f'{rel} is missing')
            continue
        if not os.access(path, os.X_OK):
            problems.append(f'{rel} is not executable')
        r = subprocess.run(['bash', '-n', path], capture_output=True, text=True)
        if r.returncode != 0:
            problems.append(f'{rel} does not parse: {r.stderr.strip()}')

    with open(os.path.join(root, 'build-aux', 'packages.txt'), encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            words = line.split('#')[0].split()
            if not words:
                continue
            if len(words) not in (2, 3) or words[1] not in TAGS:
                problems.append(f'build-aux/packages.txt:{n}: expected "NAME TAG [COMMAND]"')

    # build-aux/test counts a test of this list that a run lacks as failed:
    # a malformed line would silently expect nothing.
    builds = {'build-test', 'build-asan', 'build-fuzz'}
    with open(os.path.join(root, 'build-aux', 'expected-tests.txt'), encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            words = line.split('#')[0].split()
            if words and (len(words) != 2 or words[0] not in builds):
                problems.append(f'build-aux/expected-tests.txt:{n}: expected "BUILD NAME", '
                                f'BUILD one of {", ".join(sorted(builds))}')

    with tempfile.TemporaryDirectory() as tmp:
        for rel in PYTHON_DIRS:
            folder = os.path.join(root, rel)
            for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
                if name.endswith('.py'):
                    try:
                        py_compile.compile(os.path.join(folder, name),
                                           cfile=os.path.join(tmp, name + 'c'), doraise=True)
                    except py_compile.PyCompileError as e:
                        problems.append(f'{rel}/{name}: {e.msg}')
    for p in problems:
        print(p)
    print(f'{len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
