import { get, query, seg } from '../api.js';
import { badge, h, number, replace, table, when } from '../dom.js';
import { field, formError, showErrors } from '../forms.js';

export async function render(main, ctx) {
  const p = ctx.project;
  const q = ctx.query;
  const state = { actor: q.get('actor') || '', action: q.get('action') || '', outcome: q.get('outcome') || '', from: q.get('from') || '', to: q.get('to') || '',
    offset: Math.max(0, parseInt(q.get('offset') || '0', 10) || 0), limit: 50 };
  const form = h('form', { class: 'filters', id: 'audit-filters', role: 'search', novalidate: true },
    field('Actor', 'actor', { value: state.actor, maxlength: 200 }),
    field('Action', 'action', { value: state.action, maxlength: 200, placeholder: 'host.register' }),
    field('Outcome', 'outcome', { options: [['', 'any'], ['SUCCESS', 'success'], ['DENIED', 'denied'], ['FAILED', 'failed']], value: state.outcome }),
    field('From (ISO-8601)', 'from', { value: state.from, placeholder: '2026-01-01T00:00:00Z', maxlength: 40 }),
    field('To (ISO-8601)', 'to', { value: state.to, placeholder: '2026-12-31T00:00:00Z', maxlength: 40 }),
    formError(),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Apply')));
  const results = h('div', { id: 'audit-results' });
  replace(main, h('h1', null, 'Audit log ', h('span', { class: 'muted' }, p)), form, results);

  const url = () => `/ui/projects/${encodeURIComponent(p)}/audit${query({ ...state, limit: '', offset: state.offset || '' })}`;
  async function refresh() {
    let page;
    try {
      page = await get(`/projects/${seg(p)}/audit${query(state)}`);
    } catch (e) {
      showErrors(form, e);
      replace(results);
      return;
    }
    const to = page.offset + page.events.length;
    replace(results, table(['When', 'Who', 'Action', 'Object', 'Outcome', 'From', 'Detail'],
      page.events.map((e) => [when(e.at), e.actor, e.action, `${e.objectType || ''} ${e.objectId || ''}`.trim(), badge(e.outcome), e.sourceAddress || '', e.detail || '']),
      { caption: 'Audit events', empty: 'No audit event matches.' }),
    h('nav', { class: 'pager', 'aria-label': 'Pages of audit events' },
      h('span', { class: 'muted' }, `${number(page.total ? page.offset + 1 : 0)}–${number(to)} of ${number(page.total)}`),
      h('button', { type: 'button', disabled: state.offset === 0, onclick: () => go(Math.max(0, state.offset - state.limit)) }, '← Newer'),
      h('button', { type: 'button', disabled: to >= page.total, onclick: () => go(state.offset + state.limit) }, 'Older →')));
  }
  function go(offset) {
    state.offset = offset;
    history.replaceState(null, '', url());
    refresh();
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    for (const k of ['actor', 'action', 'outcome', 'from', 'to']) state[k] = String(f.get(k)).trim();
    state.offset = 0;
    history.replaceState(null, '', url());
    refresh();
  });
  await refresh();
}
