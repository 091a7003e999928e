// Hostile strings seeded into every untrusted field (titles, bodies, logins, names, commit messages,
// release names): `ampere simulator --hostile` / `ampere demo --hostile` use the same list
// (src/simulator/hostile_strings.cpp). Any script they manage to run sets window.__pwned.
export const HOSTILE = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '"><svg onload="window.__pwned=1">',
  '[click me](javascript:window.__pwned=1)',
  '![tracker](https://tracker.invalid/pixel.gif?id=1)',
  `${'W'.repeat(300)} very long`,
  '\u202Eevil right-to-left \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627',
  '<a href="javascript:window.__pwned=1">link</a>',
  '<iframe src="javascript:window.__pwned=1"></iframe>',
  '{{org}} ${window.__pwned=1} %s %n',
];

/** The plain marker every page must show literally (not as markup). */
export const LITERAL_MARKER = '<script>window.__pwned=1</script>';
