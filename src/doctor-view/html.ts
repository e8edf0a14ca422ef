/** The doctor view writes HTML through the shared escaping template (platform/http/html.ts). */
export { SafeHtml, dataJson, escapeHtml, html } from '../platform/http/html.js';
export type { HtmlValue } from '../platform/http/html.js';
