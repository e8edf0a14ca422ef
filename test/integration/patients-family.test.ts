import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  listConsents,
  hasActiveConsent,
  recordConsent,
  withdrawConsent,
} from '../../src/modules/patients/consent.service.js';
import { Contact } from '../../src/modules/patients/contact.model.js';
import {
  contactActor,
  findContactByPhone,
  patientIdsForContact,
  setContactLanguage,
  touchContactInbound,
} from '../../src/modules/patients/contact.service.js';
import { Patient } from '../../src/modules/patients/patient.model.js';
import { searchPatients } from '../../src/modules/patients/patient-search.service.js';
import { getPatient, registerPatient, updatePatient } from '../../src/modules/patients/patient.service.js';
import type { RegisterPatientInput } from '../../src/modules/patients/patient.schemas.js';
import type { Actor } from '../../src/platform/actor.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { subscribe } from '../../src/platform/domain-events.js';
import type { DomainEvents } from '../../src/platform/domain-events.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('patients: families on one number, consents, concurrency and search', () => {
  let t: TestApp;
  let frontdesk: SignedInStaff;
  let system: Actor;
  const events: { name: keyof DomainEvents; payload: unknown }[] = [];

  const register = (
    input: Omit<RegisterPatientInput, 'source'> & { source?: RegisterPatientInput['source'] },
    actor: Actor = system,
  ) => registerPatient(actor, { source: 'whatsapp', ...input });

  beforeAll(async () => {
    t = await startTestApp('patientsfamily');
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    system = await testSystemActor();
    subscribe(
      'patient.registered',
      'test:patients',
      (payload) => void events.push({ name: 'patient.registered', payload }),
    );
    subscribe('consent.changed', 'test:patients', (payload) => void events.push({ name: 'consent.changed', payload }));
  });
  afterAll(async () => {
    await t.close();
  });

  describe('a family sharing one WhatsApp number', () => {
    const PHONE = '9822200001';
    let mother: Awaited<ReturnType<typeof registerPatient>>;
    let son: Awaited<ReturnType<typeof registerPatient>>;
    let grandfather: Awaited<ReturnType<typeof registerPatient>>;

    beforeAll(async () => {
      mother = await register({
        phone: PHONE,
        waId: '919822200001',
        name: 'Sunita Devi',
        relationToContact: 'self',
        ageYears: 34,
        preferredLanguage: 'hi',
      });
      son = await register({
        phone: `+91${PHONE}`,
        name: 'Aarav Kumar',
        relationToContact: 'child',
        dateOfBirth: '2015-08-20',
      });
      grandfather = await register({
        phone: `0${PHONE}`,
        name: 'Ramesh Prasad',
        relationToContact: 'parent',
        ageYears: 71,
      });
    });

    it('keeps one contact holding separate profiles with their own codes; the first is the account holder', async () => {
      expect(mother.contact.created).toBe(true);
      expect(son.contact.created).toBe(false);
      expect(new Set([mother.contact.id, son.contact.id, grandfather.contact.id]).size).toBe(1);
      expect(new Set([mother.patient.code, son.patient.code, grandfather.patient.code]).size).toBe(3);
      expect([
        mother.patient.isAccountHolder,
        son.patient.isAccountHolder,
        grandfather.patient.isAccountHolder,
      ]).toEqual([true, false, false]);
      expect(son.patient).toMatchObject({ isMinor: true, age: expect.any(Number), ageExact: true });

      const lookup = await findContactByPhone(system, '+91 98222 00001');
      expect(lookup!.contact).toMatchObject({
        id: mother.contact.id,
        preferredLanguage: 'hi',
        accountHolderId: mother.patient.id,
      });
      expect(lookup!.profiles.map((p) => p.name)).toEqual(['Sunita Devi', 'Aarav Kumar', 'Ramesh Prasad']);
      expect(events).toEqual(
        expect.arrayContaining([
          {
            name: 'patient.registered',
            payload: expect.objectContaining({
              patientId: son.patient.id,
              contactId: son.contact.id,
              source: 'whatsapp',
            }),
          },
        ]),
      );
    });

    it('gives the number a patient actor acting for every active profile on it', async () => {
      const ids = await patientIdsForContact(system.clinicId, mother.contact.id);
      expect(ids.sort()).toEqual([mother.patient.id, son.patient.id, grandfather.patient.id].sort());
      const actor = await contactActor(system.clinicId, mother.contact.id);
      expect(actor).toMatchObject({
        type: 'patient',
        id: mother.patient.id,
        roles: ['patient'],
        clinicId: system.clinicId,
      });
      expect(await patientIdsForContact(system.clinicId, 'not-an-id')).toEqual([]);
    });

    it("takes a child's consent from the guardian on the number and refuses the child's own", async () => {
      const own = await rejection(
        recordConsent(system, son.patient.id, {
          purpose: 'care',
          noticeVersion: '2025-01',
          givenBy: 'self',
          channel: 'whatsapp',
        }),
      );
      expect(own).toMatchObject({ code: 'guardian_consent_required', status: 422 });
      const byGuardian = await recordConsent(system, son.patient.id, {
        purpose: 'care',
        noticeVersion: '2025-01',
        givenBy: 'guardian',
        channel: 'whatsapp',
      });
      expect(byGuardian).toMatchObject({
        created: true,
        consent: { givenBy: 'guardian', guardianContactId: mother.contact.id, status: 'granted', channel: 'whatsapp' },
      });
      const byMother = await recordConsent(system, mother.patient.id, {
        purpose: 'care',
        noticeVersion: '2025-01',
        givenBy: 'self',
        channel: 'whatsapp',
      });
      expect(byMother.created).toBe(true);
      // Each profile has its own consents.
      expect((await listConsents(system, son.patient.id)).map((c) => c.id)).toEqual([byGuardian.consent.id]);
      expect((await listConsents(system, mother.patient.id)).map((c) => c.id)).toEqual([byMother.consent.id]);
    });

    it('supersedes a consent when a newer notice is accepted, and keeps withdrawn ones', async () => {
      const v1 = await recordConsent(system, grandfather.patient.id, {
        purpose: 'reminders',
        noticeVersion: '2025-01',
        givenBy: 'self',
        channel: 'whatsapp',
      });
      const v2 = await recordConsent(system, grandfather.patient.id, {
        purpose: 'reminders',
        noticeVersion: '2025-06',
        givenBy: 'self',
        channel: 'whatsapp',
      });
      expect(v2.created).toBe(true);
      let history = await listConsents(system, grandfather.patient.id);
      expect(history.map((c) => [c.noticeVersion, c.status])).toEqual([
        ['2025-06', 'granted'],
        ['2025-01', 'superseded'],
      ]);
      expect(history[1]).toMatchObject({
        id: v1.consent.id,
        supersededBy: v2.consent.id,
        supersededAt: expect.any(String),
      });
      expect(await hasActiveConsent(system, grandfather.patient.id, 'reminders')).toBe(true);

      const withdrawn = await withdrawConsent(system, grandfather.patient.id, v2.consent.id, { channel: 'whatsapp' });
      expect(withdrawn).toMatchObject({ status: 'withdrawn', withdrawnBy: { type: 'system' } });
      expect(await hasActiveConsent(system, grandfather.patient.id, 'reminders')).toBe(false);
      // Consenting again is a new record; the withdrawn one stays as it was.
      const again = await recordConsent(system, grandfather.patient.id, {
        purpose: 'reminders',
        noticeVersion: '2025-06',
        givenBy: 'self',
        channel: 'frontdesk',
      });
      expect(again.created).toBe(true);
      history = await listConsents(system, grandfather.patient.id);
      expect(history.map((c) => c.status)).toEqual(['granted', 'withdrawn', 'superseded']);
      expect(
        events.filter((e) => e.name === 'consent.changed').map((e) => (e.payload as { status: string }).status),
      ).toEqual(expect.arrayContaining(['granted', 'withdrawn']));
      expect(await AuditEvent.countDocuments({ action: 'consent.superseded', 'entity.id': v1.consent.id })).toBe(1);
      expect(await AuditEvent.countDocuments({ action: 'consent.withdrawn', 'entity.id': v2.consent.id })).toBe(1);
    });

    it('records the same consent given twice at once only once', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          recordConsent(system, mother.patient.id, {
            purpose: 'whatsapp_messaging',
            noticeVersion: '2025-01',
            givenBy: 'self',
            channel: 'whatsapp',
          }),
        ),
      );
      expect(new Set(results.map((r) => r.consent.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    });

    it('acts for the family as the patient actor: own profiles only', async () => {
      const actor = await contactActor(system.clinicId, mother.contact.id);
      expect((await getPatient(actor, son.patient.id)).name).toBe('Aarav Kumar');
      const guardianConsent = await recordConsent(actor, son.patient.id, {
        purpose: 'reminders',
        noticeVersion: '2025-01',
        givenBy: 'guardian',
        channel: 'whatsapp',
      });
      expect(guardianConsent.consent.recordedBy).toEqual({ type: 'patient', id: mother.patient.id });
      const stranger = await register({
        phone: '9822200099',
        name: 'Stranger Danger',
        relationToContact: 'self',
        ageYears: 40,
      });
      expect(await rejection(getPatient(actor, stranger.patient.id))).toMatchObject({ status: 403 });
      expect(await rejection(listConsents(actor, stranger.patient.id))).toMatchObject({ status: 403 });
      expect(await findContactByPhone(actor, '9822200099')).toBeNull();
      expect((await findContactByPhone(actor, PHONE))!.profiles).toHaveLength(3);
      const found = await searchPatients(actor, { name: 'st' });
      expect(found.patients).toEqual([]);
      expect((await searchPatients(actor, {})).patients.map((p) => p.id).sort()).toEqual(
        [mother.patient.id, son.patient.id, grandfather.patient.id].sort(),
      );

      // The family adds a member to its own number, but not to someone else's.
      const baby = await register(
        { phone: PHONE, name: 'Baby Kumari', relationToContact: 'child', ageYears: 0, source: 'whatsapp' },
        actor,
      );
      expect(baby.patient).toMatchObject({ isAccountHolder: false, isMinor: true });
      expect(
        await rejection(
          register({ phone: '9822200099', name: 'Intruder', relationToContact: 'sibling', ageYears: 30 }, actor),
        ),
      ).toMatchObject({ status: 403 });
      expect(await Patient.countDocuments({ contactId: stranger.contact.id })).toBe(1);
    });

    it('records inbound messages for the 24-hour window, keeping the latest time', async () => {
      const later = new Date('2026-01-10T10:00:00Z');
      // The transport's call: the WhatsApp id is the number with its country code, without `+`.
      expect(await touchContactInbound(system.clinicId, `91${PHONE}`, later)).toBe(true);
      expect(await touchContactInbound(system.clinicId, `91${PHONE}`, new Date('2026-01-10T09:59:00Z'))).toBe(true);
      const lookup = await findContactByPhone(system, PHONE);
      expect(lookup!.contact.lastInboundAt).toBe(later.toISOString());
    });

    it('changes the preferred language, audited', async () => {
      const view = await setContactLanguage(system, mother.contact.id, 'en');
      expect(view.preferredLanguage).toBe('en');
      expect(
        await AuditEvent.countDocuments({ action: 'contact.language_changed', 'entity.id': mother.contact.id }),
      ).toBe(1);
      expect(await rejection(setContactLanguage(system, mother.contact.id, 'fr' as 'en'))).toMatchObject({
        name: 'ZodError',
      });
    });

    it('moves the "self" role when relations change, so only one profile owns the number', async () => {
      const taken = await rejection(updatePatient(system, grandfather.patient.id, { relationToContact: 'self' }));
      expect(taken).toMatchObject({ code: 'self_profile_exists', status: 409 });
      const current = await getPatient(system, mother.patient.id);
      await updatePatient(system, mother.patient.id, { version: current.version, relationToContact: 'spouse' });
      const moved = await updatePatient(system, grandfather.patient.id, { relationToContact: 'self' });
      expect(moved.relationToContact).toBe('self');
      expect(String((await Contact.findById(mother.contact.id).lean())!.selfPatientId)).toBe(grandfather.patient.id);
    });
  });

  it('requires a guardian on another number for a minor who owns their own number', async () => {
    const parent = await register({
      phone: '9822200010',
      name: 'Parent Owner',
      relationToContact: 'self',
      ageYears: 45,
    });
    const teen = await register({ phone: '9822200011', name: 'Teen Owner', relationToContact: 'self', ageYears: 16 });
    const base = { purpose: 'care' as const, noticeVersion: '2025-01', channel: 'frontdesk' as const };
    expect(await rejection(recordConsent(system, teen.patient.id, { ...base, givenBy: 'guardian' }))).toMatchObject({
      code: 'guardian_contact_required',
    });
    expect(
      await rejection(
        recordConsent(system, teen.patient.id, { ...base, givenBy: 'guardian', guardianContactId: teen.contact.id }),
      ),
    ).toMatchObject({
      code: 'guardian_contact_required',
    });
    expect(
      await rejection(
        recordConsent(system, teen.patient.id, {
          ...base,
          givenBy: 'guardian',
          guardianContactId: '0123456789abcdef01234567',
        }),
      ),
    ).toMatchObject({
      code: 'guardian_contact_not_found',
    });
    const ok = await recordConsent(system, teen.patient.id, {
      ...base,
      givenBy: 'guardian',
      guardianContactId: parent.contact.id,
    });
    expect(ok.consent.guardianContactId).toBe(parent.contact.id);
  });

  describe('concurrent registrations', () => {
    it('of one new number create exactly one contact and one account holder', async () => {
      const phone = '9822200200';
      const names = Array.from({ length: 12 }, (_, i) => `Family Member ${String.fromCharCode(65 + i)}`);
      const results = await Promise.all(
        names.map((name) => register({ phone, name, relationToContact: 'other', ageYears: 20 + names.indexOf(name) })),
      );
      expect(new Set(results.map((r) => r.contact.id)).size).toBe(1);
      expect(results.filter((r) => r.contact.created)).toHaveLength(1);
      expect(results.filter((r) => r.patient.isAccountHolder)).toHaveLength(1);
      expect(new Set(results.map((r) => r.patient.code)).size).toBe(12);
      const contacts = await Contact.find({ clinicId: system.clinicId }).lean();
      expect(contacts.filter((c) => c.phone === '+919822200200')).toHaveLength(1);
      const holder = results.find((r) => r.patient.isAccountHolder)!;
      expect(String(contacts.find((c) => c.phone === '+919822200200')!.accountHolderId)).toBe(holder.patient.id);
    });

    it('of the same person at once keep one profile and answer the rest with 409 patient_exists', async () => {
      const attempts = await Promise.allSettled(
        Array.from({ length: 8 }, () =>
          register({ phone: '9822200300', name: 'Double Click', relationToContact: 'self', ageYears: 30 }),
        ),
      );
      const created = attempts.filter((a) => a.status === 'fulfilled');
      expect(created).toHaveLength(1);
      const id = (created[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof registerPatient>>>).value.patient.id;
      for (const attempt of attempts.filter((a) => a.status === 'rejected')) {
        expect((attempt as PromiseRejectedResult).reason).toMatchObject({ status: 409, details: { patientId: id } });
      }
      expect(
        await Patient.countDocuments({
          clinicId: system.clinicId,
          contactId: (await findContactByPhone(system, '9822200300'))!.contact.id,
        }),
      ).toBe(1);
      // Refused registrations released what they claimed: the survivor holds both roles.
      const contact = await Contact.findOne({
        clinicId: system.clinicId,
        _id: (await findContactByPhone(system, '9822200300'))!.contact.id,
      }).lean();
      expect([String(contact!.accountHolderId), String(contact!.selfPatientId)]).toEqual([id, id]);
    });

    it('through the API register a number once too', async () => {
      const responses = await Promise.all(
        ['Asha', 'Bela', 'Chandni', 'Divya', 'Esha'].map((name) =>
          frontdesk.agent
            .post('/api/v1/patients')
            .send({ phone: '98222 00400', name: `${name} Sharma`, relationToContact: 'sibling', ageYears: 25 }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(responses.map((r) => r.body.contact.id)).size).toBe(1);
      expect(responses.filter((r) => r.body.patient.isAccountHolder)).toHaveLength(1);
    });
  });

  describe('search', () => {
    const people = [
      ['Ravi Kumar', '9822200501'],
      ['Ravindra Jadeja', '9822200502'],
      ['Rahul Dravid', '9822200503'],
      ['Kumari Selja', '9822200504'],
      ['राम प्रसाद', '9822200505'],
      ['Venkatasubramanian Iyer', '9822200506'],
      ["D'Souza Maria-Anne", '9822200507'],
    ] as const;
    const codes: Record<string, string> = {};

    beforeAll(async () => {
      for (const [name, phone] of people)
        codes[name] = (await register({ phone, name, relationToContact: 'self', ageYears: 40 })).patient.code;
    });

    const names = async (query: Parameters<typeof searchPatients>[1]) =>
      (await searchPatients(system, query)).patients.map((p) => p.name).sort();

    it('finds patients by name prefix, every typed word a prefix of some name word', async () => {
      expect(await names({ name: 'ra' })).toEqual(
        expect.arrayContaining(['Rahul Dravid', 'Ravi Kumar', 'Ravindra Jadeja']),
      );
      expect(await names({ name: 'ravi' })).toEqual(['Ravi Kumar', 'Ravindra Jadeja']);
      expect(await names({ name: 'RAVI KU' })).toEqual(['Ravi Kumar']);
      const kum = await names({ name: 'kum' });
      expect(kum).toEqual(expect.arrayContaining(['Kumari Selja', 'Ravi Kumar']));
      expect(kum).not.toContain('Ravindra Jadeja');
      expect(await names({ name: 'ku ravi' })).toEqual(['Ravi Kumar']);
      expect(await names({ name: 'राम' })).toEqual(['राम प्रसाद']);
      expect(await names({ name: 'venkatasubraman' })).toEqual(['Venkatasubramanian Iyer']);
      expect(await names({ name: 'venkatasubramx' })).toEqual([]);
      expect(await names({ name: 'souza maria' })).toEqual(["D'Souza Maria-Anne"]);
      expect(await names({ name: 'ravindra kumar' })).toEqual([]);
    });

    it('finds a patient by code however it is typed', async () => {
      const code = codes['Rahul Dravid']!;
      for (const typed of [code, code.toLowerCase(), code.slice(3), ` ${code.slice(3, 5)} ${code.slice(5)} `])
        expect(await names({ code: typed })).toEqual(['Rahul Dravid']);
    });

    it('pages name results with a cursor, and skips inactive patients unless asked', async () => {
      const first = await searchPatients(system, { name: 'ra', limit: 2 });
      expect(first.patients).toHaveLength(2);
      const rest = await searchPatients(system, { name: 'ra', limit: 2, cursor: first.nextCursor });
      const all = [...first.patients, ...rest.patients].map((p) => p.name);
      expect(new Set(all).size).toBe(all.length);
      expect(all).toEqual(expect.arrayContaining(['Rahul Dravid', 'Ravi Kumar', 'Ravindra Jadeja']));

      const rahul = (await searchPatients(system, { code: codes['Rahul Dravid']! })).patients[0]!;
      await updatePatient(system, rahul.id, { active: false });
      expect(await names({ name: 'rahul' })).toEqual([]);
      expect(await names({ name: 'rahul', includeInactive: true })).toEqual(['Rahul Dravid']);
      expect(await patientIdsForContact(system.clinicId, rahul.contactId)).toEqual([]);
    });

    it('keeps a name search in step with renames', async () => {
      const ravi = (await searchPatients(system, { code: codes['Ravi Kumar']! })).patients[0]!;
      await updatePatient(system, ravi.id, { name: 'Ravi Shankar' });
      expect(await names({ name: 'ravi sh' })).toEqual(['Ravi Shankar']);
      expect(await names({ name: 'ravi ku' })).toEqual([]);
    });
  });
});
