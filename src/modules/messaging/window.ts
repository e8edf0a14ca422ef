/**
 * WhatsApp's customer-service window: free-form messages reach a patient only within 24 hours of
 * their last message to us; outside it only approved templates are delivered. The sender decides
 * at send time (not at queue time) with `chooseDelivery`, which is pure.
 */
import type { Config } from '../../config.js';
import type { OutboundPurpose, TemplateFallback } from './outbound.model.js';
import { templateMessage } from './whatsapp-messages.js';
import type { OutboundMessage, TemplateMessage } from './whatsapp-messages.js';

/** The window's length. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

/** True while free-form messages are allowed: the patient wrote within the last 24 hours. */
export function isWindowOpen(lastInboundAt: Date | undefined, now: Date): boolean {
  return lastInboundAt !== undefined && now.getTime() - lastInboundAt.getTime() <= WINDOW_MS;
}

/** What to send: the message, its template fallback, or nothing (window closed, no template). */
export type DeliveryChoice =
  | { as: 'message'; message: OutboundMessage }
  | { as: 'template'; message: TemplateMessage }
  | { as: 'outside_window' };

/** Everything `chooseDelivery` weighs. */
export interface DeliveryInput {
  message: OutboundMessage;
  purpose: OutboundPurpose;
  template?: TemplateFallback;
  lastInboundAt?: Date;
  now: Date;
  templates: Config['whatsapp']['templates'];
  /** The patient's language, for the template translation. */
  language: 'en' | 'hi';
}

function configuredTemplate(input: DeliveryInput) {
  const specs = Object.entries(input.templates);
  if (input.template?.name) return specs.find(([, spec]) => spec.name === input.template?.name)?.[1];
  return specs.find(([purpose]) => purpose === input.purpose)?.[1];
}

/**
 * Body parameters of the fallback when the caller gave none: a link button's URL, because the link
 * is what the patient needs from it (the purpose's template carries the wording).
 */
function defaultParameters(message: OutboundMessage): string[] {
  return message.kind === 'cta_url' ? [message.url] : [];
}

/**
 * The message itself when it is a template or the window is open; else the purpose's (or the
 * caller's) template in the patient's language with the caller's parameters; else nothing.
 */
export function chooseDelivery(input: DeliveryInput): DeliveryChoice {
  if (input.message.kind === 'template' || isWindowOpen(input.lastInboundAt, input.now))
    return { as: 'message', message: input.message };
  const spec = configuredTemplate(input);
  const name = input.template?.name ?? spec?.name;
  if (!name) return { as: 'outside_window' };
  const language = input.template?.language ?? input.language;
  const components = input.template?.components ?? {};
  return {
    as: 'template',
    message: templateMessage({
      name,
      languageCode: spec?.languages[language] ?? language,
      ...(components.header ? { header: components.header } : {}),
      bodyParameters: components.bodyParameters ?? defaultParameters(input.message),
      quickReplyPayloads: components.quickReplyPayloads ?? [],
    }),
  };
}
