import { get, post, query, seg } from '../api.js';
import { ago, badge, facts, h, link, replace, section, table, toast, when } from '../dom.js';
import { watch } from '../live.js';
import { hostHref, progress, waveBars } from '../widgets.js';

// Which operations make sense in which state; the API decides in the end.
const OPS = { READY: ['start', 'abort'], RUNNING: ['pause', 'abort'], PAUSED: ['resume', 'abort'] };

export async function render(main, ctx) {
  const p = ctx.project;
  const name = ctx.params[1];
  const base = `/projects/${seg(p)}/rollouts/${seg(name)}`;
  const head = h('div', { id: 'rollout-head' });
  const bars = h('div', { id: 'rollout-waves' });
  const ops = h('div', { class: 'toolbar', id: 'rollout-actions' });
  const runs = h('div', { id: 'rollout-runs' });
  let rollout = await get(base);
  replace(main, h('h1', { class: 'title' }, 'Rollout ', h('span', { class: 'name' }, name)), ops, head,
    section('Waves', bars), section('Update runs', runs));

  function show() {
    replace(head, h('div', { class: 'card' }, facts([
      ['State', badge(rollout.state)], ['Why', rollout.stateReason], ['OS', `${rollout.osProfile} ${rollout.version}`],
      ['Hosts', rollout.selection], ['On failure', rollout.onFailure], ['Overall', progress(rollout.counts, 'All waves')],
      ['Created', when(rollout.createdAt)], ['By', rollout.createdBy], ['Started', when(rollout.startedAt)], ['Finished', when(rollout.finishedAt)],
    ])));
    replace(bars, waveBars(rollout));
    replace(ops, ctx.can('OPERATE') ? (OPS[rollout.state] || []).map((op) => h('button', {
      type: 'button', id: `rollout-${op}`, class: op === 'abort' ? 'danger' : 'primary',
      onclick: async (ev) => {
        if (op === 'abort' && !confirm(`Abort rollout ${name}? Unfinished runs fail and their OS is withdrawn.`)) return;
        ev.target.disabled = true;
        try {
          rollout = await post(`${base}/${op}`);
          toast(`Rollout ${op === 'abort' ? 'aborted' : `${op}${op.endsWith('e') ? 'd' : 'ed'}`}`);
          show();
        } catch (e) { toast(e.message); ev.target.disabled = false; }
      },
    }, op[0].toUpperCase() + op.slice(1))) : null);
  }

  async function refresh() {
    const [r, page] = await Promise.all([get(base), get(`${base}/runs${query({ limit: 100 })}`)]);
    rollout = r;
    show();
    replace(runs, table(['Host', 'Wave', 'Status', 'Progress', 'Failure', 'Updated'],
      page.runs.map((x) => [link(hostHref(p, x.host), x.host), String(x.wave ?? '—'), badge(x.status), `${x.progress}%`, x.failure || '', ago(x.updatedAt)]),
      { caption: 'Update runs of this rollout', empty: 'No update run yet: the first wave makes them when it starts.' }),
    page.total > page.runs.length ? h('p', { class: 'muted' }, `Showing ${page.runs.length} of ${page.total} runs.`) : null);
  }
  await refresh();
  return watch(p, ['rollouts'], refresh);
}
