/**
 * What the Graph API stand-in accepts: the Cloud API `POST /{version}/{phone-number-id}/messages`
 * body for the message types this app sends (text, interactive buttons, lists and link buttons,
 * templates, documents), checked against Meta's limits so a message the real API would refuse is refused
 * here too. Plus the sandbox's own API: the message log query and the inbound message a person types.
 */
import { z } from 'zod';
import { WHATSAPP_LIMITS as L } from '../../modules/messaging/whatsapp-messages.js';

const text = (max: number) => z.string().min(1).max(max);

const interactiveFrame = {
  header: z.object({ type: z.literal('text'), text: text(L.headerText) }).optional(),
  body: z.object({ text: text(L.interactiveBody) }),
  footer: z.object({ text: text(L.footerText) }).optional(),
};

const buttonsInteractive = z.object({
  type: z.literal('button'),
  ...interactiveFrame,
  action: z.object({
    buttons: z
      .array(
        z.object({ type: z.literal('reply'), reply: z.object({ id: text(L.buttonId), title: text(L.buttonTitle) }) }),
      )
      .min(1)
      .max(L.buttons),
  }),
});

const listInteractive = z.object({
  type: z.literal('list'),
  ...interactiveFrame,
  action: z.object({
    button: text(L.listButton),
    sections: z
      .array(
        z.object({
          title: text(L.sectionTitle).optional(),
          rows: z
            .array(
              z.object({ id: text(L.rowId), title: text(L.rowTitle), description: text(L.rowDescription).optional() }),
            )
            .min(1),
        }),
      )
      .min(1)
      .max(L.listSections)
      .refine(
        (sections) => sections.reduce((sum, section) => sum + section.rows.length, 0) <= L.listRows,
        `at most ${L.listRows} rows`,
      )
      .refine(
        (sections) => sections.length === 1 || sections.every((section) => section.title),
        'every section needs a title',
      ),
  }),
});

const httpUrl = z.url({ protocol: /^https?$/ });

const ctaUrlInteractive = z.object({
  type: z.literal('cta_url'),
  ...interactiveFrame,
  action: z.object({
    name: z.literal('cta_url'),
    parameters: z.object({ display_text: text(L.ctaDisplayText), url: httpUrl }),
  }),
});

const templateParameter = z.object({ type: z.string().min(1) }).loose();

const template = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/),
  language: z.object({
    code: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/),
    policy: z.literal('deterministic').optional(),
  }),
  components: z
    .array(
      z.object({
        type: z.enum(['header', 'body', 'button']),
        sub_type: z.string().optional(),
        index: z.union([z.string(), z.number()]).optional(),
        parameters: z.array(templateParameter).max(20),
      }),
    )
    .optional(),
});

const document = z
  .object({
    link: z.url().optional(),
    id: z.string().min(1).optional(),
    filename: z.string().optional(),
    caption: text(L.caption).optional(),
  })
  .refine((doc) => Boolean(doc.link) !== Boolean(doc.id), 'exactly one of link or id');

const base = {
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.literal('individual').optional(),
  to: z.string().regex(/^\+?\d{7,15}$/),
  context: z.object({ message_id: z.string() }).optional(),
};

/** The Cloud API send request this app makes. */
export const graphSendRequest = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('text'),
    text: z.object({ body: text(L.textBody), preview_url: z.boolean().optional() }),
  }),
  z.object({
    ...base,
    type: z.literal('interactive'),
    interactive: z.discriminatedUnion('type', [buttonsInteractive, listInteractive, ctaUrlInteractive]),
  }),
  z.object({ ...base, type: z.literal('template'), template }),
  z.object({ ...base, type: z.literal('document'), document }),
]);

/** A parsed send request. */
export type GraphSendRequest = z.infer<typeof graphSendRequest>;

/** `GET /sandbox/whatsapp/api/messages?to=<wa_id>` */
export const messagesQuery = z.object({ to: z.string().regex(/^\+?\d{7,15}$/, 'must be a WhatsApp id') });

/** `GET /sandbox/whatsapp/api/inbound?from=<wa_id>`: what that number sent through the sandbox. */
export const inboundQuery = z.object({ from: z.string().regex(/^\+?\d{7,15}$/, 'must be a WhatsApp id') });

/** `POST /sandbox/whatsapp/api/inbound`: what a person types or taps in the sandbox chat. */
export const inboundBody = z
  .object({
    from: z.string().regex(/^\d{7,15}$/, 'must be a WhatsApp id (country code and number, no +)'),
    text: z.string().min(1).max(4096).optional(),
    replyId: z.string().min(1).max(256).optional(),
    replyTitle: z.string().max(256).optional(),
    /** Which kind of tap `replyId` is: a reply button (default), a list row or a template quick reply. */
    replyType: z.enum(['button', 'list', 'quick_reply']).optional(),
    profileName: z.string().max(256).optional(),
  })
  .refine((body) => (body.text === undefined) !== (body.replyId === undefined), 'send either text or replyId');

/** A parsed inbound request. */
export type InboundBody = z.infer<typeof inboundBody>;
