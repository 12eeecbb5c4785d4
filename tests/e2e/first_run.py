#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""First run: sign in, download, find a client by number, identify, check the
balance against the server, find the same client by surname."""
import random

from okno_e2e import (Crawler, activate_row, check, find_balance, find_in_app, format_money_c,
                      log, press, run, search, sign_in, text_of, wait_for, wait_for_row)

SEED = 11


def pick_account(accounts):
    """A household in debt of over 1,000 roubles (a minus sign and a thousands
    separator to format) whose surname is rarest in the dataset, so that the
    search by surname lists few rows and the account is among those a list
    view has on screen."""
    rng = random.Random(SEED)
    candidates = [a for a in accounts if a['kind'] == 'household' and a['balance_kop'] < -100000]
    check(candidates, 'the generated dataset has no household in debt over 1,000 roubles')
    rng.shuffle(candidates)

    def frequency(account):
        word = account['holder'].split()[0].lower()
        return sum(1 for a in accounts
                   if word in a['holder'].lower() or word in a['address'].lower())
    return min(candidates[:200], key=frequency)


def body(s):
    url = s.start_central(accounts=2000, seed=SEED)
    accounts = s.api().accounts()
    check(len(accounts) == 2000, 'the server holds %d accounts, not 2000' % len(accounts))
    account = pick_account(accounts)
    log('picked account %s (%s), balance %d kop' % (account['number'], account['holder'],
                                                     account['balance_kop']))

    s.start_app()
    crawler = Crawler(s)
    sign_in(s, url, 'clerk', 'clerk', crawler)
    crawler.visit('main view')

    # By number.
    results = search(s, account['number'])
    row = wait_for_row(results, account['number'], 'account %s in the results' % account['number'])
    crawler.visit('main view with results')
    activate_row(row)

    press(find_in_app(s, 'push button', 'Confirm Identity'))
    crawler.visit('identification dialog')
    press(find_in_app(s, 'push button', 'Confirm'))

    expected = format_money_c(account['balance_kop'])
    balance = find_balance(s)
    try:
        shown = wait_for(lambda: text_of(balance) == expected and text_of(balance),
                         'the balance to read %r' % expected, timeout=30)
    except Exception:
        check(False, 'the card shows balance %r; the server says %d kop = %r'
              % (text_of(balance), account['balance_kop'], expected))
    log('balance on the card: %r' % shown)
    crawler.visit('client card, identified')
    s.screenshot('identified-card')

    # By surname: the holder's first word.
    surname = account['holder'].split()[0]
    results = search(s, surname)
    wait_for_row(results, account['number'], 'account %s among the results for %r'
                 % (account['number'], surname))
    log('found %s by surname %r' % (account['number'], surname))
    crawler.fail_if_any()


run('first_run', body)
