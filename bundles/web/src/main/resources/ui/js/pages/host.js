import { api, get, post, query, seg } from '../api.js';
import { ago, badge, bytes, facts, h, link, replace, section, table, toast, when } from '../dom.js';
import { watch } from '../live.js';
import { telemetrySection } from '../telemetry.js';
import { rolloutHref } from '../widgets.js';

const HISTORY = 'host.registered,host.onboarded,host.status-changed';

export async function render(main, ctx) {
  const p = ctx.project;
  const name = ctx.params[1];
  const base = `/projects/${seg(p)}/hosts/${seg(name)}`;
  // The host itself first: another tenant's or a missing host is a 404 here, and the page says "Not found".
  let host = await get(base);
  const [inventory, changes, runs, schedule, certificates, reports] = await Promise.all([
    get(`${base}/inventory`).catch(() => null),
    get(`${base}/inventory/changes${query({ limit: 20 })}`).catch(() => []),
    get(`${base}/update-runs${query({ limit: 20 })}`).catch(() => ({ runs: [], total: 0 })),
    get(`${base}/schedule`).catch(() => null),
    get(`${base}/certificates`).catch(() => []),
    get(`${base}/reports${query({ limit: 20 })}`).catch(() => []),
  ]);
  const audit = ctx.can('AUDIT_READ')
    ? await get(`/projects/${seg(p)}/audit${query({ limit: 500 })}`).then((pg) => pg.events.filter((e) => e.objectType === 'host' && e.objectId === name)).catch(() => null)
    : null;

  const statusBox = h('div', { id: 'host-status' });
  function showStatus() {
    replace(statusBox, facts([
      ['Status', badge(host.status)],
      ['Since', ago(host.statusChangedAt)],
      ['Reason', host.statusReason],
      ['Last seen', ago(host.lastSeenAt)],
      ['Agent', host.agentVersion],
      ['Onboarded', when(host.onboardedAt)],
    ]));
  }
  showStatus();

  // the host's status history from the project's event journal (as far as its retention goes)
  const historyBox = h('div', { id: 'host-history' });
  async function showHistory() {
    const page = await get(`/projects/${seg(p)}/events${query({ type: HISTORY, subject: name, limit: 20 })}`).catch(() => null);
    replace(historyBox, page ? [table(['When', 'Status', 'Was', 'Why'],
      page.events.map((e) => [when(e.time), badge(e.status), e.previous ? badge(e.previous) : '—', e.message || '']),
      { caption: 'Status history', empty: 'No status change recorded.' }),
    page.total > page.events.length ? h('p', { class: 'muted' }, `The latest ${page.events.length} of ${page.total} changes.`) : null]
      : h('p', { class: 'muted empty' }, 'The status history cannot be read now.'));
  }
  await showHistory();

  const actions = hostActions(ctx, base, () => host, (h2) => { host = h2; showStatus(); });
  const lastGood = runs.runs.find((r) => r.status === 'SUCCEEDED');
  const telemetry = telemetrySection(ctx, base);
  replace(main,
    h('h1', { class: 'title' }, h('span', { class: 'name' }, host.name), ' ', badge(host.status)),
    actions,
    h('div', { class: 'grid2' },
      section('Identity', facts([
        ['Name', host.name], ['Serial number', host.serialNumber], ['UUID', host.uuid], ['Site', host.site], ['Region', host.region],
        ['Registered', when(host.createdAt)], ['Auto-onboard', host.autoOnboard ? 'yes' : 'no'],
        ['Metadata', metadata(host.metadata)], ['Effective metadata', metadata(host.effectiveMetadata)],
      ])),
      section('Status', statusBox)),
    section('Status history', historyBox),
    telemetry.el,
    section('Operating system and updates', facts([
      ['Last installed by a run', lastGood ? `${lastGood.osProfile} ${lastGood.toVersion}` : null],
      ['Desired', schedule && schedule.desired ? `${schedule.desired.profile} ${schedule.desired.version}` : (schedule && schedule.desiredNote) || null],
      ['In a maintenance window', schedule ? (schedule.inWindow ? `yes (${(schedule.openWindows || []).join(', ')})` : 'no') : null],
      ['Next window opens', schedule && schedule.nextOpening ? when(schedule.nextOpening) : null],
    ]),
    h('h3', null, 'Update runs'),
    table(['Run', 'Rollout', 'From → to', 'Status', 'Progress', 'Failure', 'Updated'],
      runs.runs.map((r) => [r.id.slice(0, 8), r.rollout ? link(rolloutHref(p, r.rollout), `${r.rollout} #${r.wave}`) : (r.policySource || 'policy'),
        `${r.fromVersion || '?'} → ${r.toVersion}`, badge(r.status), `${r.progress}%`, r.failure ? `${r.failure}${r.detail ? `: ${r.detail}` : ''}` : '', ago(r.updatedAt)]),
      { caption: 'Update runs', empty: 'No update run yet.' })),
    section('Inventory', inventory ? inventoryView(inventory) : h('p', { class: 'muted empty' }, 'The host has not reported its inventory yet.'),
      h('h3', null, 'Changes'),
      table(['When', 'Sections', 'Summary'], changes.map((c) => [when(c.changedAt), c.sections.join(', '), c.summary]),
        { caption: 'Inventory changes', empty: 'No change recorded.' })),
    h('div', { class: 'grid2' },
      section('Certificates', table(['Serial', 'Valid from', 'Until', 'Revoked'],
        certificates.map((c) => [h('code', null, c.serial), when(c.notBefore), when(c.notAfter), c.revokedAt ? `${c.revokedAt} ${c.revocationReason || ''}` : 'no']),
        { caption: 'Certificates', empty: 'No certificate issued.' })),
      section('Agent reports', table(['#', 'When', 'Kind', 'Detail'],
        reports.map((r) => [String(r.sequence), ago(r.occurredAt), r.kind, r.detail]), { caption: 'Agent reports', empty: 'No report.' }))),
    audit ? section('Audit', table(['When', 'Who', 'Action', 'Outcome', 'Detail'],
      audit.slice(0, 50).map((e) => [when(e.at), e.actor, e.action, badge(e.outcome), e.detail || '']),
      { caption: 'Audit events for this host', empty: 'No audit event for this host among the project\'s latest 500.' })) : null);

  const unwatch = watch(p, ['hosts'], async () => {
    host = await get(base);
    showStatus();
    await showHistory();
  });
  return () => { unwatch(); telemetry.remove(); };
}

function metadata(m) {
  const entries = Object.entries(m || {});
  if (!entries.length) return null;
  return h('ul', { class: 'chips' }, entries.map(([k, v]) => h('li', null, `${k}=${v}`)));
}

function inventoryView(inv) {
  const i = inv.inventory;
  return [
    facts([
      ['Reported', ago(inv.reportedAt)],
      ['System', [i.system.vendor, i.system.product].filter(Boolean).join(' ') || null],
      ['BIOS', i.system.biosVersion], ['Host name', i.system.hostname],
      ['CPU', `${i.cpu.model || ''} (${i.cpu.architecture || '?'}), ${i.cpu.sockets} socket(s), ${i.cpu.cores} cores, ${i.cpu.threads} threads`],
      ['Memory', `${bytes(i.memory.totalBytes)} (${bytes(i.memory.availableBytes)} available)`],
    ]),
    table(['Disk', 'Size', 'Model', 'Kind'], i.disks.map((d) => [d.name, bytes(d.sizeBytes), d.model || '—', d.rotational ? 'rotational' : 'solid state']),
      { caption: 'Disks', empty: 'No disk reported.' }),
    table(['Interface', 'MAC', 'MTU', 'Speed', 'State'], i.nics.map((n) => [n.name, n.macAddress || '—', String(n.mtu), n.speedMbps ? `${n.speedMbps} Mb/s` : '—', n.operState || '—']),
      { caption: 'Network interfaces', empty: 'No network interface reported.' }),
  ];
}

function hostActions(ctx, base, current, update) {
  if (!ctx.can('HOST_WRITE')) return null;
  const invalidate = h('button', { type: 'button', id: 'host-invalidate', class: 'danger', onclick: async () => {
    const reason = prompt('Invalidate this host: its certificate is refused from its next call. Reason?');
    if (reason === null) return;
    try {
      update(await post(`${base}/invalidate`, { reason: reason || null }));
      toast('Host invalidated');
    } catch (e) { toast(e.message); }
  } }, 'Invalidate');
  const del = h('button', { type: 'button', id: 'host-delete', class: 'danger', onclick: async () => {
    if (!confirm(`Delete host ${current().name}? This cannot be undone.`)) return;
    try {
      await api('DELETE', base);
      toast('Host deleted');
      ctx.navigate(`/ui/projects/${encodeURIComponent(ctx.project)}/hosts`);
    } catch (e) { toast(e.message); }
  } }, 'Delete');
  return h('div', { class: 'toolbar', id: 'host-actions' }, invalidate, del);
}
