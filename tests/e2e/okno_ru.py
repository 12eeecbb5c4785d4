# SPDX-License-Identifier: GPL-3.0-or-later
"""The Russian catalogue for end-to-end tests: tr() gives the translation
okno shows for an English source string, and check_russian() fails when
anything showing still reads as an English source string."""
import os
import re

from okno_e2e import check, log, name, role, text_of, walk_showing

PO = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'po', 'ru.po')


def unquote(s):
    return s[1:-1].encode('utf-8').decode('unicode_escape').encode('latin-1').decode('utf-8')


def load_catalog(path):
    """msgid -> msgstr for the singular, non-fuzzy entries of a .po file."""
    catalog, msgid, msgstr, field = {}, None, None, None

    def flush():
        if msgid and msgstr:
            catalog[msgid] = msgstr
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('msgctxt'):
                flush()
                msgid = msgstr = field = None
            elif line.startswith('msgid '):
                if field == 'msgstr':
                    flush()
                msgid, msgstr, field = unquote(line[6:]), None, 'msgid'
            elif line.startswith('msgid_plural') or line.startswith('msgstr['):
                field = 'plural'
            elif line.startswith('msgstr '):
                msgstr, field = unquote(line[7:]), 'msgstr'
            elif line.startswith('"') and field == 'msgid':
                msgid += unquote(line)
            elif line.startswith('"') and field == 'msgstr':
                msgstr += unquote(line)
        if field == 'msgstr':
            flush()
    return catalog


def without_mnemonics(catalog):
    """Labels with mnemonics ("_Login") are shown, and named, without the
    underscore."""
    out = dict(catalog)
    for k, v in catalog.items():
        if '_' in k and '_' in v:
            out.setdefault(k.replace('_', ''), v.replace('_', ''))
    return out


CATALOG = without_mnemonics(load_catalog(PO))
# Source strings that are the same word in both languages, or so short that
# they stand inside other text (units, separators), are not evidence.
ENGLISH = {k for k, v in CATALOG.items() if k != v and re.search('[A-Za-z]{3}', k)}


def tr(english):
    check(english in CATALOG, 'po/ru.po has no translation of %r' % english)
    return CATALOG[english]


def english_on_screen(app):
    """Names and texts of what is showing that are still the English source."""
    found = []
    for node, _ in walk_showing(app):
        for text in (name(node), text_of(node) if role(node) == 'label' else ''):
            if text and text.strip() in ENGLISH:
                found.append('%s %r' % (role(node), text))
    return found


def check_russian(s, where):
    found = english_on_screen(s.app)
    check(not found, '%s shows English: %s' % (where, '; '.join(sorted(set(found)))))
    log('%s: Russian only' % where)
