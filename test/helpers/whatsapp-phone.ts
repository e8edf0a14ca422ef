/**
 * A patient's phone for end-to-end tests: sends text and taps through the real signed webhook and
 * reads the bot's replies from the Graph API stand-in, the way the sandbox page does.
 */
import { randomInt } from 'node:crypto';
import type { ListeningApp } from './whatsapp.js';
import { sendInboundVia, sleep, waitFor } from './whatsapp.js';

/** A recorded Cloud API message the bot sent. */
export interface SentMessage {
  type: string;
  text?: { body: string };
  interactive?: {
    type: 'button' | 'list' | 'cta_url';
    body: { text: string };
    action: {
      buttons?: { reply: { id: string; title: string } }[];
      sections?: { rows: { id: string; title: string; description?: string }[] }[];
      /** A link button (`cta_url`): its label and the URL it opens. */
      parameters?: { display_text: string; url: string };
    };
  };
  template?: { name: string };
  document?: { link?: string; filename?: string; caption?: string };
}

/** The visible text of a message (body of text or interactive). */
export function textOf(message: SentMessage): string {
  return (
    message.text?.body ?? message.interactive?.body.text ?? message.document?.caption ?? message.template?.name ?? ''
  );
}

/** The link button of a message (label and URL), or undefined when it has none. */
export function linkButtonOf(message: SentMessage): { text: string; url: string } | undefined {
  const parameters = message.interactive?.type === 'cta_url' ? message.interactive.action.parameters : undefined;
  return parameters ? { text: parameters.display_text, url: parameters.url } : undefined;
}

/** The tappable reply options (buttons or list rows) of a message; a link button opens a page instead. */
export function optionsOf(message: SentMessage): { id: string; title: string }[] {
  const action = message.interactive?.action;
  if (!action) return [];
  return action.buttons?.map((button) => button.reply) ?? action.sections?.flatMap((section) => section.rows) ?? [];
}

/** A phone number chatting with the clinic. */
export class Phone {
  readonly waId: string;
  private seen = 0;
  private sentAt = Math.floor(Date.now() / 1000);

  constructor(
    private readonly t: ListeningApp,
    waId?: string,
  ) {
    this.waId = waId ?? `9198${randomInt(10_000_000, 99_999_999)}`;
  }

  /** Every message the bot has sent this number, oldest first. */
  async inbox(): Promise<SentMessage[]> {
    const res = await this.t.http.get(`/sandbox/whatsapp/api/messages?to=${this.waId}`);
    return (res.body.messages as { message: SentMessage }[]).map((item) => item.message);
  }

  /** Waits until the bot has answered and gone quiet; returns only the new messages. */
  async replies(): Promise<SentMessage[]> {
    let count = -1;
    await waitFor(
      async () => {
        const now = (await this.inbox()).length;
        // Quiet for a moment after at least one new message: the step's replies have all gone out.
        if (now > this.seen && now === count) return true;
        count = now;
        await sleep(250);
        return false;
      },
      { timeoutMs: 20_000, intervalMs: 50, what: 'the bot to reply' },
    );
    const all = await this.inbox();
    const fresh = all.slice(this.seen);
    this.seen = all.length;
    return fresh;
  }

  // Timestamps one second apart keep the inbox's per-sender order unambiguous.
  private nextTimestamp(): number {
    this.sentAt = Math.max(this.sentAt + 1, Math.floor(Date.now() / 1000));
    return this.sentAt;
  }

  /** Types `text` without waiting for an answer (a chat handed to the front desk gets none from the bot). */
  async send(text: string): Promise<void> {
    await sendInboundVia(this.t.http, this.t.runtime.config, {
      from: this.waId,
      profileName: 'Test Patient',
      text,
      timestamp: this.nextTimestamp(),
    });
  }

  /** Types `text` and returns the bot's replies. */
  async say(text: string): Promise<SentMessage[]> {
    await sendInboundVia(this.t.http, this.t.runtime.config, {
      from: this.waId,
      profileName: 'Test Patient',
      text,
      timestamp: this.nextTimestamp(),
    });
    return this.replies();
  }

  /** Taps the option titled `title` (exact, or a RegExp) in the latest message that has it. */
  async tap(title: string | RegExp, from?: SentMessage[]): Promise<SentMessage[]> {
    const pool = (from ?? (await this.inbox())).slice().reverse();
    const match = (option: { title: string }) =>
      typeof title === 'string' ? option.title === title : title.test(option.title);
    const message = pool.find((candidate) => optionsOf(candidate).some(match));
    if (!message)
      throw new Error(
        `no option titled ${String(title)} in: ${pool
          .map((m) =>
            optionsOf(m)
              .map((o) => o.title)
              .join(' | '),
          )
          .join(' || ')}`,
      );
    const option = optionsOf(message).find(match)!;
    const list = message.interactive?.type === 'list';
    await sendInboundVia(this.t.http, this.t.runtime.config, {
      from: this.waId,
      ...(list ? { listReplyId: option.id } : { buttonReplyId: option.id }),
      replyTitle: option.title,
      timestamp: this.nextTimestamp(),
    });
    return this.replies();
  }
}
