/**
 * The SmsProvider for Gupshup Enterprise SMS (`GatewayAPI/rest`, method SendMessage). Chosen
 * because its HTTP API takes the DLT fields per request — `principalEntityId`, `dltTemplateId`
 * and the sender id as `mask` — so each of our templates maps to its DLT id in config, with no
 * per-template setup in a vendor console that could drift from the code; it sends Hindi as
 * `Unicode_text`; and it needs no SDK (one form POST, JSON answer). MSG91's Flow API was the
 * alternative: it keeps the text and DLT id in its console under a flow id, which splits the
 * template between two places.
 */
import type { Config } from '../../../config.js';
import { SmsError } from './sms-provider.js';
import type { SmsProvider, SmsToSend } from './sms-provider.js';

/** Gupshup's JSON answer: `status` success or error; `id` is the message id, or the error code. */
interface GupshupAnswer {
  response?: { id?: string; phone?: string; details?: string; status?: string };
}

// Gupshup error codes that a retry cannot fix (bad number, template mismatch, auth, DND…).
const PERMANENT = new Set(['101', '102', '103', '105', '106', '175', '185', '322', '340']);

/** A Gupshup Enterprise provider for `config.sms`; `fetchImpl` lets the sandbox route it locally in-process if needed. */
export function createGupshupProvider(
  sms: Config['sms'],
  fetchImpl: typeof fetch = fetch,
  timeoutMs = 10_000,
): SmsProvider {
  return {
    name: 'gupshup',
    async send(message: SmsToSend) {
      const templateId = sms.templates[message.template]?.[message.language];
      if (!sms.userId || !sms.password || !sms.senderId || !sms.entityId)
        throw new SmsError('sms_not_configured', false);
      if (!templateId) throw new SmsError('no_dlt_template', false);
      const form = new URLSearchParams({
        method: 'SendMessage',
        userid: sms.userId,
        password: sms.password,
        auth_scheme: 'plain',
        v: '1.1',
        format: 'json',
        send_to: message.to.replace(/^\+/, ''),
        msg: message.text,
        msg_type: message.language === 'en' ? 'TEXT' : 'Unicode_text',
        mask: sms.senderId,
        principalEntityId: sms.entityId,
        dltTemplateId: templateId,
      });
      let response: Response;
      try {
        response = await fetchImpl(sms.apiUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch {
        throw new SmsError('sms_network', true);
      }
      if (response.status >= 500 || response.status === 429) throw new SmsError(`sms_http_${response.status}`, true);
      const answer = (await response.json().catch(() => ({}))) as GupshupAnswer;
      const result = answer.response;
      if (response.ok && result?.status === 'success' && result.id) return { providerMessageId: result.id };
      const code = result?.id && /^\d{1,6}$/.test(result.id) ? result.id : String(response.status);
      throw new SmsError(`sms_${code}`, !PERMANENT.has(code) && response.status !== 400);
    },
  };
}
