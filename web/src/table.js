// Tables built from rows with text only. Columns: {key, label, num (right-aligned), cell(row) -> Node or
// text, sortable, className(row)}. Sorting: a button in each sortable header; aria-sort shows the order.
import { el, markDrawn } from './common.js';

function compare(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined || a === '') return 1;
  if (b === null || b === undefined || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { sensitivity: 'base', numeric: true });
}

/** Sorts rows by column `key` (asc/desc), blanks last; returns a new array. */
export function sortRows(rows, key, order) {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const c = compare(a[key], b[key]);
    if (a[key] === null || a[key] === undefined || b[key] === null || b[key] === undefined) return c;
    return sign * c;
  });
}

/**
 * Renders `rows` into `container` (replacing its table). `sort` = {key, order}; `onSort(key, order)` is
 * called when a header is clicked (the caller re-sorts and renders again). `caption` names the table.
 */
export function renderTable(container, { columns, rows, sort, onSort, caption, className = '' }) {
  const head = el('tr', {}, columns.map((c) => {
    const th = el('th', { class: c.num ? 'num' : undefined, attrs: { scope: 'col' } });
    if (c.sortable && onSort) {
      const active = sort && sort.key === c.key;
      if (active) th.setAttribute('aria-sort', sort.order === 'asc' ? 'ascending' : 'descending');
      th.append(el('button', { type: 'button', class: 'sort', text: c.label, on: {
        click: () => onSort(c.key, active && sort.order === 'desc' ? 'asc' : 'desc'),
      } }));
    } else {
      th.textContent = c.label;
    }
    return th;
  }));
  const body = el('tbody');
  const fragment = document.createDocumentFragment();
  for (const row of rows) {
    fragment.append(el('tr', {}, columns.map((c) => {
      const value = c.cell ? c.cell(row) : row[c.key];
      const classes = [c.num ? 'num' : '', c.className ? c.className(row) : ''].filter(Boolean).join(' ');
      return el('td', { class: classes || undefined }, value instanceof Node ? value : String(value ?? ''));
    })));
  }
  body.append(fragment);
  const table = el('table', { class: className }, caption ? el('caption', { class: 'sr-only', text: caption }) : null,
    el('thead', {}, head), body);
  container.replaceChildren(table);
  if (rows.length > 0) markDrawn();
  return table;
}
