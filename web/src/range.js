// The date-range control: two date inputs and presets, kept in the URL as ?from=&to= (inclusive days).
import { byId, getParam, setParams } from './common.js';

const PRESETS = { '3m': 91, '6m': 182, '1y': 365, all: null };

function minusDays(isoDay, days) {
  return new Date(Date.parse(isoDay) - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Wires #from, #to and the .preset buttons. `min`/`max` bound the inputs (YYYY-MM-DD); `fallback` is
 * the preset used when the URL has no range. Calls `onChange({from, to})` on every change and returns the
 * initial range.
 */
export function initRange({ min, max, fallback = 'all', onChange }) {
  const from = byId('from');
  const to = byId('to');
  for (const input of [from, to]) { input.min = min; input.max = max; }
  const preset = (name) => {
    const days = PRESETS[name];
    return { from: days === null ? min : (minusDays(max, days) < min ? min : minusDays(max, days)), to: max };
  };
  let range = { from: getParam('from'), to: getParam('to') };
  if (!range.from && !range.to) range = preset(fallback);
  range.from = range.from || min;
  range.to = range.to || max;
  from.value = range.from;
  to.value = range.to;
  const apply = (next, fromUser) => {
    if (next.from > next.to) [next.from, next.to] = [next.to, next.from];
    from.value = next.from;
    to.value = next.to;
    range = next;
    if (fromUser) setParams({ from: next.from, to: next.to });
    onChange({ ...range });
  };
  from.addEventListener('change', () => { if (from.value) apply({ from: from.value, to: to.value || max }, true); });
  to.addEventListener('change', () => { if (to.value) apply({ from: from.value || min, to: to.value }, true); });
  for (const button of document.querySelectorAll('button.preset')) {
    button.addEventListener('click', () => apply(preset(button.dataset.preset), true));
  }
  return { ...range };
}
