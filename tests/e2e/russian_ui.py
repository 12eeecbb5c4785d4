#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""With LANGUAGE=ru the whole counter flow is Russian: sign-in, download,
search, client card, identification. Every name and text the accessibility
tree shows on those pages is checked against po/ru.po: an English source
string that has a Russian translation must never be on screen."""
import os

from okno_e2e import activate_row, check, find_in_app, press, run, set_text, wait_for_row
from okno_ru import ENGLISH, check_russian, tr


def body(s):
    check(len(ENGLISH) > 150, 'only %d English strings in po/ru.po' % len(ENGLISH))
    url = s.start_central(accounts=1000, seed=31)
    account = s.api().accounts()[17]

    s.start_app(env_extra={'LANGUAGE': 'ru', 'OKNO_LOCALEDIR': os.environ['OKNO_LOCALEDIR']})
    server = find_in_app(s, 'text', tr('Server address'))
    check_russian(s, 'sign-in page')
    set_text(server, url)
    set_text(find_in_app(s, 'text', tr('Login')), 'clerk')
    set_text(find_in_app(s, 'password text', tr('Password')), 'clerk')
    press(find_in_app(s, 'push button', tr('Sign In')))

    # The main view, found by its Russian name.
    find_in_app(s, 'entry', tr('Search clients'), timeout=120)
    check_russian(s, 'main view')

    entry = find_in_app(s, 'entry', tr('Search clients'))
    set_text(entry, account['number'])
    results = find_in_app(s, None, tr('Search results'))
    activate_row(wait_for_row(results, account['number'], 'account %s' % account['number']))
    check_russian(s, 'client card, masked')

    press(find_in_app(s, 'push button', tr('Confirm Identity')))
    check_russian(s, 'identification dialog')
    press(find_in_app(s, 'push button', tr('Confirm')))
    find_in_app(s, None, tr('Account balance'), timeout=30)
    check_russian(s, 'client card, identified')
    s.screenshot('russian-card')


run('russian_ui', body)
