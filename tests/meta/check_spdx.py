#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every source file of the tree says its licence in an SPDX header near its
top: C sources and headers, Python and shell scripts, meson files and the
GtkBuilder templates. COPYING holds the licence's text.

usage: check_spdx.py SOURCE_ROOT
"""
import os
import subprocess
import sys

TAG = 'SPDX-License-Identifier: GPL-3.0-or-later'
# Where a file has to say it: in its first few lines (after a shebang or an
# XML declaration).
HEAD_LINES = 3
SCRIPT_DIRS = ('build-aux/', '.ci/')
NO_HEADER = ('.txt', '.supp', '.md', '.json')


def needs_header(rel):
    base = os.path.basename(rel)
    if rel.startswith(('tests/fuzz/corpus', 'tests/data/', 'po/', 'docs/')):
        return False
    if rel.endswith(('.c', '.h', '.py', '.sh', '.ui')) or base in ('meson.build',
                                                                   'meson_options.txt'):
        return True
    if rel.endswith('.gresource.xml'):
        return True
    return rel.startswith(SCRIPT_DIRS) and not rel.endswith(NO_HEADER)


def source_files(root):
    """The files git tracks; outside a checkout (a source tarball), every
    file but the build folders."""
    try:
        listed = subprocess.run(['git', 'ls-files'], cwd=root, capture_output=True, text=True)
        if listed.returncode == 0 and listed.stdout:
            return listed.stdout.split()
    except OSError:
        pass
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(('build', '.git', 'node_modules'))]
        found += [os.path.relpath(os.path.join(folder, f), root) for f in files]
    return found


def main():
    root = sys.argv[1]
    problems = []
    checked = 0
    for rel in source_files(root):
        if not needs_header(rel):
            continue
        path = os.path.join(root, rel)
        if not os.path.isfile(path):
            continue
        with open(path, encoding='utf-8', errors='replace') as f:
            head = [f.readline() for _ in range(HEAD_LINES)]
        checked += 1
        if not any(TAG in line for line in head):
            problems.append(f'{rel}: no "{TAG}" in its first {HEAD_LINES} lines')
    if checked == 0:
        problems.append('no source file found')
    with open(os.path.join(root, 'COPYING'), encoding='utf-8') as f:
        if 'GNU GENERAL PUBLIC LICENSE' not in f.read(400):
            problems.append('COPYING does not hold the GPL text')
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f'spdx: {checked} files name their licence')
    return 0


if __name__ == '__main__':
    sys.exit(main())
