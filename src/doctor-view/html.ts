/** The doctor view writes HTML through the shared escaping template (platform/http/html.ts). */
export { SafeHtml, dataJson, escapeHtml, html } from '../platform/http/html.js';
export type { HtmlValue } from '../platform/http/html.js';
/** The hidden CSRF field every `<form method="post">` of the view carries (platform/http/csrf.ts). */
export { csrfField } from '../platform/http/csrf.js';
