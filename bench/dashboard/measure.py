#!/usr/bin/env python3
"""Times the dashboard in Debian's Chromium through chromedriver's W3C WebDriver API (standard library only).

  measure.py BASE_URL PROJECT USER PASSWORD ORCHESTRATOR_PID

Prints one line per figure: time to the page's `edge:rendered:<page>` mark (set by the dashboard once the page is
drawn with its data) from the start of a full page load, cold (browser cache cleared) and warm, the bytes the first
load transferred, and the orchestrator's CPU while the dashboard sits open on the overview with a quiet fleet.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

BASE, PROJECT, USER, PASSWORD, PID = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


PORT = free_port()
driver = subprocess.Popen(['/usr/bin/chromedriver', f'--port={PORT}'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def call(method, path, body=None):
    req = urllib.request.Request(f'http://127.0.0.1:{PORT}{path}', method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read() or b'null')['value']


for _ in range(100):
    try:
        call('GET', '/status')
        break
    except OSError:
        time.sleep(0.1)

profile = tempfile.mkdtemp(prefix='edgeorch-dash-')
caps = {'capabilities': {'alwaysMatch': {'browserName': 'chrome', 'goog:chromeOptions': {
    'binary': '/usr/bin/chromium', 'args': ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                                            '--window-size=1366,768', '--no-first-run', '--disable-background-networking',
                                            '--disable-component-update', '--disable-sync', f'--user-data-dir={profile}']}}}}
sid = call('POST', '/session', caps)['sessionId']
S = f'/session/{sid}'


def js(script, *args):
    return call('POST', f'{S}/execute/sync', {'script': script, 'args': list(args)})


def cdp(cmd, params=None):
    return call('POST', f'{S}/goog/cdp/execute', {'cmd': cmd, 'params': params or {}})


def until(script, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        v = js(script)
        if v:
            return v
        time.sleep(0.02)
    raise SystemExit(f'timed out waiting for: {script}')


def load(path, page):
    """A full page load of path; answers (ms to the page's rendered mark, bytes transferred by the load)."""
    call('POST', f'{S}/url', {'url': BASE + path})
    ms = until(f"const m = performance.getEntriesByName('edge:rendered:{page}'); return m.length ? m[0].startTime : null")
    transferred = js("return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
                     ".reduce((a, e) => a + (e.transferSize || 0), 0)")
    return ms, transferred


def type_into(css, text):
    element = call('POST', f'{S}/element', {'using': 'css selector', 'value': css})['element-6066-11e4-a52e-4f735466cecf']
    call('POST', f'{S}/element/{element}/value', {'text': text})


def api_ms(fragment):
    """The duration of the page's API request whose URL contains fragment (request sent to last byte), in ms."""
    return js("const e = performance.getEntriesByType('resource').filter(r => r.name.includes(arguments[0]));"
              " return e.length ? e[e.length - 1].duration : null", fragment)


TICK = os.sysconf('SC_CLK_TCK')


def cpu():
    """The orchestrator's CPU seconds so far (user + system)."""
    with open(f'/proc/{PID}/stat') as f:
        parts = f.read().rsplit(')', 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / TICK


ROUNDS, WINDOW = int(os.environ.get('ROUNDS', '3')), int(os.environ.get('WINDOW', '30'))


def share(seconds):
    """The orchestrator's share of one core over the next `seconds`."""
    c0, t0 = cpu(), time.time()
    time.sleep(seconds)
    return (cpu() - c0) / (time.time() - t0)


def threads(seconds=10, top=6):
    """The orchestrator's busiest threads over `seconds`: (share of a core, thread name) by /proc/PID/task."""
    def sample():
        out = {}
        for tid in os.listdir(f'/proc/{PID}/task'):
            try:
                with open(f'/proc/{PID}/task/{tid}/stat') as f:
                    parts = f.read().rsplit(')', 1)[1].split()
                with open(f'/proc/{PID}/task/{tid}/comm') as f:
                    name = f.read().strip()
                out[tid] = (name, int(parts[11]) + int(parts[12]))
            except OSError:
                pass
        return out
    a = sample()
    time.sleep(seconds)
    b = sample()
    used = {}
    for tid, (name, ticks) in b.items():
        used[name] = used.get(name, 0) + (ticks - a.get(tid, (name, 0))[1]) / TICK / seconds
    return sorted(((v, k) for k, v in used.items() if v > 0), reverse=True)[:top]


def settle(timeout=180):
    """Waits for the orchestrator to settle after the import: two 5 s windows in a row within 3 % of a core of each
    other (what it then uses is its own steady cost on a quiet fleet, which the CPU windows below measure too)."""
    end, last = time.time() + timeout, share(5)
    while time.time() < end:
        now = share(5)
        if abs(now - last) < 0.03:
            print(f'orchestrator settled at {now * 100:.1f} % of a core')
            return
        last = now
    print(f'(the orchestrator did not settle within {timeout} s: {last * 100:.0f} % of a core; measuring anyway)')


try:
    settle()
    print('orchestrator threads busiest on the quiet fleet (10 s): '
          + ', '.join(f'{name} {share * 100:.1f} %' for share, name in threads()))
    cdp('Network.enable')
    # the login page, cold: the first load a user sees
    ms, first = load(f'/ui/login?next=/ui/projects/{PROJECT}/overview', 'login')
    print(f'first load (login page, cold cache): {first / 1024:.0f} KiB transferred, rendered in {ms:.0f} ms')
    type_into('input[name=username]', USER)
    type_into('input[name=password]', PASSWORD + '\ue007')  # WebDriver's Enter key: the form is sent
    until("return document.getElementById('main').dataset.page === 'overview' && performance.getEntriesByName('edge:rendered:overview').length > 0")
    for page, path in (('overview', f'/ui/projects/{PROJECT}/overview'), ('hosts', f'/ui/projects/{PROJECT}/hosts')):
        cdp('Network.clearBrowserCache')
        cold, cold_bytes = load(path, page)
        runs = []
        for _ in range(5):
            ms = load(path, page)[0]
            runs.append((ms, api_ms(f'/api/v1/projects/{PROJECT}/hosts?') if page == 'hosts' else None))
        runs.sort(key=lambda r: r[0])
        warm, api = runs[2]
        print(f'{page}: cold {cold:.0f} ms ({cold_bytes / 1024:.0f} KiB transferred), warm {warm:.0f} ms (median of 5)'
              + (f'; its first page of hosts from the API in {api:.0f} ms' if api is not None else ''))
    # an open dashboard on a quiet fleet: orchestrator CPU in windows with the overview open, alternating with windows
    # with none open (about:blank), so that what the orchestrator does by itself falls into both alike
    opened, none = [], []
    for _ in range(ROUNDS):
        call('POST', f'{S}/url', {'url': BASE + f'/ui/projects/{PROJECT}/overview'})
        until("return performance.getEntriesByName('edge:rendered:overview').length > 0")
        time.sleep(2)  # the page's first API calls and its stream's start are not the open dashboard's steady cost
        opened.append(share(WINDOW))
        call('POST', f'{S}/url', {'url': 'about:blank'})
        time.sleep(6)  # the stream's connection ends and the live module's 5 s linger passes
        none.append(share(WINDOW))
    o, n = sum(opened) / len(opened), sum(none) / len(none)
    print(f'orchestrator CPU, quiet fleet ({ROUNDS} x {WINDOW} s each): {o * 100:.2f} % of a core with the overview open '
          f'({", ".join(f"{x * 100:.1f}" for x in opened)}), {n * 100:.2f} % with none ({", ".join(f"{x * 100:.1f}" for x in none)}):'
          f' the open dashboard costs {(o - n) * 100:.2f} % of a core')
finally:
    try:
        call('DELETE', S)
    finally:
        driver.terminate()
