// The host page's telemetry: one plot per kind of figure over a chosen range, from
// GET /projects/{p}/hosts/{h}/metrics (a series per device, a point per step). The range is in the page's URL
// (?range=6h, or ?from=…&to=…&step=… for one of one's own), so a view can be shared.
import { get, query } from './api.js';
import { bytes, h, section, toast } from './dom.js';
import { field, formError, onSubmit, showErrors } from './forms.js';
import { lines, plot, rate, slots } from './plot.js';

export const RANGES = [['1h', 3600], ['6h', 6 * 3600], ['24h', 86400], ['7d', 7 * 86400], ['30d', 30 * 86400]];

const pct = (v) => `${v.toFixed(1)} %`;
const CHARTS = [
  { id: 'cpu', title: 'CPU use', metrics: ['cpu.usage.percent'], format: pct, yRange: [0, 100] },
  { id: 'memory', title: 'Memory used', metrics: ['memory.used.percent'], format: pct, yRange: [0, 100] },
  { id: 'load', title: 'Load average', metrics: ['load.1', 'load.5', 'load.15'], format: (v) => v.toFixed(2),
    label: (m) => `${m.slice(5)} min` },
  { id: 'fs', title: 'File systems used', metrics: ['fs.used.percent'], format: pct, yRange: [0, 100] },
  { id: 'net', title: 'Network', metrics: ['net.rx.bytes', 'net.tx.bytes'], format: (v) => `${bytes(v)}/s`, transform: rate,
    label: (m, d) => `${d || 'all'} ${m === 'net.rx.bytes' ? 'in' : 'out'}` },
  { id: 'temperature', title: 'Temperature', metrics: ['temperature.celsius'], format: (v) => `${v.toFixed(1)} °C` },
];

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The range the URL asks for: a preset ending now, or from/to/step of one's own. */
function rangeOf(q) {
  if (q.get('from') || q.get('to')) return { from: q.get('from') || '', to: q.get('to') || '', step: q.get('step') || '' };
  const preset = RANGES.find(([k]) => k === q.get('range')) || RANGES[0];
  const now = Date.now();
  return { preset: preset[0], from: iso(now - preset[1] * 1000), to: iso(now), step: '' };
}

/** The section and a function that removes its plots. */
export function telemetrySection(ctx, base) {
  const plots = h('div', { class: 'plots', id: 'telemetry-plots' });
  const boxes = new Map(CHARTS.map((c) => [c.id, h('div', { class: 'plot', id: `plot-${c.id}`, role: 'img', 'aria-label': c.title })]));
  CHARTS.forEach((c) => plots.appendChild(h('figure', { class: 'plot-card' }, h('figcaption', null, c.title), boxes.get(c.id))));
  let removers = [];
  let left = false;
  const presetButtons = RANGES.map(([k]) => h('button', { type: 'button', class: 'range', dataset: { range: k },
    onclick: () => show({ ...rangeOf(new URLSearchParams({ range: k })) }).catch((e) => toast(e.message)) }, k));
  const form = h('form', { class: 'inline-form', id: 'telemetry-range', novalidate: true },
    formError(),
    field('From (ISO-8601)', 'from', { placeholder: '2026-01-31T12:00:00Z' }),
    field('To (ISO-8601)', 'to', { placeholder: '2026-01-31T18:00:00Z' }),
    field('Step (30s, 5m, 1h; empty: automatic)', 'step', { placeholder: 'automatic' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show')));
  onSubmit(form, (v) => show({ from: v.from, to: v.to, step: v.step }));

  async function show(range) {
    // All series first: a refusal (a bad range) leaves the plots drawn as they were and goes to the form.
    const fetched = await Promise.all(CHARTS.map((c) => Promise.all(c.metrics.map((m) =>
      get(`${base}/metrics${query({ name: m, from: range.from, to: range.to, step: range.step })}`)))));
    if (left) return;
    removers.forEach((r) => r());
    removers = [];
    const q = new URLSearchParams(location.search);
    ['range', 'from', 'to', 'step'].forEach((k) => q.delete(k));
    if (range.preset) q.set('range', range.preset);
    else Object.entries({ from: range.from, to: range.to, step: range.step }).forEach(([k, v]) => { if (v) q.set(k, v); });
    history.replaceState(null, '', `${location.pathname}${q.toString() ? `?${q}` : ''}`);
    presetButtons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.range === range.preset)));
    const first = fetched[0][0];
    form.elements.from.value = first.from.replace(/\.\d+Z$/, 'Z');
    form.elements.to.value = first.to.replace(/\.\d+Z$/, 'Z');
    form.elements.step.value = range.step || '';
    plots.dataset.step = String(first.stepSeconds);
    const none = fetched.every((f) => f.every((series) => !series.devices.length));
    note.hidden = !none;
    plots.hidden = none;
    const xs = slots(first);
    await Promise.all(CHARTS.map(async (c, i) => {
      const ls = fetched[i].flatMap((series, j) => lines(series, xs, {
        label: (d) => (c.label ? c.label(c.metrics[j], d) : d || c.title), transform: c.transform }));
      const remove = await plot(boxes.get(c.id), { title: c.title, xs, lines: ls, format: c.format, yRange: c.yRange });
      if (left) remove(); else removers.push(remove);
    }));
    plots.dataset.ready = 'true';
  }

  const note = h('p', { class: 'muted empty', id: 'telemetry-none', hidden: true }, 'The host sent no telemetry in this range.');
  const other = h('details', { class: 'register' }, h('summary', null, 'Another range'), form);
  const el = section('Telemetry',
    h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Range' }, h('span', { class: 'muted' }, 'Last'), presetButtons),
    other, note, plots);
  el.id = 'telemetry';
  const asked = rangeOf(ctx.query);
  const loaded = show(asked).catch((e) => {
    // a range in the URL the API refuses: the form shows it with the API's words next to the field
    other.open = true;
    form.elements.from.value = asked.from;
    form.elements.to.value = asked.to;
    form.elements.step.value = asked.step;
    showErrors(form, e);
  });
  return { el, loaded, remove: () => { left = true; removers.forEach((r) => r()); } };
}
