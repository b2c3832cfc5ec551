// The dashboard shell: routes by URL (history API under /ui), the header with the project switcher, the pages.
import { ApiError, setUnauthorizedHandler } from './api.js';
import { h, replace } from './dom.js';
import * as session from './session.js';

const ROUTES = [
  [/^\/ui\/login$/, () => import('./pages/login.js'), false],
  [/^\/ui\/oidc-callback$/, () => import('./pages/oidc-callback.js'), false],
  [/^\/ui\/projects\/([^/]+)\/?$/, (m) => redirect(`/ui/projects/${m[1]}/overview`), true],
  [/^\/ui\/projects\/([^/]+)\/overview$/, () => import('./pages/overview.js'), true],
  [/^\/ui\/projects\/([^/]+)\/hosts$/, () => import('./pages/hosts.js'), true],
  [/^\/ui\/projects\/([^/]+)\/hosts\/([^/]+)$/, () => import('./pages/host.js'), true],
  [/^\/ui\/projects\/([^/]+)\/rollouts$/, () => import('./pages/rollouts.js'), true],
  [/^\/ui\/projects\/([^/]+)\/rollouts\/([^/]+)$/, () => import('./pages/rollout.js'), true],
  [/^\/ui\/projects\/([^/]+)\/alerts$/, () => import('./pages/alerts.js'), true],
  [/^\/ui\/projects\/([^/]+)\/audit$/, () => import('./pages/audit.js'), true],
  [/^\/ui\/projects\/([^/]+)\/os-profiles$/, () => import('./pages/profiles.js'), true],
  [/^\/ui\/projects\/([^/]+)\/sites$/, () => import('./pages/sites.js'), true],
  [/^\/ui\/projects\/([^/]+)\/apps$/, () => import('./pages/apps.js'), true],
  [/^\/ui\/projects\/([^/]+)\/deployments$/, () => import('./pages/deployments.js'), true],
  [/^\/ui\/projects\/([^/]+)\/deployments\/([^/]+)$/, () => import('./pages/deployments.js'), true],
  [/^\/ui\/releases$/, () => import('./pages/releases.js'), true],
  [/^\/ui\/?$/, () => home(), true],
];

const main = document.getElementById('main');
let leave = null;

function redirect(path) {
  navigate(path, true);
  return null;
}

function home() {
  const p = session.lastProject();
  if (p) return redirect(`/ui/projects/${encodeURIComponent(p)}/overview`);
  return Promise.resolve({ render: (el) => replace(el, h('h1', null, 'No project'), h('p', null, 'Your account has no role in any project yet. Ask an organisation administrator for one.')) });
}

export function navigate(path, replaceState = false) {
  if (replaceState) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  route();
}

async function route() {
  if (leave) { try { leave(); } catch (e) { /* ignore */ } leave = null; }
  const path = location.pathname.replace(/\/+$/, '') || '/ui';
  const found = ROUTES.find(([re]) => re.test(path === '/ui' ? '/ui/' : path));
  if (!found) return notFound('There is no such page.');
  const [re, loader, needsLogin] = found;
  const match = (path === '/ui' ? '/ui/' : path).match(re);
  if (needsLogin && !session.loggedIn()) {
    return navigate(`/ui/login?next=${encodeURIComponent(location.pathname + location.search)}`, true);
  }
  try {
    if (needsLogin) {
      await session.load();
      header(match);
    } else {
      document.getElementById('top').hidden = true;
    }
    const mod = await loader(match);
    if (!mod) return;
    const params = match.slice(1).map(decodeURIComponent);
    const project = path.startsWith('/ui/projects/') ? params[0] : null;
    if (project && !session.projects().includes(project)) {
      return notFound(`There is no project ${project}, or you have no role in it.`);
    }
    if (project) session.rememberProject(project);
    main.dataset.page = path.split('/').slice(path.startsWith('/ui/projects/') ? 4 : 2).filter(Boolean)[0] || 'home';
    replace(main, h('p', { class: 'muted' }, 'Loading…'));
    const ctx = { project, params, query: new URLSearchParams(location.search), navigate, can: (perm) => session.can(project, perm) };
    // busy until the page has drawn its data, not only its frame (a page may show its form before its results)
    main.setAttribute('aria-busy', 'true');
    try {
      leave = (await mod.render(main, ctx)) || null;
    } finally {
      main.removeAttribute('aria-busy');
    }
    // bench/dashboard.sh times pages by this mark: the page is drawn with its data
    performance.mark(`edge:rendered:${main.dataset.page}`);
    main.focus({ preventScroll: true });
  } catch (e) {
    showError(e);
  }
}

function notFound(message) {
  replace(main, h('div', { class: 'card notfound' }, h('h1', null, 'Not found'), h('p', null, message), h('p', null, h('a', { href: '/ui/', 'data-nav': '' }, 'Back to the overview'))));
  main.dataset.page = 'notfound';
}

export function showError(e) {
  if (e instanceof ApiError && e.status === 404) return notFound(e.message);
  if (e instanceof ApiError && e.status === 401) return null;
  replace(main, h('div', { class: 'card error', role: 'alert' }, h('h1', null, 'Something went wrong'), h('p', null, e.message || String(e))));
  return null;
}

function header(match) {
  const top = document.getElementById('top');
  top.hidden = false;
  const projects = session.projects();
  const current = location.pathname.startsWith('/ui/projects/') ? decodeURIComponent(match[1]) : session.lastProject();
  const select = document.getElementById('project-select');
  replace(select, projects.map((p) => h('option', { value: p, selected: p === current }, p)));
  select.onchange = () => navigate(`/ui/projects/${encodeURIComponent(select.value)}/overview`);
  document.getElementById('who-name').textContent = session.user().username;
  const p = current ? `/ui/projects/${encodeURIComponent(current)}` : null;
  const items = p ? [
    ['Overview', `${p}/overview`], ['Alerts', `${p}/alerts`], ['Hosts', `${p}/hosts`], ['Sites', `${p}/sites`], ['Rollouts', `${p}/rollouts`],
    ['Applications', `${p}/apps`], ['Deployments', `${p}/deployments`],
    ['OS profiles', `${p}/os-profiles`], ['Releases', '/ui/releases'],
    session.can(current, 'AUDIT_READ') ? ['Audit', `${p}/audit`] : null,
  ].filter(Boolean) : [['Releases', '/ui/releases']];
  const nav = document.getElementById('nav');
  replace(nav, h('ul', null, items.map(([label, href]) => h('li', null,
    h('a', { href, 'data-nav': '', 'aria-current': location.pathname.startsWith(href) ? 'page' : null }, label)))));
}

document.addEventListener('click', (ev) => {
  const a = ev.target.closest && ev.target.closest('a[data-nav]');
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
  ev.preventDefault();
  document.getElementById('nav').classList.remove('open');
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', route);
document.getElementById('logout').addEventListener('click', () => {
  session.logout();
  navigate('/ui/login', true);
});
const toggle = document.getElementById('menu-toggle');
toggle.addEventListener('click', () => {
  const open = document.getElementById('nav').classList.toggle('open');
  toggle.setAttribute('aria-expanded', String(open));
});
setUnauthorizedHandler(() => {
  // the provider's token refused on the way in: the callback page says why instead
  if (location.pathname === '/ui/oidc-callback') return;
  session.logout();
  navigate(`/ui/login?next=${encodeURIComponent(location.pathname + location.search)}&expired=1`, true);
});

route();
