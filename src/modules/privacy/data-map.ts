/**
 * Where a patient's personal data lives, collection by collection, and what an erasure request
 * may do to each under Indian law. The access export reads every entry; erasure follows each
 * entry's rule; the export test checks the map against the raw database (every collection that
 * holds the patient's ids must be listed here), so a new collection cannot be forgotten quietly.
 *
 * Records are read through the registered mongoose models by name (so encrypted fields open as
 * their own module defines), never by importing another module's files.
 */

/** How a collection's documents are tied to the patient. */
export type Link =
  | 'patientId' // documents with the patient's id in `patientId`
  | 'patientSelf' // the patient profile itself (`_id`)
  | 'contactSelf' // the phone number's contact (`_id`)
  | 'phoneHash' // the number's blind index in `phoneHash`
  | 'waHash' // the same blind index, named `waHash`
  | 'toHash' // the same blind index, named `toHash`
  | 'auditEntity'; // audit events about the patient (`entity.id`)

/** What erasure does to a collection. */
export type Disposition =
  | { kind: 'erase' }
  | { kind: 'anonymise'; fields: readonly string[] }
  | { kind: 'retain'; rule: string };

/** One collection holding patient data. */
export interface DataMapEntry {
  /** The mongoose model name (its collection follows from it). */
  model: string;
  link: Link;
  /** A plain-language name for the export and the erasure report. */
  label: string;
  disposition: Disposition;
}

const MEDICAL =
  'Medical records are kept for at least 3 years from the last visit (Indian Medical Council (Professional Conduct, Etiquette and Ethics) Regulations 2002, reg. 1.3.1; DPDP Act s. 8(7) and s. 17(2) allow retention required by law)';
const TAX =
  'Tax invoices, receipts, refunds and credit notes are kept for 72 months after the annual return (CGST Act 2017, s. 36; Income-tax Act s. 44AA)';
const CONSENT_PROOF =
  'The record of consent and its withdrawal is kept as proof of lawful processing (DPDP Act s. 6(10)); it holds no health data';
const AUDIT = 'The tamper-evident audit trail holds ids and changes, never health data, and cannot be edited';

/** Every collection that can hold a patient's personal data. */
export const DATA_MAP: readonly DataMapEntry[] = [
  {
    model: 'Patient',

    link: 'patientSelf',
    label: 'Profile',
    // Identity stays with the retained medical records; the rest goes.
    disposition: { kind: 'anonymise', fields: ['email', 'emergencyContact'] },
  },
  {
    model: 'Contact',

    link: 'contactSelf',
    label: 'Phone number',
    disposition: { kind: 'anonymise', fields: ['waId', 'lastInboundAt'] },
  },
  { model: 'Consent', link: 'patientId', label: 'Consents', disposition: { kind: 'retain', rule: CONSENT_PROOF } },
  { model: 'Appointment', link: 'patientId', label: 'Appointments', disposition: { kind: 'retain', rule: MEDICAL } },
  { model: 'Visit', link: 'patientId', label: 'Visit notes', disposition: { kind: 'retain', rule: MEDICAL } },
  { model: 'Prescription', link: 'patientId', label: 'Prescriptions', disposition: { kind: 'retain', rule: MEDICAL } },
  { model: 'DietPlan', link: 'patientId', label: 'Diet plans', disposition: { kind: 'retain', rule: MEDICAL } },
  { model: 'LabTest', link: 'patientId', label: 'Lab tests', disposition: { kind: 'retain', rule: MEDICAL } },
  {
    model: 'Dispensing',
    link: 'patientId',
    label: 'Medicines dispensed',
    disposition: { kind: 'retain', rule: MEDICAL },
  },
  {
    model: 'BreakGlassGrant',
    link: 'patientId',
    label: 'Emergency access by staff',
    disposition: { kind: 'retain', rule: AUDIT },
  },
  { model: 'Invoice', link: 'patientId', label: 'Bills', disposition: { kind: 'retain', rule: TAX } },
  { model: 'Payment', link: 'patientId', label: 'Payments', disposition: { kind: 'retain', rule: TAX } },
  { model: 'Refund', link: 'patientId', label: 'Refunds', disposition: { kind: 'retain', rule: TAX } },
  { model: 'CreditNote', link: 'patientId', label: 'Credit notes', disposition: { kind: 'retain', rule: TAX } },
  { model: 'PaymentLink', link: 'patientId', label: 'Payment links', disposition: { kind: 'retain', rule: TAX } },
  {
    model: 'PatientDocumentDelivery',
    link: 'patientId',
    label: 'Documents sent on WhatsApp',
    disposition: { kind: 'erase' },
  },
  {
    model: 'RightsRequest',
    link: 'patientId',
    label: 'Your privacy requests',
    disposition: {
      kind: 'retain',
      rule: 'Requests under the DPDP Act and their answers are kept to show they were handled (DPDP Act s. 13)',
    },
  },
  { model: 'Conversation', link: 'phoneHash', label: 'WhatsApp conversation state', disposition: { kind: 'erase' } },
  { model: 'InboxMessage', link: 'waHash', label: 'WhatsApp messages you sent', disposition: { kind: 'erase' } },
  { model: 'OutboundMessage', link: 'toHash', label: 'WhatsApp messages we sent', disposition: { kind: 'erase' } },
  { model: 'WaContact', link: 'waHash', label: 'WhatsApp delivery state', disposition: { kind: 'erase' } },
  { model: 'OtpChallenge', link: 'phoneHash', label: 'Sign-in codes (hashes)', disposition: { kind: 'erase' } },
  { model: 'AuditEvent', link: 'auditEntity', label: 'Audit trail', disposition: { kind: 'retain', rule: AUDIT } },
];

/** Links that follow the phone number: shared by the whole family on it. */
export const NUMBER_LINKS: readonly Link[] = ['contactSelf', 'phoneHash', 'waHash', 'toHash'];
