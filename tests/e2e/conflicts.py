#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""An appeal's subject changed at two branches at once becomes a conflict
every branch receives. In okno, Needs attention lists it with both values;
the clerk keeps the other branch's value from the keyboard (Tab to the
button, Enter; the harness's focus() would fall back to a mouse click). The
conflict leaves the list and the header at once, the app syncs, and on the
server the conflict is settled and the appeal holds the value kept.

Then in Russian (LANGUAGE=ru, after a restart): a status conflict, which
offers only the two values, and a text conflict, whose Combine… dialog holds
both texts. Nothing on screen is left in English; keeping the server's
status settles that conflict and the header counts one left."""
import os
import uuid

from okno_e2e import (KEY_ESCAPE, KEY_R, KEY_RETURN, Api, Crawler, check, find_all, find_in_app,
                      log, press, press_ctrl, press_key, run, set_text, sign_in, states,
                      text_of, wait_for)
from okno_ru import check_russian, tr

import pyatspi

KEY_TAB = 0xff09
OTHER = 'Перерасчёт за ноябрь — просьба филиала Б'
FIRST = 'Перерасчёт за октябрь — правка филиала А'


def branch(url, device):
    """A REST client signed in as another branch's clerk."""
    api = Api(url)
    answer = api.request('POST', '/session', {'login': 'clerk', 'password': 'clerk',
                                              'device_id': device})
    api.token = answer['access_token']
    return api


def push_field(api, device, appeal, field, old, new):
    answer = api.request('POST', '/mutations', {'device_id': device, 'mutations': [{
        'mutation_id': str(uuid.uuid4()), 'seq': 1, 'collection': 'appeals', 'op': 'patch',
        'key': appeal, 'base_version': 1,
        'data': {field: {'from': old, 'to': new}}}]})
    return answer['results'][0]


def push_subject(api, device, appeal, old, new):
    return push_field(api, device, appeal, 'subject', old, new)


def raise_conflict(branches, appeal, field, first, other):
    (a, device_a), (b, device_b) = branches
    old = appeal[field]
    check(push_field(a, device_a, appeal['id'], field, old, first)['status'] == 'applied',
          'branch A could not change the %s' % field)
    result = push_field(b, device_b, appeal['id'], field, old, other)
    check(result['status'] == 'conflict', 'branch B got %r, not a conflict' % result)


def rows(api, collection):
    return api.request('GET', '/snapshot/%s?limit=5000' % collection)['items']


def body(s):
    url = s.start_central(accounts=300, seed=41)
    s.start_app()
    crawler = Crawler(s)
    sign_in(s, url, 'clerk', 'clerk', crawler)

    device_a, device_b = str(uuid.uuid4()), str(uuid.uuid4())
    a, b = branch(url, device_a), branch(url, device_b)
    appeal = next(r for r in rows(a, 'appeals') if r['status'] == 'in_progress')
    log('appeal %s, subject %r' % (appeal['number'], appeal['subject']))
    check(push_subject(a, device_a, appeal['id'], appeal['subject'], FIRST)['status'] == 'applied',
          'branch A could not change the subject')
    result = push_subject(b, device_b, appeal['id'], appeal['subject'], OTHER)
    check(result['status'] == 'conflict', 'branch B got %r, not a conflict' % result)
    conflict = next(r for r in rows(a, 'appeal_conflicts')
                    if r['appeal_id'] == appeal['id'] and r['resolved_at'] is None)

    log('Ctrl+R: the conflict reaches this counter')
    press_ctrl(KEY_R)
    attention = find_in_app(s, 'push button', '1 needs attention')
    press(attention)
    title = 'Appeal %s · Subject' % appeal['number']
    keep = 'Keep the value entered at the branch: %s' % title
    button = find_in_app(s, 'push button', keep)
    find_in_app(s, 'label', FIRST)
    find_in_app(s, 'label', OTHER)
    check(find_all(s.app, 'push button', 'Combine both values in an editor: %s' % title,
                   showing=True), 'a subject offers no Combine…')
    crawler.visit('needs attention, one conflict')
    s.screenshot('conflict')

    log('keyboard: Tab to the button, Enter')
    for presses in range(1, 21):
        press_key(KEY_TAB)
        if pyatspi.STATE_FOCUSED in states(button):
            break
    check(pyatspi.STATE_FOCUSED in states(button),
          'Tab never reached %r: not keyboard reachable' % keep)
    log('focused after %d Tab presses' % presses)
    press_key(KEY_RETURN)
    find_in_app(s, 'label', 'Nothing Needs Attention')
    wait_for(lambda: not find_all(s.app, 'push button', keep, showing=True),
             'the conflict to leave the list')
    wait_for(lambda: not find_all(s.app, 'push button', '1 needs attention', showing=True),
             'the header to drop its count')
    s.screenshot('resolved')

    def settled():
        row = next(r for r in rows(a, 'appeal_conflicts') if r['id'] == conflict['id'])
        return row if row['resolved_at'] else None
    row = wait_for(settled, 'the server to settle the conflict')
    check(row['resolution'] == OTHER, 'the server settled on %r' % row['resolution'])
    subject = next(r for r in rows(a, 'appeals') if r['id'] == appeal['id'])['subject']
    check(subject == OTHER, 'the appeal on the server reads %r' % subject)
    log('server: conflict settled by %s, subject %r' % (row['resolved_by'], subject))
    crawler.fail_if_any()
    in_russian(s, url, [(a, device_a), (b, device_b)], appeal['id'])


def in_russian(s, url, branches, used):
    a = branches[0][0]
    appeal = next(r for r in rows(a, 'appeals') if r['status'] == 'in_progress' and r['id'] != used)
    raise_conflict(branches, appeal, 'status', 'answered', 'declined')
    applied = appeal['body'] + '\nОтвет отправлен письмом 27.11.'
    refused = 'Клиент просит перезвонить: ' + appeal['body']
    raise_conflict(branches, appeal, 'body', applied, refused)

    s.quit_app()
    s.start_app(env_extra={'LANGUAGE': 'ru', 'OKNO_LOCALEDIR': os.environ['OKNO_LOCALEDIR']})
    set_text(find_in_app(s, 'text', tr('Server address')), url)
    set_text(find_in_app(s, 'text', tr('Login')), 'clerk')
    set_text(find_in_app(s, 'password text', tr('Password')), 'clerk')
    press(find_in_app(s, 'push button', tr('Sign In')))
    find_in_app(s, 'entry', tr('Search clients'), timeout=120)
    press(find_in_app(s, 'push button', name_re=r'^2 '))

    status = tr('Appeal %s · %s') % (appeal['number'], tr('Status'))
    text = tr('Appeal %s · %s') % (appeal['number'], tr('Text'))
    keep_server = '%s: %s' % (tr('Keep the server’s value'), status)
    find_in_app(s, 'push button', keep_server)
    find_in_app(s, 'label', tr('Answered'))
    find_in_app(s, 'label', tr('Declined on the merits'))
    check(not find_all(s.app, 'push button', '%s: %s' % (tr('Combine both values in an editor'),
                                                          status), showing=True),
          'a status offers Combine…')
    check_russian(s, 'needs attention')
    s.screenshot('russian-conflicts')

    press(find_in_app(s, 'push button', '%s: %s' % (tr('Combine both values in an editor'), text)))
    editor = find_in_app(s, 'text', tr('Combined value'))
    # What the editor holds, through AT-SPI's Text interface: both texts,
    # branch A's (on the server) and branch B's (the conflicting one).
    combined = text_of(editor) or ''
    for what, value in (('branch A', applied), ('branch B', refused)):
        check(value in combined, 'the combine editor lacks the text of %s (%r): it holds %r'
              % (what, value, combined))
    check_russian(s, 'combine dialog')
    s.screenshot('russian-combine')
    log('combine dialog holds both texts (%d characters); Escape closes it' % len(combined))
    press_key(KEY_ESCAPE)
    wait_for(lambda: not find_all(s.app, 'text', tr('Combined value'), showing=True),
             'the combine dialog to close')

    press(find_in_app(s, 'push button', keep_server))
    wait_for(lambda: not find_all(s.app, 'push button', keep_server, showing=True),
             'the status conflict to leave the list')
    find_in_app(s, 'push button', name_re=r'^1 ')
    check_russian(s, 'needs attention, one left')


run('conflicts', body)
