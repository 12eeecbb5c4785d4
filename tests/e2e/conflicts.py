#!/usr/bin/python3
"""An appeal's subject changed at two branches at once becomes a conflict
every branch receives. In okno, Needs attention lists it with both values;
the clerk keeps the other branch's value from the keyboard (Tab to the
button, Enter; the harness's focus() would fall back to a mouse click). The conflict leaves the list and the header at once, the
app syncs, and on the server the conflict is settled and the appeal holds
the value kept."""
import uuid

from okno_e2e import (KEY_R, KEY_RETURN, Api, Crawler, check, find_all, find_in_app, log, press,
                      press_ctrl, press_key, run, sign_in, states, wait_for)

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


def push_subject(api, device, appeal, old, new):
    answer = api.request('POST', '/mutations', {'device_id': device, 'mutations': [{
        'mutation_id': str(uuid.uuid4()), 'seq': 1, 'collection': 'appeals', 'op': 'patch',
        'key': appeal, 'base_version': 1,
        'data': {'subject': {'from': old, 'to': new}}}]})
    return answer['results'][0]


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


run('conflicts', body)
