/**
 * The chart of accounts the billing postings use. Kept small on purpose: one receivable for all
 * patients (invoices name the patient), revenue split into exempt consultations and the rest,
 * output tax per component, and the three places money sits.
 */

/** Account codes, as stored on journal lines. */
export const ACCOUNTS = [
  'patient_receivable',
  'consultation_revenue',
  'other_revenue',
  'discounts_allowed',
  'output_cgst',
  'output_sgst',
  'output_igst',
  'cash',
  'bank',
  'razorpay_clearing',
  'refunds_payable',
] as const;
/** One account code. */
export type Account = (typeof ACCOUNTS)[number];

/** Account classes: assets and expenses carry debit balances, the rest credit balances. */
export type AccountClass = 'asset' | 'liability' | 'income' | 'contra_income';

/** Name and class of each account, for the trial balance. */
export const ACCOUNT_INFO: Readonly<Record<Account, { name: string; class: AccountClass }>> = {
  patient_receivable: { name: 'Patient receivable', class: 'asset' },
  consultation_revenue: { name: 'Consultation revenue (exempt)', class: 'income' },
  other_revenue: { name: 'Other revenue', class: 'income' },
  discounts_allowed: { name: 'Discounts allowed', class: 'contra_income' },
  output_cgst: { name: 'Output CGST', class: 'liability' },
  output_sgst: { name: 'Output SGST', class: 'liability' },
  output_igst: { name: 'Output IGST', class: 'liability' },
  cash: { name: 'Cash', class: 'asset' },
  bank: { name: 'Bank (card and UPI at the desk)', class: 'asset' },
  razorpay_clearing: { name: 'Razorpay clearing', class: 'asset' },
  refunds_payable: { name: 'Refunds payable', class: 'liability' },
};

/** Revenue accounts (gross and returns in the revenue report). */
export const REVENUE_ACCOUNTS: readonly Account[] = ['consultation_revenue', 'other_revenue'];
/** Output tax accounts. */
export const TAX_ACCOUNTS: readonly Account[] = ['output_cgst', 'output_sgst', 'output_igst'];
/** Where received money sits. */
export const MONEY_ACCOUNTS: readonly Account[] = ['cash', 'bank', 'razorpay_clearing'];

/** What kind of business event a posting records (the revenue report groups by it). */
export const POSTING_KINDS = [
  'invoice',
  'invoice_void',
  'payment',
  'payment_unapplied',
  'credit_note',
  'refund',
] as const;
/** One posting kind. */
export type PostingKind = (typeof POSTING_KINDS)[number];
