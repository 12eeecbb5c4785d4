#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""After a completed download, Okno starts without its server: the sign-in
page opens at once on the replica, a login never seen online here and a
wrong password are refused with clear messages, and the right password
signs in OFFLINE (the header says so); a search by number still finds the
client."""
import os

from okno_e2e import (Crawler, check, find_in_app, log, replica_ready, run, search, sign_in,
                      sign_in_again, sign_in_message, text_of, wait_for_download, wait_for_row)


def body(s):
    url = s.start_central(accounts=2000, seed=23)
    accounts = s.api().accounts()
    account = accounts[len(accounts) // 2]
    log('will look for account %s' % account['number'])

    s.start_app()
    crawler = Crawler(s)
    sign_in(s, url, 'clerk', 'clerk', crawler)
    results = search(s, account['number'])
    wait_for_row(results, account['number'], 'account %s before the restart' % account['number'])

    s.quit_app()
    s.stop_central()
    log('server stopped; starting okno again on the same replica')
    check(os.path.exists(s.env['OKNO_REPLICA']), 'no replica at %s' % s.env['OKNO_REPLICA'])
    check(replica_ready(s.env['OKNO_REPLICA']), 'the replica is not marked ready after the download')

    s.start_app()
    login = find_in_app(s, 'text', 'Login')
    check(text_of(login) == 'clerk', 'the login field holds %r, not the last user "clerk"'
          % text_of(login))
    crawler.visit('sign-in page, later start')

    sign_in_again(s, 'supervisor', login='supervisor')
    sign_in_message(s, 'Sign in online once on this desktop first')
    log('a login never seen online is refused offline')

    sign_in_again(s, 'not-the-password', login='clerk')
    sign_in_message(s, 'The password is wrong')
    log('a wrong password is refused offline')
    s.screenshot('offline-wrong-password')

    sign_in_again(s, 'clerk')
    wait_for_download(s, crawler)
    find_in_app(s, 'label', 'Signed in offline')
    crawler.visit('main view, offline')
    results = search(s, account['number'])
    wait_for_row(results, account['number'], 'account %s with the server down' % account['number'])
    log('found %s offline' % account['number'])
    s.screenshot('offline')
    crawler.fail_if_any()


run('offline_restart', body)
