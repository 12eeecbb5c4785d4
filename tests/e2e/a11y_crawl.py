#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every page a clerk reaches, crawled: sign-in, download, main view with
results, the client card after identification, Preferences and About. Any
interactive control without a real name fails the test."""
import re

from okno_e2e import (Crawler, KEY_ESCAPE, activate_row, check, children, find_all, find_balance,
                      find_in_app, log, name, press, press_key, role, run, search, sign_in,
                      wait_for, wait_for_row)


def windows(s):
    return [w for w in children(s.app) if role(w) in ('frame', 'window', 'dialog')]


def open_from_menu(s, item_re, title_re):
    """Opens a window from the primary menu ("Main Menu"), as a clerk does.
    A missing menu or menu item fails the test: a clerk could not reach the
    window, whatever the application action behind it does."""
    n_before = len(windows(s))
    menus = find_all(s.app, ('push button', 'toggle button'), 'Main Menu', showing=True)
    check(menus, 'the window has no "Main Menu" button')
    press(menus[0])
    press(find_in_app(s, 'menu item', name_re=item_re, timeout=15))
    return wait_for(lambda: len(windows(s)) > n_before and next(
        (w for w in windows(s) if re.search(title_re, name(w))), None),
        'a window titled /%s/' % title_re)


def close_window(s, window):
    n = len(windows(s))
    press_key(KEY_ESCAPE)
    try:
        wait_for(lambda: len(windows(s)) < n, 'the %r window to close' % name(window), timeout=10)
    except Exception:
        close = [b for b in find_all(window, 'push button', 'Close')]
        check(close, 'cannot close the %r window' % name(window))
        press(close[0])
        wait_for(lambda: len(windows(s)) < n, 'the %r window to close' % name(window))


def body(s):
    url = s.start_central(accounts=2000, seed=31)
    account = s.api().accounts()[7]

    s.start_app()
    crawler = Crawler(s)
    sign_in(s, url, 'clerk', 'clerk', crawler)
    crawler.visit('main view')

    results = search(s, account['number'])
    row = wait_for_row(results, account['number'], 'account %s' % account['number'])
    crawler.visit('main view with results')
    activate_row(row)
    find_in_app(s, 'push button', 'Confirm Identity')
    crawler.visit('client card before identification')
    press(find_in_app(s, 'push button', 'Confirm Identity'))
    find_in_app(s, 'push button', 'Confirm')
    crawler.visit('identification dialog')
    press(find_in_app(s, 'push button', 'Confirm'))
    find_balance(s)
    crawler.visit('client card, identified')

    prefs = open_from_menu(s, r'^Preferences$', r'(?i)preferences')
    log('preferences window: %r' % name(prefs))
    crawler.visit('preferences window')
    s.screenshot('preferences')
    close_window(s, prefs)

    about = open_from_menu(s, r'^About', r'(?i)about')
    log('about window: %r' % name(about))
    crawler.visit('about window')
    s.screenshot('about')
    close_window(s, about)

    check(len(crawler.pages) >= 8, 'the crawl reached only %s' % crawler.pages)
    crawler.fail_if_any()


run('a11y_crawl', body)
