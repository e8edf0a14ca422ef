/**
 * OutboundMessage → whatsapp-api-js's typed message builders, which is what the client sends.
 * The message is fitted to Meta's limits first (fitMessage), so the builders' own limit checks
 * never throw for patient-sized input. The JSON the builders produce matches
 * `toCloudApiPayload` field for field, apart from what the library adds or omits on its own
 * (`language.policy`, a numeric quick-reply `index`, `preview_url` only when true); a unit test
 * holds the two together.
 */
import type { ClientMessage, TemplateComponent } from 'whatsapp-api-js/types';
import {
  ActionButtons,
  ActionCTA,
  ActionList,
  Body,
  BodyComponent,
  BodyParameter,
  Button,
  Document,
  Footer,
  Header,
  HeaderComponent,
  HeaderParameter,
  Interactive,
  Language,
  ListSection,
  PayloadComponent,
  Row,
  Template,
  Text,
  URLComponent,
} from 'whatsapp-api-js/messages';
import { fitMessage } from './whatsapp-messages.js';
import type {
  ButtonsMessage,
  CtaUrlMessage,
  ListMessage,
  OutboundMessage,
  TemplateMessage,
} from './whatsapp-messages.js';

/** `[first, ...rest]` for the builders' at-least-one parameters; the fitted message guarantees one. */
function atLeastOne<T>(items: T[], what: string): [T, ...T[]] {
  const [first, ...rest] = items;
  if (first === undefined) throw new TypeError(`A WhatsApp ${what} needs at least one entry`);
  return [first, ...rest];
}

function frame(message: ButtonsMessage | ListMessage | CtaUrlMessage): [Body, Header | undefined, Footer | undefined] {
  return [
    new Body(message.body),
    message.header ? new Header(message.header) : undefined,
    message.footer ? new Footer(message.footer) : undefined,
  ];
}

function templateOf(message: TemplateMessage): Template {
  const components: TemplateComponent[] = [];
  if (message.header?.kind === 'text') components.push(new HeaderComponent(new HeaderParameter(message.header.text)));
  if (message.header?.kind === 'document') {
    components.push(
      new HeaderComponent(
        new HeaderParameter(new Document(message.header.link, false, undefined, message.header.filename)),
      ),
    );
  }
  if (message.bodyParameters.length > 0) {
    components.push(
      new BodyComponent(
        ...atLeastOne(
          message.bodyParameters.map((text) => new BodyParameter(text)),
          'template body',
        ),
      ),
    );
  }
  for (const payload of message.quickReplyPayloads) components.push(new PayloadComponent(payload));
  if (message.copyCode !== undefined) components.push(new URLComponent(message.copyCode));
  return new Template(message.name, new Language(message.languageCode), ...components);
}

/** The library message for `message`, fitted to Meta's limits. */
export function toClientMessage(message: OutboundMessage): ClientMessage {
  const fitted = fitMessage(message);
  switch (fitted.kind) {
    case 'text':
      return new Text(fitted.body, fitted.previewUrl || undefined);
    case 'buttons': {
      const buttons = atLeastOne(
        fitted.buttons.map((button) => new Button(button.id, button.title)),
        'reply-buttons message',
      );
      return new Interactive(new ActionButtons(...buttons), ...frame(fitted));
    }
    case 'list': {
      const sections = fitted.sections.map(
        (section) =>
          new ListSection(
            section.title,
            ...atLeastOne(
              section.rows.map((row) => new Row(row.id, row.title, row.description)),
              'list section',
            ),
          ),
      );
      return new Interactive(new ActionList(fitted.button, ...atLeastOne(sections, 'list')), ...frame(fitted));
    }
    case 'cta_url':
      return new Interactive(new ActionCTA(fitted.buttonText, fitted.url), ...frame(fitted));
    case 'template':
      return templateOf(fitted);
    case 'document':
      return fitted.link
        ? new Document(fitted.link, false, fitted.caption, fitted.filename)
        : new Document(fitted.mediaId ?? '', true, fitted.caption, fitted.filename);
  }
}
