/** The SMS stand-in's page: texts per number, newest first, and the failure switches. */
import type { SandboxSmsRecord } from './sandbox-sms.model.js';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page for `messages` (grouped by number) with the switch state. */
export function smsPageHtml(input: { messages: SandboxSmsRecord[]; gatewayDown: boolean; suffixes: string[] }): string {
  const byNumber = new Map<string, SandboxSmsRecord[]>();
  for (const message of input.messages) byNumber.set(message.to, [...(byNumber.get(message.to) ?? []), message]);
  const sections = [...byNumber.entries()]
    .map(
      ([to, list]) =>
        `<section><h2>+${escape(to)}</h2><ol>${list
          .map(
            (m) =>
              `<li><time>${m.createdAt.toISOString()}</time> <b>${escape(m.sender)}</b> <small>DLT ${escape(m.dltTemplateId)}</small><p>${escape(m.text)}</p></li>`,
          )
          .join('')}</ol></section>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>SMS sandbox</title><style>body{font:15px/1.4 system-ui,sans-serif;max-width:760px;margin:1.5rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.3rem}h2{font-size:1.05rem;margin:1.2rem 0 .3rem}ol{list-style:none;padding:0}li{border:1px solid #ccd;border-radius:8px;padding:.5rem .7rem;margin:.4rem 0;background:#f7f8fb}
p{margin:.3rem 0 0;white-space:pre-wrap}small,time{color:#555}form{margin:.8rem 0}button{font:inherit;padding:.35rem .8rem}</style></head>
<body><h1>SMS sandbox (Gupshup Enterprise stand-in)</h1>
<p>Texts the app sent when WhatsApp could not deliver, per number, newest first. Numbers ending in ${input.suffixes
    .map((s) => `<code>${s}</code>`)
    .join(', ')} fail on purpose (see <code>src/sandbox/sms/faults.ts</code>).</p>
<form method="post" action="/sandbox/sms/switches"><input type="hidden" name="gatewayDown" value="${input.gatewayDown ? 'false' : 'true'}">
<button type="submit">${input.gatewayDown ? 'Bring the gateway back up' : 'Take the gateway down (503 to every send)'}</button> Gateway is <b>${input.gatewayDown ? 'down' : 'up'}</b>.</form>
${sections || '<p><i>No texts yet.</i></p>'}</body></html>`;
}
