/**
 * The policy table checked against an expectation table written out by hand, for every
 * role × resource × action. Letters: r read, c create, u update, d delete, a approve, s sign,
 * e export. Lowercase = every record in the clinic; UPPERCASE = only records the actor owns
 * (own patient, own doctor, or within the role's discount limit). A missing letter = denied.
 */
import { describe, expect, it } from '@jest/globals';
import { ROLES } from '../../src/platform/actor.js';
import type { Actor, Role } from '../../src/platform/actor.js';
import { ACTIONS, RESOURCES, can, decide } from '../../src/platform/rbac/index.js';
import type { Action, Resource } from '../../src/platform/rbac/index.js';

const none = { patient: '', frontdesk: '', doctor: '', pharmacy: '', accounts: '', admin: '' };

const expected: Record<Resource, Record<Role, string>> = {
  staff: { ...none, admin: 'rcu' },
  devices: { ...none, admin: 'ra' },
  clinic_settings: { ...none, frontdesk: 'r', doctor: 'r', pharmacy: 'r', accounts: 'r', admin: 'ru' },
  patients: { patient: 'RcUE', frontdesk: 'rcu', doctor: 'ru', pharmacy: 'r', accounts: 'r', admin: 'rcude' },
  consents: { ...none, patient: 'RCU', frontdesk: 'rcu', doctor: 'r', admin: 'rcu' },
  doctors: { patient: 'r', frontdesk: 'r', doctor: 'rU', pharmacy: 'r', accounts: 'r', admin: 'rcu' },
  availability: { ...none, patient: 'r', frontdesk: 'rcud', doctor: 'rCUD', admin: 'rcud' },
  slots: { ...none, patient: 'r', frontdesk: 'rcud', doctor: 'rU', admin: 'rcud' },
  appointments: { ...none, patient: 'RCU', frontdesk: 'rcu', doctor: 'rU', accounts: 'ru', admin: 'rcu' },
  visits: { ...none, patient: 'R', frontdesk: 'c', doctor: 'rCUS' },
  prescriptions: { ...none, patient: 'R', doctor: 'rCU', pharmacy: 'r' },
  diet_plans: { ...none, patient: 'R', doctor: 'rCU' },
  lab_results: { ...none, patient: 'R', frontdesk: 'c', doctor: 'rcU' },
  dispensing: { ...none, patient: 'R', doctor: 'r', pharmacy: 'rcu', accounts: 'r', admin: 'r' },
  price_list: { ...none, frontdesk: 'r', doctor: 'r', pharmacy: 'r', accounts: 'rcu', admin: 'rcu' },
  invoices: { ...none, patient: 'R', frontdesk: 'rc', pharmacy: 'rc', accounts: 'rcue', admin: 'rcue' },
  payments: { ...none, patient: 'R', frontdesk: 'rc', pharmacy: 'rc', accounts: 'rcu', admin: 'rcu' },
  refunds: { ...none, patient: 'R', frontdesk: 'rc', accounts: 'rca', admin: 'rca' },
  discounts: { ...none, frontdesk: 'rC', pharmacy: 'rC', accounts: 'rCa', admin: 'rca' },
  ledger: { ...none, accounts: 'rce', admin: 're' },
  reports: { ...none, frontdesk: 'r', accounts: 're', admin: 're' },
  kpis: { ...none, doctor: 'RE', accounts: 're', admin: 'rue' },
  audit: { ...none, admin: 're' },
  conversations: { ...none, frontdesk: 'rcu', admin: 'ru' },
  privacy_requests: { ...none, patient: 'RC', frontdesk: 'rca', admin: 'rcad' },
  breaches: { ...none, admin: 'rcu' },
  automation: { ...none, frontdesk: 'ru', accounts: 'ru', admin: 'ru' },
};

const letter: Record<Action, string> = {
  read: 'r',
  create: 'c',
  update: 'u',
  delete: 'd',
  approve: 'a',
  sign: 's',
  export: 'e',
};

function actorWith(role: Role): Actor {
  return {
    type: role === 'patient' ? 'patient' : 'staff',
    id: 'actor-1',
    roles: [role],
    clinicId: 'clinic-1',
    doctorId: 'doctor-1',
    patientIds: ['patient-1'],
  };
}

const ownRecord = { clinicId: 'clinic-1', patientId: 'patient-1', doctorId: 'doctor-1', discountPercent: 0 };
const foreignRecord = { clinicId: 'clinic-1', patientId: 'patient-2', doctorId: 'doctor-2', discountPercent: 75 };
const otherClinicRecord = { ...ownRecord, clinicId: 'clinic-2' };

type Expectation = 'denied' | 'all' | 'own';

function expectationFor(role: Role, resource: Resource, action: Action): Expectation {
  const granted = expected[resource][role];
  if (granted.includes(letter[action])) return 'all';
  if (granted.includes(letter[action].toUpperCase())) return 'own';
  return 'denied';
}

const cases = ROLES.flatMap((role) =>
  RESOURCES.flatMap((resource) =>
    ACTIONS.map((action) => [role, resource, action, expectationFor(role, resource, action)] as const),
  ),
);

describe('the expectation table', () => {
  it('covers every resource and role', () => {
    expect(Object.keys(expected).sort()).toEqual([...RESOURCES].sort());
    for (const resource of RESOURCES) expect(Object.keys(expected[resource]).sort()).toEqual([...ROLES].sort());
  });

  it(`enumerates ${ROLES.length} roles × ${RESOURCES.length} resources × ${ACTIONS.length} actions`, () => {
    expect(cases).toHaveLength(ROLES.length * RESOURCES.length * ACTIONS.length);
  });
});

describe('policy table: role × resource × action', () => {
  it.each(cases)('%s may %s.%s → %s', (role, resource, action, expectation) => {
    const actor = actorWith(role);
    const withoutRecord = can(actor, action, resource);
    const onOwn = can(actor, action, resource, ownRecord);
    const onForeign = can(actor, action, resource, foreignRecord);
    const onOtherClinic = can(actor, action, resource, otherClinicRecord);
    switch (expectation) {
      case 'denied':
        expect([withoutRecord, onOwn, onForeign, onOtherClinic]).toEqual([false, false, false, false]);
        break;
      case 'all':
        expect([withoutRecord, onOwn, onForeign, onOtherClinic]).toEqual([true, true, true, false]);
        break;
      case 'own':
        expect([withoutRecord, onOwn, onForeign, onOtherClinic]).toEqual([true, true, false, false]);
        break;
    }
  });
});

describe('record rules', () => {
  const doctor = actorWith('doctor');
  const patient = actorWith('patient');

  it('lets a doctor write only their own visits and sign only their own notes', () => {
    expect(can(doctor, 'update', 'visits', { doctorId: 'doctor-1' })).toBe(true);
    expect(can(doctor, 'update', 'visits', { doctorId: 'doctor-2' })).toBe(false);
    expect(can(doctor, 'sign', 'visits', { doctorId: 'doctor-2' })).toBe(false);
    // Ids may be ObjectIds: compared as strings.
    expect(can(doctor, 'update', 'visits', { doctorId: { toString: () => 'doctor-1' } })).toBe(true);
  });

  it('denies a doctor-owned record to a staff member with no doctor profile', () => {
    const { doctorId: _omitted, ...noProfile } = doctor;
    expect(can(noProfile, 'update', 'visits', { doctorId: 'doctor-1' })).toBe(false);
  });

  it('lets a patient see only their own (and family) records', () => {
    const family = { ...patient, patientIds: ['patient-1', 'patient-3'] };
    expect(can(family, 'read', 'prescriptions', { patientId: 'patient-3' })).toBe(true);
    expect(can(family, 'read', 'prescriptions', { patientId: 'patient-2' })).toBe(false);
    expect(can(family, 'read', 'prescriptions', {})).toBe(false);
  });

  it('caps discounts per role and names who may approve above the cap', () => {
    expect(can(actorWith('frontdesk'), 'create', 'discounts', { discountPercent: 10 })).toBe(true);
    expect(decide(actorWith('frontdesk'), 'create', 'discounts', { discountPercent: 10.5 })).toEqual({
      allowed: false,
      reason: 'record_rule',
      approvers: ['accounts', 'admin'],
    });
    expect(can(actorWith('pharmacy'), 'create', 'discounts', { discountPercent: 5 })).toBe(true);
    expect(can(actorWith('pharmacy'), 'create', 'discounts', { discountPercent: 6 })).toBe(false);
    expect(can(actorWith('accounts'), 'create', 'discounts', { discountPercent: 50 })).toBe(true);
    expect(decide(actorWith('accounts'), 'create', 'discounts', { discountPercent: 60 })).toEqual({
      allowed: false,
      reason: 'record_rule',
      approvers: ['admin'],
    });
    expect(can(actorWith('admin'), 'create', 'discounts', { discountPercent: 100 })).toBe(true);
    // Above what accounts may give, only admin is named as an approver.
    expect(decide(actorWith('frontdesk'), 'create', 'discounts', { discountPercent: 60 })).toMatchObject({
      allowed: false,
      approvers: ['admin'],
    });
    // A discount record without its percentage fails closed.
    expect(can(actorWith('frontdesk'), 'create', 'discounts', {})).toBe(false);
  });

  it("applies a clinic's own discount limits over the defaults, for the decision and the approvers", () => {
    const discountLimits = { frontdesk: 15, accounts: 30 };
    expect(can(actorWith('frontdesk'), 'create', 'discounts', { discountPercent: 15, discountLimits })).toBe(true);
    expect(decide(actorWith('frontdesk'), 'create', 'discounts', { discountPercent: 20, discountLimits })).toEqual({
      allowed: false,
      reason: 'record_rule',
      approvers: ['accounts', 'admin'],
    });
    expect(
      decide(actorWith('frontdesk'), 'create', 'discounts', { discountPercent: 40, discountLimits }),
    ).toMatchObject({ approvers: ['admin'] });
    // Roles the clinic does not mention keep the policy default.
    expect(can(actorWith('pharmacy'), 'create', 'discounts', { discountPercent: 5, discountLimits })).toBe(true);
  });

  it('grants through any of several roles', () => {
    const frontdeskAccounts: Actor = { ...actorWith('frontdesk'), roles: ['frontdesk', 'accounts'] };
    expect(can(frontdeskAccounts, 'create', 'discounts', { discountPercent: 40 })).toBe(true);
    expect(can(frontdeskAccounts, 'read', 'ledger')).toBe(true);
  });

  it('denies an actor with no roles and allows system actors (workers, verified webhooks)', () => {
    expect(can({ ...actorWith('admin'), roles: [] }, 'read', 'staff')).toBe(false);
    expect(can({ type: 'system', id: 'worker:holds', roles: [], clinicId: 'clinic-1' }, 'update', 'slots')).toBe(true);
  });

  it('explains denials', () => {
    expect(decide(actorWith('frontdesk'), 'read', 'audit')).toEqual({ allowed: false, reason: 'no_role' });
    expect(decide(actorWith('admin'), 'read', 'staff', { clinicId: 'clinic-2' })).toEqual({
      allowed: false,
      reason: 'other_clinic',
    });
    expect(decide(doctor, 'update', 'visits', { doctorId: 'doctor-2' })).toEqual({
      allowed: false,
      reason: 'record_rule',
    });
  });
});
