/**
 * Turns the machine's reply drafts into WhatsApp messages: a step's prompt (buttons, a numbered
 * list, or a question) drawn from the context, or a notice. Rows come from `stepOptions`, the
 * same list the input reader numbers, and every id carries the step and its token.
 */
import { encodeInteractiveId } from '../src/modules/messaging/interactive-ids.js';
import {
  WHATSAPP_LIMITS,
  ctaUrlMessage,
  listMessage,
  replyButtonsMessage,
  textMessage,
} from '../src/modules/messaging/whatsapp-messages.js';
import type { ListRow, ListSection, OutboundMessage } from '../src/modules/messaging/whatsapp-messages.js';
import { catalogueEntry } from './booking.context.js';
import {
  DEFAULT_TIMEZONE,
  formatDateTime,
  formatDayChoice,
  formatLocalDate,
  formatRupees,
  formatTime,
} from './booking.format.js';
import { consentGiver } from './booking.guards.js';
import { MAX_APPOINTMENTS, stepOptions, targetName } from './booking.steps.js';
import { textsFor } from './booking.texts.js';
import type { BookingTexts } from './booking.texts.js';
import type {
  AppointmentSummary,
  BookingContext,
  Lang,
  MenuOption,
  Notice,
  Relation,
  ReplyDraft,
  SlotOption,
  StepEnv,
} from './booking.types.js';

interface Described {
  title: string;
  description?: string;
  /** Rows of one section are drawn together under this heading (the speciality/doctor list). */
  section?: string;
}

/** Everything a renderer needs besides the draft. */
interface View {
  t: BookingTexts;
  lang: Lang;
  env: StepEnv;
  zone: string;
}

const when = (view: View, instant: string) => formatDateTime(instant, view.lang, view.zone);

/** How each option of the current step is titled, by its value. */
function describe(view: View, context: BookingContext, value: string): Described {
  const { t } = view;
  switch (context.step) {
    case 'menu':
      return t.menu[value as MenuOption];
    case 'target': {
      if (value === '+more') return { ...t.moreOptions, section: t.sections.more };
      const item = catalogueEntry(context, value);
      if (item?.kind === 'doctor')
        return { title: item.name, description: item.speciality ?? '', section: t.sections.doctors };
      return { title: item ? targetName(item) : value, description: t.anyDoctor, section: t.sections.specialities };
    }
    case 'date': {
      if (value === '+other') return t.otherDoctor;
      const free = context.dates.find((option) => option.date === value)?.freeSlots ?? 0;
      return { title: formatDayChoice(value, view.lang, view.env.now, view.zone), description: t.freeTimes(free) };
    }
    case 'slot': {
      if (value === '+more') return t.moreTimes;
      if (value === '+date') return t.otherDay;
      const slot = context.slots.find((option) => option.slotId === value);
      return slot
        ? { title: formatTime(slot.startAt, view.lang, view.zone), description: slot.doctorName }
        : { title: value };
    }
    case 'patient': {
      if (value === '+self') return t.newSelf;
      if (value === '+family') return t.newFamily;
      const profile = context.profiles.find((option) => option.patientId === value);
      return profile
        ? { title: profile.name, description: t.relations[profile.isHolder ? 'self' : profile.relation] }
        : { title: value };
    }
    case 'relation':
      return { title: t.relations[value as Relation] };
    case 'pick': {
      const appointment = context.appointments.find((option) => option.appointmentId === value);
      return appointment
        ? {
            title: when(view, appointment.startAt),
            description: `${appointment.doctorName} · ${appointment.patientName}`,
          }
        : { title: value };
    }
    default:
      return { title: value };
  }
}

/** The step's options as numbered list rows, grouped into sections where the step names them. */
function numberedSections(view: View, context: BookingContext): ListSection[] {
  const sections: ListSection[] = [];
  stepOptions(context).forEach((option, index) => {
    const { title, description, section } = describe(view, context, option.value);
    const row: ListRow = {
      id: encodeInteractiveId(context.step, context.token, option.value),
      title: `${index + 1}. ${title}`,
      ...(description ? { description } : {}),
    };
    const last = sections[sections.length - 1];
    if (last && last.title === section) last.rows.push(row);
    else sections.push({ ...(section ? { title: section } : {}), rows: [row] });
  });
  return sections;
}

function list(view: View, context: BookingContext, body: string, button: string): OutboundMessage {
  return listMessage({ body, button, sections: numberedSections(view, context) });
}

function buttons(context: BookingContext, body: string, titles: Record<string, string>): OutboundMessage {
  // WhatsApp shows at most three reply buttons; options past those are understood when typed.
  const options = stepOptions(context).slice(0, WHATSAPP_LIMITS.buttons);
  return replyButtonsMessage({
    body,
    buttons: options.map((option) => ({
      id: encodeInteractiveId(context.step, context.token, option.value),
      title: titles[option.value] ?? option.value,
    })),
  });
}

/** The fee and what is paid now versus at the clinic, stated before the patient confirms. */
function feeLine(view: View, slot: SlotOption): string | null {
  if (slot.feePaise === undefined) return null;
  const now = Math.min(slot.prepaymentPaise ?? 0, slot.feePaise);
  const rest = slot.feePaise - now;
  return view.t.feeLine(
    formatRupees(slot.feePaise),
    now > 0 ? formatRupees(now) : null,
    now > 0 && rest > 0 ? formatRupees(rest) : null,
  );
}

/** What cancelling means under the clinic's rules, said before "Yes, cancel it". */
function cancelTermsLine(view: View, appointment: AppointmentSummary): string | null {
  const terms = appointment.cancelTerms;
  if (!terms) return null;
  const { t } = view;
  if (!terms.allowed) return t.cancelTooLate(terms.cutoffHours);
  if (terms.paidPaise === 0) return null;
  if (terms.refundPaise === 0) return t.cancelNoRefund(formatRupees(terms.paidPaise), terms.noRefundHours);
  if (terms.refundPaise >= terms.paidPaise) return t.cancelRefundAll(formatRupees(terms.refundPaise));
  return t.cancelRefundPart(formatRupees(terms.refundPaise), Math.round((terms.refundPaise * 100) / terms.paidPaise));
}

function paymentParams(view: View, appointment: AppointmentSummary) {
  return {
    when: when(view, appointment.startAt),
    doctor: appointment.doctorName,
    amount: appointment.prepaymentPaise ? formatRupees(appointment.prepaymentPaise) : null,
    holdUntil: appointment.holdExpiresAt ? formatTime(appointment.holdExpiresAt, view.lang, view.zone) : null,
  };
}

/** The payment link as a "Pay now" button: a tap opens it, and no long raw URL clutters the chat. */
function payButton(view: View, body: string, url: string): OutboundMessage {
  return ctaUrlMessage({ body, buttonText: view.t.payNow, url });
}

function renderStep(view: View, context: BookingContext): OutboundMessage | OutboundMessage[] {
  const { t, env } = view;
  const draftName = context.draft?.name ?? '';
  switch (context.step) {
    case 'language':
      return buttons(context, context.lang === null ? t.welcome(env.clinic.name) : t.chooseLanguage, t.languageNames);
    case 'target':
      return list(view, context, t.targetBody, t.chooseButton);
    case 'date': {
      const appointment = context.appointment;
      const body =
        context.flow === 'reschedule' && appointment
          ? t.rescheduleDateBody(appointment.doctorName, when(view, appointment.startAt))
          : t.dateBody(context.target ? targetName(context.target) : '');
      return list(view, context, body, t.dayButton);
    }
    case 'slot': {
      const day = context.date ? formatDayChoice(context.date, view.lang, env.now, view.zone) : '';
      return list(view, context, t.slotBody(day, context.target ? targetName(context.target) : ''), t.timeButton);
    }
    case 'confirm': {
      const slot = context.slot;
      if (!slot) return textMessage(t.help.confirm);
      const appointment = context.appointment;
      if (context.flow === 'reschedule' && appointment) {
        const body = t.rescheduleConfirmBody(
          slot.doctorName,
          when(view, appointment.startAt),
          when(view, slot.startAt),
        );
        return buttons(context, body, { ...t.confirmButtons, yes: t.rescheduleYes });
      }
      const body = t.confirmBody(slot.doctorName, when(view, slot.startAt));
      return buttons(context, [body, feeLine(view, slot)].filter(Boolean).join('\n\n'), t.confirmButtons);
    }
    case 'patient': {
      const options = stepOptions(context);
      if (options.length > 3) return list(view, context, t.patientBody, t.chooseButton);
      const titles = Object.fromEntries(
        options.map((option) => [option.value, describe(view, context, option.value).title]),
      );
      return buttons(context, t.patientBody, titles);
    }
    case 'name':
      return textMessage(context.draft?.isHolder ? t.askHolderName : t.askFamilyName);
    case 'age':
      return textMessage(t.askAge(draftName));
    case 'relation':
      return list(view, context, t.relationBody(draftName), t.chooseButton);
    case 'consent': {
      const { grievanceContact, privacyNoticeUrl, name: clinic } = env.clinic;
      const notice = t.consent({
        clinic,
        name: draftName,
        giver: consentGiver(context),
        grievanceContact,
        privacyNoticeUrl,
      });
      // A notice must never be cut short: too long for a button message, it goes first as text.
      if (notice.length <= WHATSAPP_LIMITS.interactiveBody) return buttons(context, notice, t.consentButtons);
      return [textMessage(notice), buttons(context, t.consentAsk, t.consentButtons)];
    }
    case 'appointments': {
      const shown = context.appointments.slice(0, MAX_APPOINTMENTS);
      const lines = shown.map((a, i) =>
        t.appointmentLine(i + 1, when(view, a.startAt), a.doctorName, a.patientName, a.status === 'tentative'),
      );
      return buttons(
        context,
        t.appointmentsBody(lines, context.appointments.length - shown.length),
        t.appointmentsButtons,
      );
    }
    case 'pick':
      return list(view, context, context.flow === 'cancel' ? t.pickBody.cancel : t.pickBody.reschedule, t.chooseButton);
    case 'cancelConfirm': {
      const a = context.appointment;
      if (!a) return textMessage(t.help.cancelConfirm);
      const body = t.cancelConfirmBody(a.doctorName, when(view, a.startAt), a.patientName);
      return buttons(context, [body, cancelTermsLine(view, a)].filter(Boolean).join('\n\n'), t.cancelButtons);
    }
    case 'payment': {
      const payment = context.payment;
      if (!payment) return textMessage(t.help.payment);
      const params = paymentParams(view, payment.appointment);
      return payment.url
        ? payButton(view, t.paymentWithLink(params), payment.url)
        : textMessage(t.paymentPending(params));
    }
    default:
      return list(view, { ...context, step: 'menu' }, t.menuBody(env.clinic.name), t.menuButton);
  }
}

function noticeText(view: View, notice: Notice): string {
  const { t, env } = view;
  const phone = env.clinic.phone ?? null;
  switch (notice.key) {
    case 'help':
      return notice.step === 'confirm' && notice.flow === 'reschedule' ? t.help.confirm : t.help[notice.step];
    case 'notUnderstood':
      return t.notUnderstood(notice.offerFrontDesk);
    case 'stopped':
      return t.stopped(notice.flow);
    case 'noDoctors':
      return t.noDoctors(phone);
    case 'noDates':
      return t.noDates(notice.target ? targetName(notice.target) : null);
    case 'noSlots':
      return t.noSlots(notice.date ? formatLocalDate(notice.date, view.lang) : null);
    case 'bookingFailed':
      return t.bookingFailed[notice.reason];
    case 'booked': {
      const a = notice.appointment;
      const say = a.status === 'requested' ? t.requested : t.booked;
      return say(a.patientName, a.doctorName, when(view, a.startAt));
    }
    case 'held':
      return t.paymentPending(paymentParams(view, notice.appointment));
    case 'paymentConfirmed':
      return t.paymentConfirmed(notice.appointment.doctorName, when(view, notice.appointment.startAt));
    case 'holdExpired':
      return t.holdExpired(notice.appointment.doctorName, when(view, notice.appointment.startAt));
    case 'cancelledAppointment': {
      const a = notice.appointment;
      const lines = [t.cancelled(a?.doctorName ?? null, a ? when(view, a.startAt) : null)];
      if (notice.refund && notice.refund.dueAmountPaise > 0)
        lines.push(t.refundStarted(formatRupees(notice.refund.dueAmountPaise)));
      else if (notice.refund?.reason === 'outside_refund_window') lines.push(t.noRefund);
      return lines.join('\n');
    }
    case 'cancelFailed':
      return t.cancelFailed[notice.reason](phone);
    case 'rescheduled':
      return t.rescheduled(notice.appointment.doctorName, when(view, notice.appointment.startAt));
    case 'handoff':
      return t.handoff(phone);
    case 'released':
      return t.released(env.clinic.name);
    case 'timedOut':
      return t.timedOut(notice.flow !== null && notice.flow !== 'view');
    default:
      return t[notice.key];
  }
}

/** The WhatsApp messages for a reply draft (one, or two for a long consent notice), in the draft's language. */
export function renderReply(draft: ReplyDraft, env: StepEnv): OutboundMessage[] {
  const view: View = { t: textsFor(draft.lang), lang: draft.lang, env, zone: env.clinic.timezone ?? DEFAULT_TIMEZONE };
  if ('notice' in draft) {
    const { notice } = draft;
    return [
      notice.key === 'paymentLink'
        ? payButton(view, noticeText(view, notice), notice.url)
        : textMessage(noticeText(view, notice)),
    ];
  }
  return [renderStep(view, draft.step)].flat();
}
