#!/usr/bin/python3
"""After a completed download, Okno starts without its server: the main view
comes up from the replica and a search by number still finds the client."""
import os

from okno_e2e import (Crawler, check, log, replica_ready, run, search, sign_in,
                      wait_for_download, wait_for_row)


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
    wait_for_download(s, crawler)
    crawler.visit('main view, offline')
    results = search(s, account['number'])
    wait_for_row(results, account['number'], 'account %s with the server down' % account['number'])
    log('found %s offline' % account['number'])
    s.screenshot('offline')
    crawler.fail_if_any()


run('offline_restart', body)
