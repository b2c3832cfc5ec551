// The project's alerts (GET /alerts, firing first by default), with acknowledge and silence for those who may
// operate, and the project's silences. It follows the event stream: every alert.changed event redraws it.
import { api, get, post, query, seg } from '../api.js';
import { ago, badge, h, number, replace, section, table, toast, when } from '../dom.js';
import { field, formError, onSubmit, showErrors } from '../forms.js';
import { watch } from '../live.js';
import { alertsHref, subjectOf } from '../widgets.js';

const STATES = [['FIRING', 'firing'], ['RESOLVED', 'resolved'], ['ANY', 'any']];
const LIMIT = 50;

export async function render(main, ctx) {
  const p = ctx.project;
  const base = `/projects/${seg(p)}`;
  const q = ctx.query;
  const state = {
    state: STATES.some(([s]) => s === q.get('state')) ? q.get('state') : 'FIRING', rule: q.get('rule') || '',
    subject: q.get('subject') || '', offset: Math.max(0, parseInt(q.get('offset') || '0', 10) || 0),
  };
  const canOperate = ctx.can('OPERATE');
  const rules = await get(`${base}/alert-rules`);
  const ruleOptions = [['', 'any'], ...rules.map((r) => [r.name, r.name])];

  const filters = h('form', { class: 'filters', id: 'alert-filters', role: 'search', novalidate: true },
    field('State', 'state', { options: STATES, value: state.state }),
    field('Rule', 'rule', { options: ruleOptions, value: state.rule }),
    field('Subject or host', 'subject', { value: state.subject, maxlength: 255, placeholder: 'store-00001' }),
    formError(),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Apply'),
      h('a', { href: alertsHref(p), 'data-nav': '', class: 'btn' }, 'Reset')));
  const results = h('div', { id: 'alert-results', 'aria-live': 'polite' });
  const silences = h('div', { id: 'silence-list' });
  const silence = canOperate ? silenceForm(base, rules, () => refresh()) : null;
  replace(main, h('h1', null, 'Alerts ', h('span', { class: 'muted' }, p)), filters, results,
    section('Silences', silence ? silence.el : null, silences));

  const url = () => alertsHref(p, { state: state.state === 'FIRING' ? '' : state.state, rule: state.rule,
    subject: state.subject, offset: state.offset || '' });

  async function acknowledge(ev, a) {
    ev.target.disabled = true;
    try {
      await post(`${base}/alerts/${seg(a.id)}/acknowledge`);
      toast(`Acknowledged ${a.rule} on ${a.subject}`);
      await refresh();
    } catch (e) { toast(e.message); ev.target.disabled = false; }
  }

  async function refresh() {
    let page;
    let active;
    try {
      [page, active] = await Promise.all([
        get(`${base}/alerts${query({ state: state.state === 'ANY' ? '' : state.state, rule: state.rule, subject: state.subject,
          offset: state.offset, limit: LIMIT })}`),
        get(`${base}/silences`)]);
    } catch (e) {
      showErrors(filters, e);
      replace(results);
      return;
    }
    const headers = ['Severity', 'Rule', 'Subject', 'State', 'Value', 'Message', 'Since', 'Acknowledged', 'Muted'];
    replace(results, table(canOperate ? [...headers, 'Actions'] : headers, page.alerts.map((a) => {
      const row = [badge(a.severity),
        h('span', { class: 'alert-rule', dataset: { alert: a.id, rule: a.rule, subject: a.subject, state: a.state } }, a.rule),
        subjectOf(p, a), badge(a.state), a.value == null ? '—' : String(+a.value.toFixed(2)), h('span', { class: 'wrap' }, a.message || ''),
        a.state === 'RESOLVED' ? h('span', null, ago(a.since), ' → ', ago(a.resolvedAt)) : ago(a.since),
        a.acknowledgedBy ? h('span', { class: 'acked' }, `${a.acknowledgedBy} `, ago(a.acknowledgedAt)) : '—',
        a.mutedBy ? h('span', { class: 'muted-by' }, a.mutedBy.startsWith('silence') ? 'silenced' : a.mutedBy) : '—'];
      if (canOperate) {
        row.push(a.state === 'FIRING' ? h('div', { class: 'row-actions' },
          a.acknowledgedBy ? null : h('button', { type: 'button', class: 'ack', dataset: { alert: a.id },
            onclick: (ev) => acknowledge(ev, a) }, 'Acknowledge'),
          h('button', { type: 'button', class: 'silence', dataset: { alert: a.id },
            onclick: () => silence.prefill(a.rule, a.host || a.subject) }, 'Silence…')) : '');
      }
      return row;
    }), { caption: 'Alerts', empty: state.state === 'FIRING' && !state.rule && !state.subject ? 'No alert is firing.' : 'No alert matches.' }),
    pager(page));

    const now = active.filter((s) => s.active);
    replace(silences, table(canOperate ? ['Rule', 'Subject', 'Comment', 'By', 'Until', ''] : ['Rule', 'Subject', 'Comment', 'By', 'Until'],
      now.map((s) => {
        const row = [s.rule || 'any rule', s.subject || 'any subject', h('span', { class: 'wrap' }, s.comment || ''), s.createdBy, when(s.expiresAt)];
        if (canOperate) {
          row.push(h('button', { type: 'button', class: 'end-silence', dataset: { silence: s.id }, onclick: async (ev) => {
            ev.target.disabled = true;
            try {
              await api('DELETE', `${base}/silences/${seg(s.id)}`);
              toast('Silence ended');
              await refresh();
            } catch (e) { toast(e.message); ev.target.disabled = false; }
          } }, 'End now'));
        }
        return row;
      }), { caption: 'Active silences', empty: 'No silence is active.' }),
    active.length > now.length ? h('p', { class: 'muted' }, `${number(active.length - now.length)} ended.`) : null);
  }

  function pager(page) {
    if (page.total <= page.alerts.length && state.offset === 0) {
      return h('p', { class: 'muted', id: 'alert-range' }, `${number(page.total)} ${page.total === 1 ? 'alert' : 'alerts'}`);
    }
    const to = page.offset + page.alerts.length;
    return h('nav', { class: 'pager', 'aria-label': 'Pages of alerts' },
      h('span', { class: 'muted', id: 'alert-range' }, `${number(page.total ? page.offset + 1 : 0)}–${number(to)} of ${number(page.total)}`),
      h('button', { type: 'button', disabled: state.offset === 0, onclick: () => go(Math.max(0, state.offset - LIMIT)) }, '← Newer'),
      h('button', { type: 'button', disabled: to >= page.total, onclick: () => go(state.offset + LIMIT) }, 'Older →'));
  }

  function go(offset) {
    state.offset = offset;
    history.replaceState(null, '', url());
    refresh();
  }

  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(filters);
    Object.assign(state, { state: f.get('state'), rule: f.get('rule'), subject: String(f.get('subject')).trim(), offset: 0 });
    history.replaceState(null, '', url());
    refresh();
  });

  await refresh();
  return watch(p, ['alerts'], refresh);
}

/** A form for a new silence (a rule and/or a subject, for some minutes); the API's refusals go next to the fields. */
function silenceForm(base, rules, done) {
  const form = h('form', { id: 'silence-form', class: 'inline-form', novalidate: true },
    formError(),
    field('Rule', 'rule', { options: [['', 'any rule'], ...rules.map((r) => [r.name, r.name])], value: '' }),
    field('Subject (a host mutes its devices too)', 'subject', { maxlength: 255 }),
    field('Minutes', 'minutes', { value: '60', maxlength: 10, type: 'text' }),
    field('Comment', 'comment', { maxlength: 1000 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Silence')));
  onSubmit(form, async (v) => {
    // a number goes as a number; anything else as written, so the API names the field it refuses
    const minutes = /^\d+$/.test(v.minutes) ? Number(v.minutes) : (v.minutes || null);
    await post(`${base}/silences`, { rule: v.rule || null, subject: v.subject || null, comment: v.comment || null, minutes });
    toast(`Silenced ${v.rule || 'every rule'}${v.subject ? ` on ${v.subject}` : ''} for ${minutes} min`);
    form.reset();
    details.open = false;
    await done();
  });
  const details = h('details', { class: 'register', id: 'silence-new' }, h('summary', null, 'New silence'), form);
  return {
    el: details,
    prefill(rule, subject) {
      form.elements.rule.value = rule || '';
      form.elements.subject.value = subject || '';
      details.open = true;
      form.elements.minutes.focus();
      details.scrollIntoView({ block: 'nearest' });
    },
  };
}
