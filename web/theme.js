// Dark mode: follows the system setting until the user toggles it; the choice is remembered.
// Loaded in <head> so the theme is set before the first paint (no flash, no layout shift).
(function () {
  var key = 'ampere-theme';
  var root = document.documentElement;
  var saved = null;
  try { saved = localStorage.getItem(key); } catch (e) { /* storage blocked: follow the system */ }
  if (saved === 'light' || saved === 'dark') root.dataset.theme = saved;
  function dark() {
    return root.dataset.theme ? root.dataset.theme === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
  }
  document.addEventListener('DOMContentLoaded', function () {
    var button = document.getElementById('theme-toggle');
    if (!button) return;
    button.setAttribute('aria-pressed', String(dark()));
    button.addEventListener('click', function () {
      var next = dark() ? 'light' : 'dark';
      root.dataset.theme = next;
      button.setAttribute('aria-pressed', String(next === 'dark'));
      try { localStorage.setItem(key, next); } catch (e) { /* not remembered, still applied */ }
      document.dispatchEvent(new CustomEvent('ampere:theme'));
    });
  });
})();
