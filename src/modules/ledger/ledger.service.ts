/**
 * Writing and reading the journal. `post` is the only writer, and only the billing services call
 * it (invoices on issue and void, payments, credit notes, refunds). Postings are idempotent on
 * their source key and checked to balance before they are written.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { isDuplicateKey } from '../patients/duplicate-key.js';
import { ACCOUNTS, ACCOUNT_INFO } from './accounts.js';
import type { Account, AccountClass, PostingKind } from './accounts.js';
import { JournalEntry, postingProblem } from './journal.model.js';
import type { JournalEntryRecord, JournalLine } from './journal.model.js';

/** A posting to write: `lines` may repeat accounts and hold zeros; `post` nets them first. */
export interface PostingInput {
  clinicId: string;
  sourceKey: string;
  kind: PostingKind;
  source: { type: string; id: string };
  localDate: string;
  postedAt: Date;
  memo?: string;
  lines: JournalLine[];
}

/** A debit line. */
export function debit(account: Account, paise: number): JournalLine {
  return { account, debitPaise: paise, creditPaise: 0 };
}

/** A credit line. */
export function credit(account: Account, paise: number): JournalLine {
  return { account, debitPaise: 0, creditPaise: paise };
}

/** Merges lines per account and side and drops zero amounts, keeping the accounts' order of first use. */
export function compactLines(lines: readonly JournalLine[]): JournalLine[] {
  const merged = new Map<string, JournalLine>();
  for (const line of lines) {
    for (const side of ['debitPaise', 'creditPaise'] as const) {
      if (line[side] === 0) continue;
      const key = `${line.account}|${side}`;
      const entry = merged.get(key) ?? { account: line.account, debitPaise: 0, creditPaise: 0 };
      entry[side] += line[side];
      merged.set(key, entry);
    }
  }
  return [...merged.values()];
}

/**
 * Writes one balanced posting, or returns the one already written under its source key (so a
 * retried operation never posts twice). Returns null when every amount is zero.
 */
export async function post(input: PostingInput): Promise<JournalEntryRecord | null> {
  const lines = compactLines(input.lines);
  if (lines.length === 0) return null;
  const problem = postingProblem(lines);
  if (problem)
    throw new AppError('ledger_unbalanced', 500, `Refusing an unbalanced posting (${input.sourceKey}): ${problem}`);
  try {
    return (await JournalEntry.create({ ...input, lines })).toObject() as JournalEntryRecord;
  } catch (error) {
    if (!isDuplicateKey(error, 'journal_source_unique')) throw error;
    return JournalEntry.findOne({ clinicId: input.clinicId, sourceKey: input.sourceKey }).lean<JournalEntryRecord>();
  }
}

/** The postings recorded for one document (invoice, payment, refund…), oldest first. */
export async function postingsFor(
  clinicId: string,
  sourceType: string,
  sourceId: string,
): Promise<JournalEntryRecord[]> {
  return JournalEntry.find({ clinicId, 'source.type': sourceType, 'source.id': sourceId })
    .sort({ postedAt: 1, _id: 1 })
    .lean<JournalEntryRecord[]>();
}

/** One account's totals in the trial balance; `balancePaise` is debits minus credits. */
export interface TrialBalanceRow {
  account: Account;
  name: string;
  class: AccountClass;
  debitPaise: number;
  creditPaise: number;
  balancePaise: number;
}

/** The trial balance: every account, and totals that must agree (`balancePaise` sums to zero). */
export interface TrialBalance {
  asOf?: string;
  accounts: TrialBalanceRow[];
  totals: { debitPaise: number; creditPaise: number; balancePaise: number };
  balanced: boolean;
}

interface AccountSums {
  _id: Account;
  debitPaise: number;
  creditPaise: number;
}

/** Sums every posting (up to and including the clinic-local day `asOf`) per account. */
export async function trialBalance(actor: Actor, asOf?: string): Promise<TrialBalance> {
  assertCan(actor, 'read', 'ledger', { clinicId: actor.clinicId });
  const match: Record<string, unknown> = { clinicId: new Types.ObjectId(actor.clinicId) };
  if (asOf) match.localDate = { $lte: asOf };
  const sums = await JournalEntry.aggregate<AccountSums>([
    { $match: match },
    { $unwind: '$lines' },
    {
      $group: {
        _id: '$lines.account',
        debitPaise: { $sum: '$lines.debitPaise' },
        creditPaise: { $sum: '$lines.creditPaise' },
      },
    },
  ]);
  const byAccount = new Map(sums.map((row) => [row._id, row]));
  const accounts = ACCOUNTS.map((account) => {
    const row = byAccount.get(account);
    const debitPaise = row?.debitPaise ?? 0;
    const creditPaise = row?.creditPaise ?? 0;
    return { account, ...ACCOUNT_INFO[account], debitPaise, creditPaise, balancePaise: debitPaise - creditPaise };
  });
  const totals = accounts.reduce(
    (acc, row) => ({
      debitPaise: acc.debitPaise + row.debitPaise,
      creditPaise: acc.creditPaise + row.creditPaise,
      balancePaise: acc.balancePaise + row.balancePaise,
    }),
    { debitPaise: 0, creditPaise: 0, balancePaise: 0 },
  );
  return { ...(asOf ? { asOf } : {}), accounts, totals, balanced: totals.debitPaise === totals.creditPaise };
}

/** What patients owe the clinic at the end of the clinic-local day `asOf` (the receivable's debit balance). */
export async function receivableBalance(clinicId: string, asOf: string): Promise<number> {
  const [row] = await JournalEntry.aggregate<{ debitPaise: number; creditPaise: number }>([
    { $match: { clinicId: new Types.ObjectId(clinicId), localDate: { $lte: asOf } } },
    { $unwind: '$lines' },
    { $match: { 'lines.account': 'patient_receivable' } },
    { $group: { _id: null, debitPaise: { $sum: '$lines.debitPaise' }, creditPaise: { $sum: '$lines.creditPaise' } } },
  ]);
  return row ? row.debitPaise - row.creditPaise : 0;
}
