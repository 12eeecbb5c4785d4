#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every translatable string of the tree is translated in every language.

Builds a template from po/POTFILES.in with xgettext, using the keywords and
flags of meson's glib preset (what `meson compile okno-pot` uses), then for
each language in po/LINGUAS:
  - msgfmt --check --statistics must report no fuzzy and no untranslated
    messages (and no format or header errors);
  - msgcmp must find every msgid of the template in the .po file.

usage: check_translations.py SOURCE_ROOT [--write-pot PATH]
(--write-pot also saves the template, for msgmerge by hand.)
"""
import os
import re
import subprocess
import sys
import tempfile

# meson's i18n glib preset, plus the printf-like GLib functions.
GLIB_PRESET = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format', '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format', '--flag=g_snprintf:3:c-format',
    '--flag=g_prefix_error:2:c-format',
]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def main():
    root = sys.argv[1]
    po_dir = os.path.join(root, 'po')
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'okno.pot')
        r = run(['xgettext', '--package-name=okno', '--files-from=po/POTFILES.in',
                 '--directory=' + root, '--output=' + pot] + GLIB_PRESET, cwd=root)
        if r.returncode != 0:
            print('xgettext failed:\n' + r.stderr)
            return 1
        if r.stderr.strip():
            print(r.stderr.strip())
        if '--write-pot' in sys.argv:
            import shutil
            shutil.copy(pot, sys.argv[sys.argv.index('--write-pot') + 1])
        n_msgids = 0
        if os.path.exists(pot):
            with open(pot, encoding='utf-8') as f:
                n_msgids = sum(1 for line in f if line.startswith('msgid ')) - 1
        print(f'template: {n_msgids} messages')

        with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
            langs = [w for line in f for w in line.split('#')[0].split()]
        if not langs:
            problems.append('po/LINGUAS names no language')
        for lang in langs:
            po = os.path.join(po_dir, lang + '.po')
            if not os.path.exists(po):
                problems.append(f'po/{lang}.po is missing')
                continue
            r = run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po],
                    env=dict(os.environ, LC_ALL='C', LANGUAGE='C'))
            stats = (r.stderr or '').strip()
            print(f'{lang}: {stats}')
            if r.returncode != 0:
                problems.append(f'msgfmt --check failed for po/{lang}.po')
            if re.search(r'\b(fuzzy|untranslated)\b', stats):
                problems.append(f'po/{lang}.po has fuzzy or untranslated messages: {stats}')
            if n_msgids > 0:
                r = run(['msgcmp', po, pot], env=dict(os.environ, LC_ALL='C', LANGUAGE='C'))
                if r.returncode != 0:
                    problems.append(f'po/{lang}.po lacks messages of the template:\n'
                                    + r.stderr.strip())
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
