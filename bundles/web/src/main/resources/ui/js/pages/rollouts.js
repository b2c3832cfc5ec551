import { get, query, seg } from '../api.js';
import { ago, badge, h, replace, table } from '../dom.js';
import { watch } from '../live.js';
import { progress, rolloutLink } from '../widgets.js';

const STATES = ['', 'CREATING', 'READY', 'RUNNING', 'PAUSED', 'FINISHED', 'ABORTED'];

export async function render(main, ctx) {
  const p = ctx.project;
  const state = ctx.query.get('state') || '';
  const select = h('select', { id: 'rollout-state', onchange: () => ctx.navigate(`/ui/projects/${encodeURIComponent(p)}/rollouts${query({ state: select.value })}`) },
    STATES.map((s) => h('option', { value: s, selected: s === state }, s ? s.toLowerCase() : 'any')));
  const list = h('div', { id: 'rollout-list' });
  replace(main, h('h1', null, 'Rollouts ', h('span', { class: 'muted' }, p)),
    h('div', { class: 'toolbar' }, h('label', { for: 'rollout-state' }, 'State '), select), list);
  async function refresh() {
    const rollouts = await get(`/projects/${seg(p)}/rollouts${query({ state, limit: 200 })}`);
    replace(list, table(['Rollout', 'State', 'OS', 'Progress', 'Wave', 'Created'],
      rollouts.map((r) => [rolloutLink(p, r), badge(r.state), `${r.osProfile} ${r.version}`, progress(r.counts, r.name),
        `${Math.min(r.currentWave, r.waves.length)}/${r.waves.length}`, ago(r.createdAt)]),
      { caption: 'Rollouts', empty: 'No rollout.' }));
  }
  await refresh();
  return watch(p, ['rollouts'], refresh);
}
