// Untrusted markdown (issue bodies) -> a safe DOM fragment: marked renders (raw HTML is shown as text),
// DOMPurify keeps only plain formatting tags, images become a text note (no remote trackers load), links
// are https/http only and open with rel="noopener noreferrer nofollow". Nothing is assigned to innerHTML.
import { Marked } from 'marked';
import DOMPurify from 'dompurify';

const ALLOWED_TAGS = ['a', 'b', 'blockquote', 'br', 'code', 'del', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i',
  'li', 'ol', 'p', 'pre', 's', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul', 'span'];

const escapeText = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const marked = new Marked({
  gfm: true, breaks: true, async: false,
  renderer: {
    // Images would load from anywhere (tracking pixels): show their alt text instead.
    image(token) { return `<span class="img-note">[image: ${escapeText(token.text || 'untitled')}]</span>`; },
    // Raw HTML in the markdown is shown as the text it is (GitHub strips most of it; showing it hides
    // nothing and keeps event-handler attributes from ever being parsed as markup).
    html(token) { return escapeText(token.text ?? token.raw ?? ''); },
  },
});

const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName === 'A') {
    const href = node.getAttribute('href') || '';
    let safe = false;
    try { safe = ['https:', 'http:'].includes(new URL(href, 'https://invalid.example/').protocol) && /^https?:\/\//i.test(href); } catch { safe = false; }
    if (!safe) node.removeAttribute('href');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
    node.setAttribute('target', '_blank');
  }
});

/** The markdown `text` as sanitized DOM (a DocumentFragment). */
export function renderMarkdown(text) {
  const html = marked.parse(String(text ?? ''));
  return purifier.sanitize(html, {
    ALLOWED_TAGS, ALLOWED_ATTR: ['href', 'title', 'class'], ALLOW_DATA_ATTR: false, ALLOW_ARIA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  });
}
