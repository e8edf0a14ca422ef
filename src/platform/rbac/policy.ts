/**
 * The one policy table: role × resource × action. The API, AdminJS (`isAccessible`), the doctor
 * view and the patient portal all ask `can()` (./can.ts), which reads only this file.
 *
 * A grant is either `all` (every record of the actor's clinic) or a named record rule, so a
 * reader can see at a glance where record-level checks apply. Anything not listed is denied.
 */
import type { Role } from '../actor.js';

/** What an actor may do to a resource. `approve` covers approve/reject decisions; `sign` is clinical sign-off. */
export const ACTIONS = ['read', 'create', 'update', 'delete', 'approve', 'sign', 'export'] as const;
/** One policy action. */
export type Action = (typeof ACTIONS)[number];

/** Every resource of the product, named as the API and AdminJS name them. */
export const RESOURCES = [
  'staff',
  'devices',
  'clinic_settings',
  'patients',
  'consents',
  'doctors',
  'availability',
  'slots',
  'appointments',
  'visits',
  'prescriptions',
  'diet_plans',
  'lab_results',
  'dispensing',
  'price_list',
  'invoices',
  'payments',
  'refunds',
  'discounts',
  'ledger',
  'reports',
  'kpis',
  'audit',
  'conversations',
  'privacy_requests',
  'breaches',
  'automation',
] as const;
/** One policy resource. */
export type Resource = (typeof RESOURCES)[number];

/**
 * `all`: any record in the actor's clinic.
 * `own_patient`: record.patientId is one of actor.patientIds (a patient and their family profiles).
 * `own_doctor`: record.doctorId equals actor.doctorId (a doctor's own visits, notes, schedule).
 * `within_discount_limit`: record.discountPercent is at most the role's limit — record.discountLimits
 *   (the clinic's settings) over DISCOUNT_LIMITS; 0 when neither names the role.
 */
export type Grant = 'all' | 'own_patient' | 'own_doctor' | 'within_discount_limit';

/** Per resource, per action, the roles granted and under which rule. */
export type PolicyTable = Record<Resource, Partial<Record<Action, Partial<Record<Role, Grant>>>>>;

/**
 * Default highest discount (percent of the bill) a role with a `within_discount_limit` grant may
 * give on its own; a clinic's billing settings override them per role (the service passes the
 * clinic's limits as `record.discountLimits`). Above the limit the discount needs a role with
 * `approve` on `discounts` whose own limit covers it (accounts, or admin for any amount).
 */
export const DISCOUNT_LIMITS: Readonly<Partial<Record<Role, number>>> = {
  frontdesk: 10,
  pharmacy: 5,
  accounts: 50,
};

/**
 * The table. Clinical content (visits, prescriptions, diet plans, lab results) is deliberately not
 * granted to admin, front desk or accounts: least privilege for PHI. Front desk may open a visit
 * at check-in and file a received lab report, but not read clinical text.
 */
export const POLICY: PolicyTable = {
  staff: {
    read: { admin: 'all' },
    create: { admin: 'all' },
    update: { admin: 'all' },
  },
  devices: {
    read: { admin: 'all' },
    approve: { admin: 'all' },
  },
  clinic_settings: {
    read: { frontdesk: 'all', doctor: 'all', pharmacy: 'all', accounts: 'all', admin: 'all' },
    update: { admin: 'all' },
  },
  patients: {
    read: { patient: 'own_patient', frontdesk: 'all', doctor: 'all', pharmacy: 'all', accounts: 'all', admin: 'all' },
    // A patient creates their own (or a family member's) profile from WhatsApp or the portal.
    create: { patient: 'all', frontdesk: 'all', admin: 'all' },
    update: { patient: 'own_patient', frontdesk: 'all', doctor: 'all', admin: 'all' },
    // Erasure requests are weighed against medical-record retention by an admin.
    delete: { admin: 'all' },
    // DPDP access export.
    export: { patient: 'own_patient', admin: 'all' },
  },
  consents: {
    read: { patient: 'own_patient', frontdesk: 'all', doctor: 'all', admin: 'all' },
    create: { patient: 'own_patient', frontdesk: 'all', admin: 'all' },
    // Withdrawal is an update of the consent record.
    update: { patient: 'own_patient', frontdesk: 'all', admin: 'all' },
  },
  doctors: {
    read: { patient: 'all', frontdesk: 'all', doctor: 'all', pharmacy: 'all', accounts: 'all', admin: 'all' },
    create: { admin: 'all' },
    update: { doctor: 'own_doctor', admin: 'all' },
  },
  availability: {
    read: { patient: 'all', frontdesk: 'all', doctor: 'all', admin: 'all' },
    create: { frontdesk: 'all', doctor: 'own_doctor', admin: 'all' },
    update: { frontdesk: 'all', doctor: 'own_doctor', admin: 'all' },
    delete: { frontdesk: 'all', doctor: 'own_doctor', admin: 'all' },
  },
  slots: {
    read: { patient: 'all', frontdesk: 'all', doctor: 'all', admin: 'all' },
    create: { frontdesk: 'all', admin: 'all' },
    // A doctor may block or free their own slots.
    update: { frontdesk: 'all', doctor: 'own_doctor', admin: 'all' },
    delete: { frontdesk: 'all', admin: 'all' },
  },
  appointments: {
    read: { patient: 'own_patient', frontdesk: 'all', doctor: 'all', accounts: 'all', admin: 'all' },
    create: { patient: 'own_patient', frontdesk: 'all', admin: 'all' },
    // Cancelling and rescheduling are updates; a doctor moves only their own (start, complete).
    // Accounts confirms a hold paid at the counter; the lifecycle table limits it to that event.
    update: { patient: 'own_patient', frontdesk: 'all', doctor: 'own_doctor', accounts: 'all', admin: 'all' },
  },
  visits: {
    read: { patient: 'own_patient', doctor: 'all' },
    create: { frontdesk: 'all', doctor: 'own_doctor' },
    update: { doctor: 'own_doctor' },
    sign: { doctor: 'own_doctor' },
  },
  prescriptions: {
    read: { patient: 'own_patient', doctor: 'all', pharmacy: 'all' },
    create: { doctor: 'own_doctor' },
    // A new version; the old one is kept.
    update: { doctor: 'own_doctor' },
  },
  diet_plans: {
    read: { patient: 'own_patient', doctor: 'all' },
    create: { doctor: 'own_doctor' },
    update: { doctor: 'own_doctor' },
  },
  lab_results: {
    read: { patient: 'own_patient', doctor: 'all' },
    create: { frontdesk: 'all', doctor: 'all' },
    update: { doctor: 'own_doctor' },
  },
  dispensing: {
    read: { patient: 'own_patient', doctor: 'all', pharmacy: 'all', accounts: 'all', admin: 'all' },
    create: { pharmacy: 'all' },
    update: { pharmacy: 'all' },
  },
  // The price list: items with SAC/HSN codes, prices and GST rate history.
  price_list: {
    read: { frontdesk: 'all', doctor: 'all', pharmacy: 'all', accounts: 'all', admin: 'all' },
    create: { accounts: 'all', admin: 'all' },
    update: { accounts: 'all', admin: 'all' },
  },
  invoices: {
    read: { patient: 'own_patient', frontdesk: 'all', pharmacy: 'all', accounts: 'all', admin: 'all' },
    create: { frontdesk: 'all', pharmacy: 'all', accounts: 'all', admin: 'all' },
    // Invoices are never deleted; corrections are credit notes (updates by accounts).
    update: { accounts: 'all', admin: 'all' },
    export: { accounts: 'all', admin: 'all' },
  },
  payments: {
    read: { patient: 'own_patient', frontdesk: 'all', pharmacy: 'all', accounts: 'all', admin: 'all' },
    create: { frontdesk: 'all', pharmacy: 'all', accounts: 'all', admin: 'all' },
    update: { accounts: 'all', admin: 'all' },
  },
  refunds: {
    read: { patient: 'own_patient', frontdesk: 'all', accounts: 'all', admin: 'all' },
    // Front desk may request a refund; accounts or admin approve it.
    create: { frontdesk: 'all', accounts: 'all', admin: 'all' },
    approve: { accounts: 'all', admin: 'all' },
  },
  discounts: {
    read: { frontdesk: 'all', pharmacy: 'all', accounts: 'all', admin: 'all' },
    create: {
      frontdesk: 'within_discount_limit',
      pharmacy: 'within_discount_limit',
      accounts: 'within_discount_limit',
      admin: 'all',
    },
    approve: { accounts: 'all', admin: 'all' },
  },
  ledger: {
    read: { accounts: 'all', admin: 'all' },
    create: { accounts: 'all' },
    export: { accounts: 'all', admin: 'all' },
  },
  reports: {
    read: { frontdesk: 'all', accounts: 'all', admin: 'all' },
    export: { accounts: 'all', admin: 'all' },
  },
  // Daily KPIs and the live snapshot: management reads all; a doctor only their own figures.
  kpis: {
    read: { doctor: 'own_doctor', accounts: 'all', admin: 'all' },
    update: { admin: 'all' },
    export: { doctor: 'own_doctor', accounts: 'all', admin: 'all' },
  },
  audit: {
    // Nobody writes audit events through the policy: services append them as a side effect.
    read: { admin: 'all' },
    export: { admin: 'all' },
  },
  conversations: {
    read: { frontdesk: 'all', admin: 'all' },
    create: { frontdesk: 'all' },
    update: { frontdesk: 'all', admin: 'all' },
  },
  // DPDP requests (access, correction, erasure, grievance, nomination): the patient files and
  // follows their own; the front desk files for them and works the queue; erasure needs an admin.
  privacy_requests: {
    read: { patient: 'own_patient', frontdesk: 'all', admin: 'all' },
    create: { patient: 'own_patient', frontdesk: 'all', admin: 'all' },
    approve: { frontdesk: 'all', admin: 'all' },
    delete: { admin: 'all' },
  },
  // The personal-data breach register and its notification clocks.
  breaches: {
    read: { admin: 'all' },
    create: { admin: 'all' },
    update: { admin: 'all' },
  },
  // Rule status and escalations (ids and codes only); settings changes also need clinic_settings.
  automation: {
    read: { frontdesk: 'all', accounts: 'all', admin: 'all' },
    update: { frontdesk: 'all', accounts: 'all', admin: 'all' },
  },
};
