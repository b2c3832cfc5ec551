// Forms that show the API's refusals where they belong: each field error next to its field, the rest on top.
import { ApiError } from './api.js';
import { h, replace } from './dom.js';

/** A labelled input; `name` is the API's field name, so a field error finds its place. */
export function field(label, name, attrs = {}) {
  const id = `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}-${Math.random().toString(36).slice(2, 7)}`;
  const input = attrs.options
    ? h('select', { id, name, 'aria-describedby': `${id}-err` }, attrs.options.map(([v, l]) => h('option', { value: v, selected: v === attrs.value }, l)))
    : h('input', { id, name, type: attrs.type || 'text', value: attrs.value, placeholder: attrs.placeholder, required: attrs.required, autocomplete: attrs.autocomplete || 'off', maxlength: attrs.maxlength, 'aria-describedby': `${id}-err` });
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: id }, label), input, h('span', { class: 'field-error', id: `${id}-err`, role: 'alert' }));
}

export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (el.name && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA')) out[el.name] = el.value.trim();
  }
  return out;
}

export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((e) => { e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  const top = form.querySelector('.form-error');
  if (top) replace(top);
}

/** Puts each of the API's field errors under its field; what has no field goes to the form's own error line. */
export function showErrors(form, err) {
  clearErrors(form);
  const top = form.querySelector('.form-error');
  const rest = [];
  const fields = err instanceof ApiError ? err.fields : [];
  for (const f of fields) {
    const box = form.querySelector(`.field[data-field="${CSS.escape(f.field)}"]`);
    if (box) {
      box.querySelector('.field-error').textContent = f.message;
      const input = box.querySelector('input,select,textarea');
      input.setAttribute('aria-invalid', 'true');
    } else {
      rest.push(`${f.field}: ${f.message}`);
    }
  }
  if (top) replace(top, fields.length && !rest.length ? 'Please correct the fields marked below.' : [err.message, ...rest].join(' — '));
  const first = form.querySelector('[aria-invalid]');
  if (first) first.focus();
}

/** Submits through `action(values)`; disables the form meanwhile. */
export function onSubmit(form, action) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await action(values(form));
    } catch (e) {
      showErrors(form, e);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  });
}

export function formError() {
  return h('p', { class: 'form-error', role: 'alert' });
}
