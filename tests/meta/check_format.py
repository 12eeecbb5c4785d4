#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every C file follows the repository's .clang-format.

usage: check_format.py SOURCE_ROOT CLANG_FORMAT
"""
import os
import subprocess
import sys


def main():
    root, clang_format = sys.argv[1], sys.argv[2]
    files = []
    for top in ('src', 'tests'):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            files += [os.path.join(dirpath, n) for n in sorted(names) if n.endswith(('.c', '.h'))]
    r = subprocess.run([clang_format, '--dry-run', '--Werror', '--style=file'] + files,
                       capture_output=True, text=True, cwd=root)
    if r.returncode != 0:
        bad = sorted({line.split(':')[0] for line in r.stderr.splitlines() if ': error:' in line})
        print('not formatted (run clang-format -i): ' + ' '.join(bad))
        return 1
    print('%d C files formatted' % len(files))
    return 0


if __name__ == '__main__':
    sys.exit(main())
