import { get, post, query, seg } from '../api.js';
import { ago, badge, h, link, number, replace, table, toast } from '../dom.js';
import { field, formError, onSubmit } from '../forms.js';
import { watch } from '../live.js';
import { STATUSES, hostHref } from '../widgets.js';

const SORTS = [['NAME', 'Name'], ['STATUS', 'Status'], ['LAST_SEEN_AT', 'Last seen'], ['CREATED_AT', 'Registered']];

export async function render(main, ctx) {
  const p = ctx.project;
  const base = `/projects/${seg(p)}`;
  const q = ctx.query;
  const state = {
    status: q.get('status') || '', site: q.get('site') || '', region: q.get('region') || '', text: q.get('text') || '',
    meta: q.getAll('meta'), sort: q.get('sort') || 'NAME', order: q.get('order') || 'asc',
    offset: Math.max(0, parseInt(q.get('offset') || '0', 10) || 0), limit: [25, 50, 100, 200].includes(+q.get('limit')) ? +q.get('limit') : 50,
  };

  const [sites, regions] = await Promise.all([get(`${base}/sites`), get(`${base}/regions`)]);
  const filters = h('form', { class: 'filters', id: 'host-filters', role: 'search' },
    field('Status', 'status', { options: [['', 'any'], ...STATUSES.map((s) => [s, s.replace('_', ' ').toLowerCase()])], value: state.status }),
    field('Site', 'site', { options: [['', 'any'], ...sites.map((s) => [s.name, s.name])], value: state.site }),
    field('Region', 'region', { options: [['', 'any'], ...regions.map((r) => [r.name, r.name])], value: state.region }),
    field('Name, serial or UUID', 'text', { value: state.text, maxlength: 200, placeholder: 'search' }),
    field('Metadata', 'meta', { value: state.meta.join(', '), maxlength: 500, placeholder: 'key=value, …' }),
    field('Sort by', 'sort', { options: SORTS, value: state.sort }),
    field('Order', 'order', { options: [['asc', 'ascending'], ['desc', 'descending']], value: state.order }),
    field('Per page', 'limit', { options: [['25', '25'], ['50', '50'], ['100', '100'], ['200', '200']], value: String(state.limit) }),
    formError(),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Apply'),
      h('a', { href: `/ui/projects/${encodeURIComponent(p)}/hosts`, 'data-nav': '', class: 'btn' }, 'Reset')));
  const results = h('div', { id: 'host-results', 'aria-live': 'polite' });
  const canRegister = ctx.can('HOST_REGISTER');
  replace(main, h('h1', null, 'Hosts ', h('span', { class: 'muted' }, p)),
    canRegister ? registerForm(p, base, ctx) : null, filters, results);

  const url = () => `/ui/projects/${encodeURIComponent(p)}/hosts${query({ status: state.status, site: state.site, region: state.region,
    text: state.text, meta: state.meta, sort: state.sort === 'NAME' ? '' : state.sort, order: state.order === 'asc' ? '' : state.order,
    offset: state.offset || '', limit: state.limit === 50 ? '' : state.limit })}`;

  async function refresh() {
    let page;
    try {
      page = await get(`${base}/hosts${query({ status: state.status, site: state.site, region: state.region, text: state.text,
        meta: state.meta, sort: state.sort, order: state.order, offset: state.offset, limit: state.limit })}`);
    } catch (e) {
      const { showErrors } = await import('../forms.js');
      showErrors(filters, e);
      replace(results);
      return;
    }
    const from = page.total ? page.offset + 1 : 0;
    const to = page.offset + page.hosts.length;
    const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of hosts' },
      h('span', { class: 'muted', id: 'host-range' }, `${number(from)}–${number(to)} of ${number(page.total)}`),
      h('button', { type: 'button', disabled: state.offset === 0, onclick: () => go(Math.max(0, state.offset - state.limit)) }, '← Previous'),
      h('button', { type: 'button', disabled: to >= page.total, onclick: () => go(state.offset + state.limit) }, 'Next →'));
    replace(results, table(['Name', 'Status', 'Site', 'Serial number', 'Last seen', 'Agent'],
      page.hosts.map((x) => [link(hostHref(p, x.name), x.name), badge(x.status), x.site || '—', x.serialNumber || '—', ago(x.lastSeenAt), x.agentVersion || '—']),
      { caption: 'Hosts', empty: 'No host matches these filters.' }), pager);
  }

  function go(offset) {
    state.offset = offset;
    history.replaceState(null, '', url());
    refresh();
  }

  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(filters);
    Object.assign(state, {
      status: f.get('status'), site: f.get('site'), region: f.get('region'), text: String(f.get('text')).trim(),
      meta: String(f.get('meta')).split(',').map((s) => s.trim()).filter(Boolean), sort: f.get('sort'), order: f.get('order'),
      limit: +f.get('limit'), offset: 0,
    });
    history.replaceState(null, '', url());
    refresh();
  });

  await refresh();
  return watch(p, ['hosts'], refresh);
}

function registerForm(p, base, ctx) {
  const form = h('form', { id: 'register-form', class: 'inline-form', novalidate: true },
    formError(),
    field('Name', 'name', { required: true, maxlength: 200 }),
    field('Serial number', 'serialNumber', { maxlength: 200 }),
    field('UUID', 'uuid', { maxlength: 100 }),
    field('Site', 'site', { maxlength: 200 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Register')));
  onSubmit(form, async (v) => {
    const body = { name: v.name, serialNumber: v.serialNumber || null, uuid: v.uuid || null, site: v.site || null };
    const host = await post(`${base}/hosts`, body);
    toast(`Registered ${host.name}`);
    ctx.navigate(hostHref(p, host.name));
  });
  return h('details', { class: 'card register' }, h('summary', null, 'Register a host'), form);
}
