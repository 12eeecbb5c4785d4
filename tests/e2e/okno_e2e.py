# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers for Okno's end-to-end tests.

Each test runs under Xvfb and its own D-Bus session (see tests/e2e/meson.build):

    xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- \
        /usr/bin/python3 tests/e2e/<test>.py

It starts the reference server `okno-central` on a free port of 127.0.0.1 with a
small generated dataset, starts the real `okno` binary, and drives it through
its accessibility tree with pyatspi (Debian's python3-pyatspi: run with
/usr/bin/python3). Ground truth comes from the server itself over HTTP.

Environment (set by meson): OKNO_BIN, OKNO_CENTRAL_BIN, OKNO_E2E_LOGDIR,
GSETTINGS_SCHEMA_DIR; GSK_RENDERER=cairo and GSETTINGS_BACKEND=memory.

Waiting is fine (every wait polls until a generous deadline); nothing here
asserts on how long something took.
"""

import json
import os
import re
import select
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

import pyatspi

DEFAULT_TIMEOUT = float(os.environ.get('OKNO_E2E_TIMEOUT', '60'))
POLL = 0.2

# GTK 4.8 names an accessible with no name after its type; treat those as
# missing.
TYPE_NAME = re.compile(r'^(Gtk|Adw|Okno)[A-Z][A-Za-z0-9]*$')

# Roles a user operates; each needs a real name.
INTERACTIVE_ROLES = {
    'push button', 'toggle button', 'check box', 'radio button', 'text', 'entry',
    'password text', 'combo box', 'spin button', 'list item', 'menu item',
    'check menu item', 'radio menu item', 'link', 'slider', 'switch', 'page tab',
}


class E2EFailure(Exception):
    pass


def log(*args):
    print('[e2e %s]' % time.strftime('%H:%M:%S'), *args, flush=True)


def check(condition, message):
    if not condition:
        raise E2EFailure(message)


# --- money, as okno_money_format prints it in the C locale ------------------

MINUS = '\u2212'


def format_money_c(kopecks):
    """-123456 -> "−1,234.56 ₽" (U+2212 minus, "," thousands, "." decimals)."""
    sign = MINUS if kopecks < 0 else ''
    rubles, kop = divmod(abs(kopecks), 100)
    return '%s%s.%02d ₽' % (sign, '{:,}'.format(rubles), kop)


def _self_check_money():
    cases = {
        0: '0.00 ₽', 5: '0.05 ₽', -5: MINUS + '0.05 ₽', 100: '1.00 ₽',
        -123456: MINUS + '1,234.56 ₽', 99999999: '999,999.99 ₽',
        100000000: '1,000,000.00 ₽', -100000: MINUS + '1,000.00 ₽',
        -9223372036854775808: MINUS + '92,233,720,368,547,758.08 ₽',
    }
    for kop, text in cases.items():
        got = format_money_c(kop)
        check(got == text, 'format_money_c(%d) = %r, expected %r' % (kop, got, text))


_self_check_money()


# --- the reference server -----------------------------------------------------

class Api:
    """A tiny client of the REST API for ground truth."""

    def __init__(self, base_url, ca_file=None):
        self.base = base_url.rstrip('/') + '/api/v1'
        self.token = None
        # https://: the test CA okno-central's certificate is signed by.
        self.context = ssl.create_default_context(cafile=ca_file) if ca_file else None

    def request(self, method, path, body=None, timeout=30):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header('Accept', 'application/json')
        if data is not None:
            req.add_header('Content-Type', 'application/json')
        if self.token:
            req.add_header('Authorization', 'Bearer ' + self.token)
        with urllib.request.urlopen(req, timeout=timeout, context=self.context) as resp:
            return json.loads(resp.read().decode('utf-8'))

    def sign_in(self, login, password):
        answer = self.request('POST', '/session', {
            'login': login, 'password': password,
            'device_id': '00000000-0000-4000-8000-0000000e2e00'})
        self.token = answer['access_token']
        return answer

    def accounts(self, limit=1000):
        rows, after = [], None
        while True:
            query = {'limit': str(limit)}
            if after is not None:
                query['after'] = after
            page = self.request('GET', '/snapshot/accounts?' + urllib.parse.urlencode(query))
            rows.extend(page['items'])
            if not page['has_more']:
                return rows
            after = page['next_after']


class Session:
    """Owns every process and temp file of one test; close() undoes it all."""

    def __init__(self, name):
        self.name = name
        self.okno_bin = os.environ['OKNO_BIN']
        self.central_bin = os.environ['OKNO_CENTRAL_BIN']
        self.logdir = os.environ.get('OKNO_E2E_LOGDIR') or tempfile.gettempdir()
        self.tmp = tempfile.mkdtemp(prefix='okno-e2e-%s-' % name)
        self.procs = []      # (Popen, log path)
        self.central = None
        self.base_url = None
        self.ca_file = None  # the test CA, while okno-central serves HTTPS
        self.tls = None
        self.app_proc = None
        self.app = None
        self.shot_count = 0
        self.env = self._make_env()

    def _make_env(self):
        env = dict(os.environ)
        for k in ('LANGUAGE', 'LC_MESSAGES', 'LANG'):
            env.pop(k, None)
        env['LC_ALL'] = 'C.UTF-8'
        env['GSK_RENDERER'] = 'cairo'
        env['GSETTINGS_BACKEND'] = 'memory'
        env['GTK_A11Y'] = 'atspi'
        env['NO_AT_BRIDGE'] = '0'
        env['XDG_DATA_HOME'] = os.path.join(self.tmp, 'data')
        env['XDG_CONFIG_HOME'] = os.path.join(self.tmp, 'config')
        env['XDG_CACHE_HOME'] = os.path.join(self.tmp, 'cache')
        env['OKNO_REPLICA'] = os.path.join(self.tmp, 'replica', 'replica.db')
        env.pop('OKNO_PASSWORD', None)
        for d in ('data', 'config', 'cache', 'replica'):
            os.makedirs(os.path.join(self.tmp, d), exist_ok=True)
        runtime = os.path.join(self.tmp, 'runtime')
        os.makedirs(runtime, mode=0o700, exist_ok=True)
        env['XDG_RUNTIME_DIR'] = runtime
        return env

    # -- processes --------------------------------------------------------

    def spawn(self, argv, label, env=None):
        path = os.path.join(self.tmp, '%s-%d.log' % (label, len(self.procs)))
        out = open(path, 'wb')
        proc = subprocess.Popen(argv, env=env or self.env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        self.procs.append((proc, path))
        log('started %s (pid %d): %s' % (label, proc.pid, ' '.join(argv)))
        return proc

    def stop(self, proc, timeout=10):
        """Stops one process we started, by its process group (its own session)."""
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout)

    def start_keyring(self):
        """A throwaway gnome-keyring for libsecret, inside this D-Bus session."""
        if not shutil.which('gnome-keyring-daemon'):
            return
        r = subprocess.run(['gnome-keyring-daemon', '--unlock', '--components=secrets'],
                           input=b'test\n', capture_output=True, env=self.env, timeout=30)
        for line in r.stdout.decode(errors='replace').splitlines():
            if '=' in line:
                k, v = line.split('=', 1)
                self.env[k] = v
                os.environ[k] = v

    def make_certs(self):
        """A test CA and certificates made now (tests/common/make-test-certs.sh
        lists them) in the test's folder, which it returns."""
        folder = os.path.join(self.tmp, 'certs')
        os.makedirs(folder, exist_ok=True)
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'common',
                              'make-test-certs.sh')
        subprocess.run(['/bin/sh', script, folder], check=True, timeout=60)
        return folder

    def start_central(self, accounts=2000, seed=7, db=None, port=0, generate=True, tls=None):
        """tls: a folder of make_certs(); okno-central then serves HTTPS with
        its 127.0.0.1 certificate, and the ground truth trusts its CA."""
        db = db or os.path.join(self.tmp, 'central.db')
        argv = [self.central_bin, '--db', db, '--port', str(port)]
        self.tls = tls
        if tls:
            argv += ['--tls-cert', os.path.join(tls, 'server.pem'),
                     '--tls-key', os.path.join(tls, 'server-key.pem')]
            self.ca_file = os.path.join(tls, 'ca.pem')
        if generate:
            argv += ['--generate', '--accounts', str(accounts), '--seed', str(seed)]
        path = os.path.join(self.tmp, 'central-%d.log' % len(self.procs))
        err = open(path, 'wb')
        proc = subprocess.Popen(argv, env=self.env, stdout=subprocess.PIPE, stderr=err,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        err.close()
        self.procs.append((proc, path))
        log('started okno-central (pid %d): %s' % (proc.pid, ' '.join(argv)))
        line = self._read_line(proc, DEFAULT_TIMEOUT * 3)
        m = re.search(r'listening on (https?://127\.0\.0\.1:(\d+))', line)
        check(m is not None, 'okno-central printed %r, not "okno-central listening on URL"' % line)
        self.central = proc
        self.base_url = m.group(1)
        # Keep reading its stdout into the log so the pipe never fills up.
        self._drain(proc, path)
        wait_for(lambda: self._health(), 'okno-central to answer /api/v1/health')
        log('okno-central at %s' % self.base_url)
        return self.base_url

    def _read_line(self, proc, timeout):
        deadline = time.monotonic() + timeout
        buf = b''
        fd = proc.stdout.fileno()
        while time.monotonic() < deadline:
            if proc.poll() is not None and not select.select([fd], [], [], 0)[0]:
                raise E2EFailure('okno-central exited with %s before it listened' % proc.returncode)
            ready, _, _ = select.select([fd], [], [], POLL)
            if ready:
                chunk = os.read(fd, 1)
                if not chunk:
                    continue
                if chunk == b'\n':
                    return buf.decode(errors='replace')
                buf += chunk
        raise E2EFailure('okno-central printed no line in %d s' % timeout)

    def _drain(self, proc, path):
        import threading

        def pump():
            with open(path, 'ab') as f:
                for chunk in iter(lambda: proc.stdout.read1(4096), b''):
                    f.write(chunk)
                    f.flush()
        threading.Thread(target=pump, daemon=True).start()

    def _health(self):
        try:
            return Api(self.base_url, self.ca_file).request('GET', '/health',
                                                            timeout=5).get('status') == 'ok'
        except (urllib.error.URLError, OSError, ValueError):
            return False

    def stop_central(self):
        self.stop(self.central)
        self.central = None

    def restart_central(self):
        """The same server again, at the same address, on the database it
        kept: the app's sessions and cursor stay valid."""
        check(self.central is None, 'okno-central is still running')
        port = int(self.base_url.rsplit(':', 1)[1])
        return self.start_central(port=port, generate=False, tls=self.tls)

    def api(self, login='clerk', password='clerk'):
        api = Api(self.base_url, self.ca_file)
        api.sign_in(login, password)
        return api

    def start_app(self, *args, env_extra=None):
        env = dict(self.env)
        env.update(env_extra or {})
        self.app_proc = self.spawn([self.okno_bin] + list(args), 'okno', env)
        self.app = find_app(self.app_proc)
        return self.app

    def quit_app(self):
        self.stop(self.app_proc)
        self.app_proc = None
        self.app = None

    def app_alive(self):
        return self.app_proc is not None and self.app_proc.poll() is None

    # -- evidence -----------------------------------------------------------

    def screenshot(self, what):
        self.shot_count += 1
        path = os.path.join(self.logdir, 'e2e-%s-%02d-%s.png' % (self.name, self.shot_count, what))
        try:
            subprocess.run(['import', '-window', 'root', path], timeout=30,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            log('screenshot: %s' % path)
        except (OSError, subprocess.SubprocessError) as e:
            log('no screenshot: %s' % e)
        return path

    def dump_logs(self):
        for proc, path in self.procs:
            try:
                with open(path, 'rb') as f:
                    text = f.read().decode(errors='replace')
            except OSError:
                continue
            tail = text[-6000:]
            log('--- %s (exit %s), last lines:\n%s' % (os.path.basename(path), proc.poll(), tail))

    def close(self):
        for proc, _ in reversed(self.procs):
            self.stop(proc)
        shutil.rmtree(self.tmp, ignore_errors=True)


def run(name, body):
    """Runs body(session); on failure dumps a tree, a screenshot and the logs."""
    session = Session(name)
    status = 0
    try:
        session.start_keyring()
        body(session)
        log('PASS %s' % name)
    except BaseException as e:  # noqa: B036 — teardown must run for anything
        status = 1
        log('FAIL %s: %s' % (name, e))
        traceback.print_exc()
        session.screenshot('failure')
        if session.app is not None:
            try:
                log('accessible tree at failure:\n' + dump_tree(session.app))
            except Exception as e2:  # the app may be gone
                log('no tree: %s' % e2)
        session.dump_logs()
    finally:
        session.close()
    sys.exit(status)


# --- waiting ----------------------------------------------------------------

def wait_for(predicate, what, timeout=None):
    deadline = time.monotonic() + (timeout or DEFAULT_TIMEOUT)
    last_error = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except E2EFailure:
            raise              # a check inside the predicate failed for good
        except Exception as e:  # the tree changes under our feet; try again
            last_error = e
        if time.monotonic() > deadline:
            extra = ' (last error: %s)' % last_error if last_error else ''
            raise E2EFailure('timed out waiting for %s%s' % (what, extra))
        time.sleep(POLL)


# --- the accessibility tree ----------------------------------------------------

def find_app(proc, timeout=None):
    """The application in the AT-SPI desktop whose process is proc."""
    def look():
        check(proc.poll() is None, 'okno exited with %s' % proc.returncode)
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            if app is None:
                continue
            try:
                if app.get_process_id() == proc.pid and app.childCount > 0:
                    return app
            except Exception:
                continue
        return None
    app = wait_for(look, 'okno to appear on the accessibility bus', timeout)
    log('okno is on the accessibility bus as %r' % app.name)
    return app


def children(node):
    try:
        return [c for c in node if c is not None]
    except Exception:
        return []


def walk(node, depth=0, max_depth=60):
    yield node, depth
    if depth >= max_depth:
        return
    for child in children(node):
        yield from walk(child, depth + 1, max_depth)


def role(node):
    try:
        return node.getRoleName()
    except Exception:
        return ''


def name(node):
    try:
        return node.name or ''
    except Exception:
        return ''


def states(node):
    try:
        return set(node.getState().getStates())
    except Exception:
        return set()


def extents(node):
    try:
        e = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return e.x, e.y, e.width, e.height
    except Exception:
        return None


def window_of(node):
    n = node
    while n is not None:
        if role(n) in ('frame', 'window', 'dialog', 'alert', 'file chooser'):
            return n
        try:
            n = n.parent
        except Exception:
            return None
    return None


def is_ancestor(a, b):
    """True when a is b or one of b's ancestors."""
    n = b
    for _ in range(100):
        if n is None:
            return False
        if n == a:
            return True
        try:
            n = n.parent
        except Exception:
            return False
    return False


def is_showing(node):
    """Whether node is on screen now.

    GTK 4.8 reports VISIBLE for widgets on hidden stack pages and never
    SHOWING for children, so: the node has a size, its window shows, and a
    hit test at its centre lands on it, inside it or on one of its
    ancestors, not on a widget of another page (unmapped widgets keep their
    last allocation, so the size alone proves nothing)."""
    if pyatspi.STATE_VISIBLE not in states(node):
        return False
    ext = extents(node)
    if not ext or ext[2] <= 0 or ext[3] <= 0:
        return False
    # A popover (menu) is a surface of its own: a hit test on the window
    # cannot reach it, but it is only VISIBLE while it is open.
    chain = [node] + ancestors(node)
    for i, a in enumerate(chain):
        if role(a) in ('menu', 'popup menu'):
            return all(pyatspi.STATE_VISIBLE in states(b) for b in chain[:i + 1])
    win = window_of(node)
    if win is None:
        return False
    if pyatspi.STATE_SHOWING not in states(win) and pyatspi.STATE_VISIBLE not in states(win):
        return False
    try:
        hit = win.queryComponent().getAccessibleAtPoint(ext[0] + ext[2] // 2, ext[1] + ext[3] // 2,
                                                        pyatspi.WINDOW_COORDS)
    except Exception:
        return True
    if hit is None:
        return True   # landed on a widget without an accessible role
    return is_ancestor(node, hit) or is_ancestor(hit, node)


def matches(node, role_name=None, name_is=None, name_re=None):
    if role_name is not None:
        roles = role_name if isinstance(role_name, (set, tuple, list)) else (role_name,)
        if role(node) not in roles:
            return False
    if name_is is not None and name(node) != name_is:
        return False
    if name_re is not None and not re.search(name_re, name(node)):
        return False
    return True


def find_all(root, role_name=None, name_is=None, name_re=None, showing=False):
    found = []
    for node, _ in walk(root):
        if matches(node, role_name, name_is, name_re) and (not showing or is_showing(node)):
            found.append(node)
    return found


def find(root, role_name=None, name_is=None, name_re=None, showing=True, timeout=None):
    """Polls root's tree for a node; with showing, only one that is on screen."""
    what = 'a %s named %r' % (role_name or 'node', name_is if name_is is not None else name_re)
    return wait_for(lambda: next(iter(find_all(root, role_name, name_is, name_re, showing)), None),
                    what + (' on screen' if showing else ''), timeout)


def find_in_app(session, role_name=None, name_is=None, name_re=None, showing=True, timeout=None):
    """Like find, over every window of the app (dialogs are separate windows)."""
    def look():
        check(session.app_alive(), 'okno exited with %s' % session.app_proc.returncode)
        nodes = find_all(session.app, role_name, name_is, name_re, showing)
        return nodes[0] if nodes else None
    what = 'a %s named %r' % (role_name or 'node', name_is if name_is is not None else name_re)
    return wait_for(look, what + (' on screen' if showing else ''), timeout)


def text_of(node):
    """The text a label or entry shows (GTK 4.8 needs an explicit end offset)."""
    try:
        t = node.queryText()
        return t.getText(0, t.characterCount)
    except Exception:
        return name(node)


def dump_tree(root, max_depth=40):
    lines = []
    for node, depth in walk(root, max_depth=max_depth):
        ext = extents(node)
        text = ''
        if role(node) in ('label', 'text', 'entry', 'password text'):
            text = ' text=%r' % text_of(node)[:80]
        lines.append('%s[%s] %r%s %s' % ('  ' * depth, role(node), name(node), text, ext))
    return '\n'.join(lines)


# --- acting ---------------------------------------------------------------

def set_text(node, text):
    """Replaces an entry's text through the EditableText interface."""
    node.queryEditableText().setTextContents(text)
    wait_for(lambda: text_of(node) == text or role(node) == 'password text',
             'the entry %r to hold %r' % (name(node), text), timeout=10)


def click_at(node):
    """A real mouse click at the node's centre. With no window manager
    windows sit at the screen's origin, so window coordinates are screen
    coordinates."""
    ext = extents(node)
    check(ext and ext[2] > 0 and ext[3] > 0, '%r has no size on screen' % name(node))
    pyatspi.Registry.generateMouseEvent(ext[0] + ext[2] // 2, ext[1] + ext[3] // 2, 'b1c')
    time.sleep(POLL)


def press_key(keysym):
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
    time.sleep(POLL)


def press_ctrl(keysym):
    """keysym with Control held (a shortcut)."""
    pyatspi.Registry.generateKeyboardEvent(KEYCODE_CONTROL_L, None, pyatspi.KEY_PRESS)
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
    pyatspi.Registry.generateKeyboardEvent(KEYCODE_CONTROL_L, None, pyatspi.KEY_RELEASE)
    time.sleep(POLL)


KEYCODE_CONTROL_L = 37  # a keycode, not a keysym: Xvfb's default keymap
KEY_R = 0x72
KEY_RETURN = 0xff0d
KEY_ESCAPE = 0xff1b


def focus(node):
    try:
        if node.queryComponent().grabFocus():
            return
    except Exception:
        pass
    click_at(node)
    wait_for(lambda: pyatspi.STATE_FOCUSED in states(node), '%r to take focus' % name(node),
             timeout=10)


def activate_entry(node):
    """Enter in an entry."""
    focus(node)
    press_key(KEY_RETURN)


def press(node):
    """Clicks a button through its Action interface (falls back to the mouse)."""
    check(pyatspi.STATE_SENSITIVE in states(node), 'the button %r is insensitive' % name(node))
    try:
        action = node.queryAction()
        if action.nActions > 0:
            action.doAction(0)
            time.sleep(POLL)
            return
    except NotImplementedError:
        pass
    click_at(node)


def activate_row(node):
    """Activates a list row: double click on it (single-click lists activate
    on the first click; the second then lands on the opened page's content),
    falling back to focus + Enter."""
    try:
        action = node.queryAction()
        if action.nActions > 0:
            action.doAction(0)
            time.sleep(POLL)
            return
    except NotImplementedError:
        pass
    click_at(node)
    press_key(KEY_RETURN)


# --- the accessibility crawl -------------------------------------------------

def is_stack_page(node):
    """GTK 4.8 puts every page of a GtkStack in the tree, each under an
    accessible named after its type, GtkStackPage."""
    return role(node) == 'panel' and name(node) == 'GtkStackPage'


def walk_showing(root, depth=0, max_depth=60):
    """Like walk, but leaves out what is not on screen: a stack page that is
    not the visible one, and anything never allocated a size."""
    yield root, depth
    if depth >= max_depth:
        return
    for child in children(root):
        if not is_stack_page(child) and pyatspi.STATE_VISIBLE not in states(child):
            continue          # a hidden widget hides everything inside it
        if is_stack_page(child):
            page = children(child)
            if not page or not is_showing(page[0]):
                continue
        else:
            ext = extents(child)
            if ext is not None and (ext[2] <= 0 or ext[3] <= 0) and role(child) != 'menu':
                continue
        yield from walk_showing(child, depth + 1, max_depth)


def describe(node):
    return ' < '.join('%s %r' % (role(p), name(p)) for p in ancestors(node, limit=6)
                      if role(p) != 'panel' or name(p))


# Controls inside library widgets that the app cannot name, each with the
# reason. Matched on (role, name, the type name of an ancestor).
LIBRARY_DEFECTS = [
    # libadwaita 1.2 (Debian 12): the close button of a toast is an icon
    # button without an accessible label (later releases name it "Dismiss").
    ('push button', 'GtkImage', 'AdwToastWidget'),
]


def is_library_defect(node):
    r, n = role(node), name(node)
    for d_role, d_name, d_ancestor in LIBRARY_DEFECTS:
        if r == d_role and n == d_name and any(name(a) == d_ancestor for a in ancestors(node)):
            return True
    return False


def ancestors(node, limit=100):
    out = []
    p = node
    for _ in range(limit):
        try:
            p = p.parent
        except Exception:
            break
        if p is None:
            break
        out.append(p)
    return out


def crawl(root, where, only_showing=True):
    """Every interactive control on screen in root's tree needs a real name:
    not empty, not its GTK type name. Returns a list of (control, problem)."""
    problems = []
    for node, _ in (walk_showing(root) if only_showing else walk(root)):
        r = role(node)
        if r not in INTERACTIVE_ROLES:
            continue
        if pyatspi.STATE_VISIBLE not in states(node):
            continue
        n = name(node).strip()
        if (n == '' or TYPE_NAME.match(n)) and not is_library_defect(node):
            what = '%s with %s (inside %s)' % (
                r, 'no name' if not n else 'only its type name %r' % n, describe(node))
            problems.append((what, where))
    return problems


class Crawler:
    """Collects crawl problems over a test; fail() at the end."""

    def __init__(self, session):
        self.session = session
        self.problems = []
        self.seen = set()
        self.pages = []

    def visit(self, where):
        self.pages.append(where)
        for what, page in crawl(self.session.app, where):
            if what not in self.seen:
                self.seen.add(what)
                log('a11y: %s: %s' % (page, what))
                self.problems.append('%s: %s' % (page, what))

    def visit_page_of(self, node, where):
        """Crawls the stack page that holds node even when it is not on screen
        now (GTK 4.8 keeps every page in the tree), for a page that came and
        went faster than a poll could see it."""
        page = node
        for a in ancestors(node):
            if is_stack_page(a):
                break
            page = a
        self.pages.append(where + ' (off screen)')
        for what, at in crawl(page, where, only_showing=False):
            if what not in self.seen:
                self.seen.add(what)
                log('a11y: %s: %s' % (at, what))
                self.problems.append('%s: %s' % (at, what))

    def fail_if_any(self):
        log('a11y crawl visited: %s' % ', '.join(self.pages))
        check(not self.problems, '%d unnamed interactive controls:\n  %s' % (
            len(self.problems), '\n  '.join(self.problems)))


# --- flows shared by several tests ----------------------------------------------

def sign_in(session, url, login='clerk', password='clerk', crawler=None):
    """From the sign-in page to the main view: fills the form, signs in and
    waits for the download to finish."""
    server = find_in_app(session, 'text', 'Server address')
    if crawler:
        crawler.visit('sign-in page')
    set_text(server, url)
    set_text(find_in_app(session, 'text', 'Login'), login)
    set_text(find_in_app(session, 'password text', 'Password'), password)
    press(find_in_app(session, 'push button', 'Sign In'))
    return wait_for_download(session, crawler)


def wait_for_download(session, crawler=None):
    """Waits for the main view; notes whether the download page was seen."""
    seen_progress = False

    def look():
        nonlocal seen_progress
        check(session.app_alive(), 'okno exited with %s' % session.app_proc.returncode)
        if find_all(session.app, 'progress bar', 'Download progress', showing=True):
            if not seen_progress:
                seen_progress = True
                log('download page is showing')
                if crawler:
                    crawler.visit('download page')
        search = find_all(session.app, 'entry', 'Search clients', showing=True)
        return search[0] if search else None
    search = wait_for(look, 'the main view (entry "Search clients")', DEFAULT_TIMEOUT * 3)
    if crawler and not seen_progress:
        bars = find_all(session.app, 'progress bar', 'Download progress')
        if bars:
            crawler.visit_page_of(bars[0], 'download page')
    log('main view is showing%s' % (' (after the download page)' if seen_progress else ''))
    return search, seen_progress


def search(session, query):
    """Types a query into "Search clients"; returns the results list."""
    entry = find_in_app(session, 'entry', 'Search clients')
    set_text(entry, query)
    return find_in_app(session, None, 'Search results')


def result_rows(results):
    return [c for c, _ in walk(results, max_depth=3)
            if role(c) in ('list item', 'table row', 'tree item')]


def wait_for_row(results, needle, what):
    """A row of the results whose text (name or any label inside) holds needle."""
    def look():
        for row in result_rows(results):
            texts = [name(row)] + [text_of(n) for n, _ in walk(row, max_depth=6)
                                    if role(n) == 'label']
            if any(needle in t for t in texts):
                return row
        return None
    return wait_for(look, what)


def replica_ready(path):
    """Whether the replica says a whole snapshot was applied (read-only peek;
    the app's OknoStore keeps this in meta.replica_ready)."""
    import sqlite3
    if not os.path.exists(path):
        return False
    db = sqlite3.connect('file:%s?mode=ro' % path, uri=True, timeout=30)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'replica_ready'").fetchone()
    except sqlite3.OperationalError:
        return False   # no meta table yet
    finally:
        db.close()
    return row is not None and row[0] == '1'


def find_balance(session, timeout=None):
    """The label that shows the balance on the client card.

    Its accessible name is "Balance" in the .ui file, but GTK 4.8 replaces a
    label's accessible name with its text whenever the text is set, so the
    label is also found as the amount inside the row named "Account balance"
    (or "Balance"), or by its description."""
    def look():
        check(session.app_alive(), 'okno exited with %s' % session.app_proc.returncode)
        for node in find_all(session.app, 'label', 'Balance', showing=True):
            return node
        for node in find_all(session.app, 'label', showing=True):
            try:
                if node.description == 'Balance':
                    return node
            except Exception:
                pass
        for row in find_all(session.app, ('list item', 'panel'), showing=True,
                            name_re=r'^(Account balance|Balance)$'):
            for node, _ in walk(row, max_depth=8):
                if role(node) == 'label' and '₽' in text_of(node):
                    return node
        return None
    return wait_for(look, 'the balance on the client card', timeout)


# --- signing in on later starts, the lock ----------------------------------------

def sign_in_again(session, password, login=None):
    """A later start (or after signing out): the sign-in page shows with the
    last login filled in; types the password and signs in. Returns without
    waiting for the outcome."""
    login_entry = find_in_app(session, 'text', 'Login')
    if login is not None:
        set_text(login_entry, login)
    set_text(find_in_app(session, 'password text', 'Password'), password)
    press(find_in_app(session, 'push button', 'Sign In'))


def sign_in_message(session, needle, timeout=None):
    """The sign-in page's message that holds needle."""
    return find_in_app(session, 'label', name_re=re.escape(needle), timeout=timeout)


def keyring_tokens(url, login):
    """(access, refresh) that the keyring holds for Okno at url for login,
    each None when missing; asks the Secret Service with secret-tool."""
    def lookup(kind):
        r = subprocess.run(['secret-tool', 'lookup', 'xdg:schema', 'ru.eens.Okno.Session',
                            'server', url, 'login', login, 'token', kind],
                           capture_output=True, timeout=30)
        value = r.stdout.decode(errors='replace').strip()
        return value or None
    return lookup('access'), lookup('refresh')
