// Dark mode: follows the system setting until the user toggles it; the choice is remembered.
// Loaded in <head> so the theme is set before the first paint (no flash, no layout shift).
(function () {
  var key = "ampere-theme";
  var saved = null;
  try { saved = localStorage.getItem(key); } catch (e) { /* storage blocked: follow the system */ }
  if (saved === "light" || saved === "dark") document.documentElement.dataset.theme = saved;
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    button.addEventListener("click", function () {
      var dark = document.documentElement.dataset.theme
        ? document.documentElement.dataset.theme === "dark"
        : window.matchMedia("(prefers-color-scheme: dark)").matches;
      var next = dark ? "light" : "dark";
      document.documentElement.dataset.theme = next;
      try { localStorage.setItem(key, next); } catch (e) { /* not remembered, still applied */ }
    });
  });
})();
