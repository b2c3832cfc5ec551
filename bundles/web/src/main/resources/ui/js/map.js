// The site map: Leaflet over a country outline shipped with the dashboard, so it draws on an air-gapped site
// without any tile server. Leaflet is a classic script (it defines window.L); it is loaded once, on the first
// page that needs a map, from the pinned copy the build takes out of its webjar.

import { loadLibrary } from './lib.js';

const loadLeaflet = () => loadLibrary('/ui/lib/leaflet-1.9.4', 'leaflet.js', 'leaflet.css', 'L');
let outline = null;

function loadOutline() {
  if (!outline) {
    outline = fetch('/ui/geo/countries-110m.geojson').then((r) => {
      if (!r.ok) throw new Error(`the map outline could not be loaded (HTTP ${r.status})`);
      return r.json();
    }).catch((e) => { outline = null; throw e; });
  }
  return outline;
}

/**
 * Draws sites as circles coloured by health into el. sites: [{name, latitude, longitude, health, label, href}],
 * health one of 'ok', 'warn', 'bad'. Sites without coordinates are left out (the table beside lists them all).
 * onOpen(href) is called when a site's circle is activated. Returns a function that removes the map.
 */
export async function siteMap(el, sites, onOpen) {
  const [L, world] = await Promise.all([loadLeaflet(), loadOutline()]);
  const placed = sites.filter((s) => Number.isFinite(s.latitude) && Number.isFinite(s.longitude));
  const map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.25, attributionControl: true });
  // The view first: vector layers added to a map without one have no pixel bounds to draw into.
  if (placed.length) {
    map.fitBounds(L.latLngBounds(placed.map((s) => [s.latitude, s.longitude])).pad(0.4), { maxZoom: 5 });
  } else {
    map.setView([30, 0], 1.5);
  }
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Outline: Natural Earth via world-atlas');
  L.geoJSON(world, { interactive: false, style: { color: '#8a9aae', weight: 0.6, fillColor: '#fbfcfd', fillOpacity: 1 } }).addTo(map);
  const colours = { ok: '#1d7a46', warn: '#a15c00', bad: '#b42318' };
  placed.forEach((s) => {
    const m = L.circleMarker([s.latitude, s.longitude], {
      radius: 8, weight: 2, color: '#fff', fillColor: colours[s.health] || colours.ok, fillOpacity: 0.95,
      className: `site-marker site-${s.health}`,
    });
    m.bindTooltip(`${s.name} · ${s.label}`, { direction: 'top' });
    m.on('click', () => onOpen(s.href));
    m.addTo(map);
    const path = m.getElement && m.getElement();
    if (path) {
      path.setAttribute('data-site', s.name);
      path.setAttribute('aria-label', `${s.name}: ${s.label}`);
    }
  });
  return () => map.remove();
}
