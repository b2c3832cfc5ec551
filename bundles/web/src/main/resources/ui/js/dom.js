// Small DOM helpers. Every value the API returns goes in as text, never as HTML.

/** h('a', {href: '/ui/x', class: 'btn'}, 'text', child) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

/** A link inside the dashboard, handled by the router without a page load. */
export function link(href, ...children) {
  return h('a', { href, 'data-nav': '' }, ...children);
}

const rtf = typeof Intl !== 'undefined' && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat('en', { numeric: 'auto' }) : null;

/** "3 minutes ago" with the exact time as a tooltip. */
export function ago(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const t = new Date(iso);
  const s = Math.round((t.getTime() - Date.now()) / 1000);
  const a = Math.abs(s);
  let text;
  if (!rtf) text = t.toISOString();
  else if (a < 60) text = rtf.format(s, 'second');
  else if (a < 3600) text = rtf.format(Math.round(s / 60), 'minute');
  else if (a < 86400) text = rtf.format(Math.round(s / 3600), 'hour');
  else text = rtf.format(Math.round(s / 86400), 'day');
  return h('time', { datetime: iso, title: t.toISOString() }, text);
}

export function when(iso) {
  return iso ? h('time', { datetime: iso }, new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z')) : h('span', { class: 'muted' }, '—');
}

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${u[i]}`;
}

export function number(n) {
  return Number(n).toLocaleString('en');
}

const STATUS_CLASS = {
  ERROR: 'bad', NO_CONNECTION: 'bad', INVALIDATED: 'warn', FAILED: 'bad', ROLLED_BACK: 'warn', TIMED_OUT: 'bad',
  ABORTED: 'warn', PAUSED: 'warn', RUNNING: 'ok', SUCCEEDED: 'ok', FINISHED: 'ok', SOAKING: 'ok', DENIED: 'bad',
  UNHEALTHY: 'bad', DEGRADED: 'warn', FIRING: 'bad', RESOLVED: 'ok', CRITICAL: 'bad', WARNING: 'warn', INFO: 'idle', SUCCESS: 'ok', REGISTERED: 'idle', ONBOARDED: 'idle', READY: 'idle', PENDING: 'idle', QUEUED: 'idle',
};

/** A status badge; the word is always there, colour only adds to it. */
export function badge(status) {
  return h('span', { class: `badge ${STATUS_CLASS[status] || 'idle'}` }, String(status).replaceAll('_', ' '));
}

/** A table that scrolls sideways on its own on a narrow screen instead of widening the page. */
export function table(headers, rows, { caption, empty = 'Nothing here yet.' } = {}) {
  if (!rows.length) return h('p', { class: 'muted empty' }, empty);
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption || headers.join(', ') },
    h('table', null,
      caption ? h('caption', { class: 'sr' }, caption) : null,
      h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, c)))))));
}

export function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', null, title), ...children);
}

/** A key/value list. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(Boolean).map(([k, v]) => [h('dt', null, k), h('dd', null, v ?? h('span', { class: 'muted' }, '—'))]));
}

export function toast(message) {
  const t = document.getElementById('toast');
  replace(t, message);
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 4000);
}
