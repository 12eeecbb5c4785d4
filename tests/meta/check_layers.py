#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The layers point one way: core <- store <- sync <- app. The server and
the command line link the lower layers only; the demo data generator
(demo) links core only, and the server may use it. The include paths
already make a wrong-way include fail to compile; this names the
offending line.

usage: check_layers.py SOURCE_ROOT
"""
import os
import re
import sys

# What each folder under src/ may include from the others.
ALLOWED = {
    'core': {'core'},
    'store': {'core', 'store'},
    'sync': {'core', 'store', 'sync'},
    'app': {'core', 'store', 'sync', 'app'},
    'demo': {'core', 'demo'},
    'central': {'core', 'store', 'demo', 'central'},
    'cli': {'core', 'store', 'sync', 'cli'},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def main():
    src = os.path.join(sys.argv[1], 'src')
    owner = {}
    for layer in ALLOWED:
        for name in os.listdir(os.path.join(src, layer)):
            if name.endswith('.h'):
                owner.setdefault(name, set()).add(layer)
    problems = []
    for layer, allowed in ALLOWED.items():
        for name in sorted(os.listdir(os.path.join(src, layer))):
            if not name.endswith(('.c', '.h')):
                continue
            with open(os.path.join(src, layer, name), encoding='utf-8') as f:
                for n, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    homes = owner.get(os.path.basename(m.group(1)), set())
                    if homes and not homes & allowed:
                        problems.append('src/%s/%s:%d includes %s from %s' % (
                            layer, name, n, m.group(1), ', '.join(sorted(homes))))
    for p in problems:
        print(p)
    if problems:
        return 1
    print('layers: %d folders, every include points down' % len(ALLOWED))
    return 0


if __name__ == '__main__':
    sys.exit(main())
