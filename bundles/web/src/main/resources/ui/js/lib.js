// The pinned libraries the build takes out of their webjars into /ui/lib/<name>-<version>/. They are classic
// scripts (each defines one global), loaded once, on the first page that needs them, with their style sheet.

const loading = new Map();

/** Loads `${dir}/${script}` (and `${dir}/${css}` when given) once; resolves to window[global]. */
export function loadLibrary(dir, script, css, global) {
  let p = loading.get(dir);
  if (!p) {
    p = new Promise((resolve, reject) => {
      if (css) {
        const link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = `${dir}/${css}`;
        document.head.appendChild(link);
      }
      const s = document.createElement('script');
      s.src = `${dir}/${script}`;
      s.onload = () => resolve(window[global]);
      s.onerror = () => { loading.delete(dir); reject(new Error(`${dir.split('/').pop()} could not be loaded`)); };
      document.head.appendChild(s);
    });
    loading.set(dir, p);
  }
  return p;
}
