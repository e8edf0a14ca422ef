/**
 * Daily revenue from the journal, by clinic-local day. Every figure is a sum over postings, so
 * the report can never disagree with the books:
 *
 *   gross      revenue credited by issued invoices (before discount), less voided invoices
 *   discount   discounts allowed on those invoices, less voided ones
 *   returns    revenue reversed by credit notes (refunds and corrections), excluding GST
 *   net        gross − discount − returns
 *   tax        output GST (CGST + SGST + IGST) charged less credited
 *   collected  money received (cash, bank, Razorpay)
 *   refunded   money paid back
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { badRequest, unprocessable } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { addLocalDays, parseLocalDate } from '../scheduling/clinic-time.js';
import { MONEY_ACCOUNTS, REVENUE_ACCOUNTS, TAX_ACCOUNTS } from './accounts.js';
import type { Account, PostingKind } from './accounts.js';
import { JournalEntry } from './journal.model.js';

/** One day's figures, in paise. */
export interface RevenueDay {
  date: string;
  grossPaise: number;
  discountPaise: number;
  returnsPaise: number;
  netPaise: number;
  taxPaise: number;
  collectedPaise: number;
  refundedPaise: number;
}

/** The report: one row per day from `from` to `to` (inclusive) and their totals. */
export interface RevenueReport {
  from: string;
  to: string;
  days: RevenueDay[];
  totals: Omit<RevenueDay, 'date'>;
}

/** The longest range one request may ask for. */
export const MAX_REPORT_DAYS = 366;

interface Sums {
  _id: { date: string; kind: PostingKind; account: Account };
  debitPaise: number;
  creditPaise: number;
}

function emptyDay(date: string): RevenueDay {
  return {
    date,
    grossPaise: 0,
    discountPaise: 0,
    returnsPaise: 0,
    netPaise: 0,
    taxPaise: 0,
    collectedPaise: 0,
    refundedPaise: 0,
  };
}

function addSums(day: RevenueDay, { _id: { kind, account }, debitPaise, creditPaise }: Sums): void {
  const net = creditPaise - debitPaise;
  const issued = kind === 'invoice' || kind === 'invoice_void';
  if (REVENUE_ACCOUNTS.includes(account) && issued) day.grossPaise += net;
  if (REVENUE_ACCOUNTS.includes(account) && kind === 'credit_note') day.returnsPaise += debitPaise - creditPaise;
  if (account === 'discounts_allowed' && issued) day.discountPaise += debitPaise - creditPaise;
  if (TAX_ACCOUNTS.includes(account)) day.taxPaise += net;
  if (MONEY_ACCOUNTS.includes(account) && kind === 'payment') day.collectedPaise += debitPaise - creditPaise;
  if (MONEY_ACCOUNTS.includes(account) && kind === 'refund') day.refundedPaise += creditPaise - debitPaise;
}

function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addLocalDays(day, 1)) days.push(day);
  return days;
}

/** Daily gross, discount, returns, net, tax, collected and refunded for `from`–`to` (clinic-local days). */
export async function revenueReport(actor: Actor, from: string, to: string): Promise<RevenueReport> {
  assertCan(actor, 'read', 'reports', { clinicId: actor.clinicId });
  for (const date of [from, to]) {
    try {
      parseLocalDate(date);
    } catch {
      throw badRequest(`${date} is not a calendar date (YYYY-MM-DD)`);
    }
  }
  if (from > to) throw unprocessable('`from` must not be after `to`', { from, to });
  if (daysBetween(from, to).length > MAX_REPORT_DAYS)
    throw unprocessable(`Ask for at most ${MAX_REPORT_DAYS} days at a time`, { from, to });
  return clinicRevenue(actor.clinicId, from, to);
}

/**
 * The same report for a clinic without an actor: the KPI job and snapshot (which check access
 * themselves) read revenue here, so their figures are the ledger's by construction.
 */
export async function clinicRevenue(clinicId: string, from: string, to: string): Promise<RevenueReport> {
  const days = daysBetween(from, to);
  const sums = await JournalEntry.aggregate<Sums>([
    { $match: { clinicId: new Types.ObjectId(clinicId), localDate: { $gte: from, $lte: to } } },
    { $unwind: '$lines' },
    {
      $group: {
        _id: { date: '$localDate', kind: '$kind', account: '$lines.account' },
        debitPaise: { $sum: '$lines.debitPaise' },
        creditPaise: { $sum: '$lines.creditPaise' },
      },
    },
  ]);
  const byDate = new Map(days.map((date) => [date, emptyDay(date)]));
  for (const row of sums) {
    const day = byDate.get(row._id.date);
    if (day) addSums(day, row);
  }
  const totals = emptyDay('');
  for (const day of byDate.values()) {
    day.netPaise = day.grossPaise - day.discountPaise - day.returnsPaise;
    for (const key of [
      'grossPaise',
      'discountPaise',
      'returnsPaise',
      'netPaise',
      'taxPaise',
      'collectedPaise',
      'refundedPaise',
    ] as const)
      totals[key] += day[key];
  }
  const { date: _unused, ...totalFigures } = totals;
  return { from, to, days: [...byDate.values()], totals: totalFigures };
}
