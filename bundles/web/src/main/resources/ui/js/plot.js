// Time-series plots with uPlot (small, canvas-based, no dependencies; the pinned webjar copy, loaded on the first
// page that plots). A plot is the API's series of one or more metrics put on one time axis.
import { h, replace } from './dom.js';
import { loadLibrary } from './lib.js';

const loadUplot = () => loadLibrary('/ui/lib/uplot-1.6.30', 'uPlot.iife.min.js', 'uPlot.min.css', 'uPlot');
const COLOURS = ['#1f5fa8', '#b42318', '#1d7a46', '#a15c00', '#6941c6', '#0e7090', '#c11574', '#56657a'];

/**
 * The x axis of a range: one slot per step from `from` (seconds), so a step without samples is a gap in the line
 * (a host that was off), not a straight line across it.
 */
export function slots(series) {
  const from = Date.parse(series.from) / 1000;
  const to = Date.parse(series.to) / 1000;
  const xs = [];
  for (let t = from; t < to; t += series.stepSeconds) xs.push(t);
  return xs;
}

/** One line per device of a series, on the slots: [{label, values}] with null where the step had no sample. */
export function lines(series, xs, { label = (d) => d, transform = (v) => v } = {}) {
  const from = Date.parse(series.from) / 1000;
  return series.devices.map((d) => {
    const values = new Array(xs.length).fill(null);
    d.points.forEach((p) => {
      const i = Math.round((Date.parse(p.at) / 1000 - from) / series.stepSeconds);
      if (i >= 0 && i < xs.length) values[i] = p.avg;
    });
    return { label: label(d.device), values: transform(values, series.stepSeconds) };
  });
}

/** A counter since boot (network bytes) as a rate per second between steps; a reset (reboot) is a gap. */
export function rate(values, stepSeconds) {
  return values.map((v, i) => {
    const prev = i > 0 ? values[i - 1] : null;
    if (v === null || prev === null || v < prev) return null;
    return (v - prev) / stepSeconds;
  });
}

/**
 * Draws the lines into el (a fresh uPlot sized to el's width) or says there is nothing to draw. format(v) writes
 * a value with its unit. Returns a function that removes the plot.
 */
export async function plot(el, { title, xs, lines: ls, format, yRange }) {
  const drawn = ls.filter((l) => l.values.some((v) => v !== null));
  const count = drawn.reduce((n, l) => n + l.values.filter((v) => v !== null).length, 0);
  el.dataset.points = String(count);
  if (!drawn.length) {
    replace(el, h('p', { class: 'muted empty' }, 'No samples in this range.'));
    el.setAttribute('aria-label', `${title}: no samples in this range`);
    return () => {};
  }
  const UPlot = await loadUplot();
  replace(el);
  el.setAttribute('aria-label', `${title}: ${drawn.map((l) => `${l.label} latest ${format(latest(l.values))}, `
    + `highest ${format(Math.max(...l.values.filter((v) => v !== null)))}`).join('; ')}`);
  const opts = {
    width: Math.max(el.clientWidth, 200),
    height: 170,
    scales: { x: { time: true }, y: yRange ? { range: yRange } : { auto: true } },
    series: [{ value: (u, v) => (v == null ? '—' : new Date(v * 1000).toLocaleString('en-GB')) },
      ...drawn.map((l, i) => ({ label: l.label, stroke: COLOURS[i % COLOURS.length], width: 1.5, spanGaps: false,
        value: (u, v) => (v == null ? '—' : format(v)) }))],
    axes: [{ stroke: '#5d6b7c' }, { stroke: '#5d6b7c', size: 64, values: (u, vals) => vals.map(format) }],
    cursor: { drag: { x: false, y: false } },
  };
  const u = new UPlot(opts, [xs, ...drawn.map((l) => l.values)], el);
  const resize = new ResizeObserver(() => u.setSize({ width: Math.max(el.clientWidth, 200), height: 170 }));
  resize.observe(el);
  return () => { resize.disconnect(); u.destroy(); };
}

function latest(values) {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i];
  return null;
}
