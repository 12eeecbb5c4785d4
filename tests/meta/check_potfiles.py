#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""po/POTFILES.in lists exactly the files that hold translatable strings.

Fails when a C source under src/ that calls _(), N_(), C_() or NC_(), a .ui
file with translatable="yes", or a desktop/metainfo/schema file under data/
is missing from POTFILES.in, or when POTFILES.in lists a file that does not
exist.

usage: check_potfiles.py SOURCE_ROOT [--write]
(--write rewrites POTFILES.in from the tree, keeping its leading comments.)
"""
import os
import re
import sys

C_MARK = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_|g_dngettext|ngettext)\s*\(')
UI_MARK = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"')
DATA_SUFFIXES = ('.desktop.in', '.desktop.in.in', '.metainfo.xml.in',
                 '.metainfo.xml.in.in', '.appdata.xml.in', '.gschema.xml',
                 '.gschema.xml.in')


def strip_c_comments_and_strings(text):
    """Drops comments and string literals so `_(` in a comment does not count."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            i = n if j < 0 else j + 2
            out.append(' ')
        elif text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def translatable_files(root):
    found = set()
    for top in ('src', 'ui', 'data'):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = [d for d in dirnames if not d.startswith('.')]
            for name in filenames:
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                if name.endswith(('.c', '.h')):
                    with open(path, encoding='utf-8', errors='replace') as f:
                        if C_MARK.search(strip_c_comments_and_strings(f.read())):
                            found.add(rel)
                elif name.endswith('.ui'):
                    with open(path, encoding='utf-8', errors='replace') as f:
                        if UI_MARK.search(f.read()):
                            found.add(rel)
                elif top == 'data' and name.endswith(DATA_SUFFIXES):
                    found.add(rel)
    return found


def listed_files(root):
    listed = []
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                listed.append(line)
    return listed


def write(root):
    path = os.path.join(root, 'po', 'POTFILES.in')
    with open(path, encoding='utf-8') as f:
        header = [line for line in f if line.startswith('#')]
    with open(path, 'w', encoding='utf-8') as f:
        f.writelines(header)
        f.writelines(rel + '\n' for rel in sorted(translatable_files(root)))


def main():
    root = sys.argv[1]
    if '--write' in sys.argv:
        write(root)
    problems = []
    listed = listed_files(root)
    for rel in listed:
        if not os.path.isfile(os.path.join(root, rel)):
            problems.append(f'po/POTFILES.in lists {rel}, which does not exist')
    if len(set(listed)) != len(listed):
        problems.append('po/POTFILES.in lists a file twice')
    for rel in sorted(translatable_files(root) - set(listed)):
        problems.append(f'{rel} has translatable strings but is missing from po/POTFILES.in')
    for p in problems:
        print(p)
    print(f'{len(listed)} files listed, {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
