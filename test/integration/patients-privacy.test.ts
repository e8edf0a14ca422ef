import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import mongoose from 'mongoose';
import { Consent } from '../../src/modules/patients/consent.model.js';
import { blindIndexOf } from '../../src/platform/crypto/keyring.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { createLogger, setRootLogger } from '../../src/platform/logger.js';
import { createStaffAndLogin } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

// Distinctive values, so a leak anywhere is unmistakable.
const PHONE_NATIONAL = '9833344455';
const EMERGENCY_NATIONAL = '9833366677';
const NAME = 'Zubeida Qureshi';
const CHILD_NAME = 'Yashvardhan Qureshi';
const RENAMED = 'Zubeida Farooqui';
const EMERGENCY_NAME = 'Xerxes Bharucha';
const ALLERGY = 'sulphonamide-xq';
const CONDITION = 'thalassaemia-minor-xq';
const NOTE = 'keeps insulin in the fridge xq';
const DOB = '1979-11-23';
const PHI = [
  PHONE_NATIONAL,
  EMERGENCY_NATIONAL,
  'Zubeida',
  'Qureshi',
  'Yashvardhan',
  'Farooqui',
  'Xerxes',
  'Bharucha',
  ALLERGY,
  CONDITION,
  NOTE,
  DOB,
];

function leaks(text: string): string[] {
  return PHI.filter((value) => text.toLowerCase().includes(value.toLowerCase()));
}

describe('patients: PHI stays encrypted, out of the audit trail and out of the logs', () => {
  let t: TestApp;
  let frontdesk: SignedInStaff;
  let patientId: string;
  let childId: string;
  let contactId: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('patientsprivacy');
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    // Everything from here on is logged at the most verbose level and kept for the last test.
    setRootLogger(
      createLogger(
        'trace',
        new Writable({
          write(chunk, _encoding, done) {
            logLines.push(chunk.toString());
            done();
          },
        }),
      ),
    );

    const registered = await frontdesk.agent.post('/api/v1/patients').send({
      phone: `+91 ${PHONE_NATIONAL}`,
      waId: `91${PHONE_NATIONAL}`,
      name: NAME,
      relationToContact: 'self',
      dateOfBirth: DOB,
      emergencyContact: { name: EMERGENCY_NAME, phone: EMERGENCY_NATIONAL, relation: 'brother' },
      medicalFlags: { allergies: [ALLERGY], conditions: [CONDITION], notes: NOTE },
    });
    expect(registered.status).toBe(201);
    patientId = registered.body.patient.id;
    contactId = registered.body.contact.id;
    const child = await frontdesk.agent
      .post('/api/v1/patients')
      .send({ phone: PHONE_NATIONAL, name: CHILD_NAME, relationToContact: 'child', ageYears: 9 });
    childId = child.body.patient.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const raw = (collection: string, id: string) =>
    mongoose.connection.db!.collection(collection).findOne({ _id: new mongoose.Types.ObjectId(id) });

  it('stores no plaintext phone, WhatsApp id, name, birth date, emergency contact or medical flag', async () => {
    const patient = await raw('patients', patientId);
    const contact = await raw('contacts', contactId);
    expect(leaks(JSON.stringify(patient))).toEqual([]);
    expect(leaks(JSON.stringify(contact))).toEqual([]);
    expect(JSON.stringify(contact)).not.toContain(`91${PHONE_NATIONAL}`);
    for (const field of ['name', 'dateOfBirth', 'emergencyContact', 'medicalFlags'])
      expect(patient![field]).toMatch(/^enc:v1:/);
    for (const field of ['phone', 'waId']) expect(contact![field]).toMatch(/^enc:v1:/);
    expect(contact!.phoneHash).toBe(blindIndexOf('phone', PHONE_NATIONAL));
    expect(patient!.namePrefixHashes.length).toBeGreaterThan(10);
    expect(patient).toMatchObject({ birthYear: 1979, code: expect.stringMatching(/^CN-/) });
    expect(leaks(JSON.stringify(await raw('patients', childId)))).toEqual([]);
  });

  it('still finds the patient by phone, by name prefix and by code, and shows plain values to staff', async () => {
    const lookup = await frontdesk.agent.get('/api/v1/contacts/lookup').query({ phone: `0${PHONE_NATIONAL}` });
    expect(lookup.body.profiles.map((p: { name: string }) => p.name)).toEqual([NAME, CHILD_NAME]);
    const byPhone = await frontdesk.agent.get('/api/v1/patients').query({ phone: PHONE_NATIONAL });
    expect(byPhone.body.patients).toHaveLength(2);
    const byName = await frontdesk.agent.get('/api/v1/patients').query({ name: 'zube qur' });
    expect(byName.body.patients.map((p: { id: string }) => p.id)).toEqual([patientId]);
    const detail = await frontdesk.agent.get(`/api/v1/patients/${patientId}`);
    expect(detail.body).toMatchObject({
      name: NAME,
      phone: `+91${PHONE_NATIONAL}`,
      dateOfBirth: DOB,
      medicalFlags: { allergies: [ALLERGY] },
    });
  });

  it('writes audit events with digests in place of PHI', async () => {
    const current = (await frontdesk.agent.get(`/api/v1/patients/${patientId}`)).body;
    const renamed = await frontdesk.agent
      .patch(`/api/v1/patients/${patientId}`)
      .send({ version: current.version, name: RENAMED, medicalFlags: { allergies: [], notes: NOTE } });
    expect(renamed.status).toBe(200);
    await frontdesk.agent
      .post(`/api/v1/patients/${childId}/consents`)
      .send({ purpose: 'care', noticeVersion: '2025-01', givenBy: 'guardian' });

    const events = await AuditEvent.find({ 'entity.id': { $in: [patientId, childId, contactId] } }).lean();
    expect(events.map((e) => e.action).sort()).toEqual([
      'contact.created',
      'patient.registered',
      'patient.registered',
      'patient.updated',
    ]);
    expect(leaks(JSON.stringify(events))).toEqual([]);
    const consentEvents = await AuditEvent.find({ action: 'consent.granted' }).lean();
    expect(consentEvents).toHaveLength(1);
    expect(consentEvents[0]!.diff).toEqual(
      expect.arrayContaining([
        { field: 'givenBy', to: 'guardian' },
        { field: 'purpose', to: 'care' },
      ]),
    );

    const digest = { digest: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) };
    const registeredEvent = events.find((e) => e.action === 'patient.registered' && e.entity.id === patientId)!;
    expect(registeredEvent.diff).toEqual(
      expect.arrayContaining([
        { field: 'name', to: digest },
        { field: 'dateOfBirth', to: digest },
        { field: 'emergencyContact', to: digest },
        { field: 'medicalFlags', to: digest },
        { field: 'relationToContact', to: 'self' },
        { field: 'birthYear', to: 1979 },
      ]),
    );
    const contactEvent = events.find((e) => e.action === 'contact.created')!;
    expect(contactEvent.diff).toEqual(
      expect.arrayContaining([
        { field: 'phone', to: digest },
        { field: 'waId', to: digest },
      ]),
    );
    const updated = events.find((e) => e.action === 'patient.updated')!;
    expect(updated.diff.map((entry) => entry.field).sort()).toEqual(['medicalFlags', 'name']);
    expect(updated.diff[1]).toEqual({ field: 'name', from: digest, to: digest });
  });

  it('keeps consent records free of PHI and refuses to delete them', async () => {
    const consents = await mongoose.connection
      .db!.collection('consents')
      .find({ patientId: new mongoose.Types.ObjectId(childId) })
      .toArray();
    expect(consents).toHaveLength(1);
    expect(leaks(JSON.stringify(consents))).toEqual([]);
    await expect(Consent.deleteOne({ _id: consents[0]!._id })).rejects.toMatchObject({ code: 'consent_append_only' });
    await expect(Consent.deleteMany({ patientId: childId })).rejects.toMatchObject({ code: 'consent_append_only' });
    expect(await Consent.countDocuments({ patientId: childId })).toBe(1);
  });

  it('never logs a phone number, name or medical detail, even on failures', async () => {
    // Error paths too: a duplicate, a bad phone, a stale version, a minor's own consent.
    await frontdesk.agent
      .post('/api/v1/patients')
      .send({ phone: PHONE_NATIONAL, name: CHILD_NAME, relationToContact: 'child', ageYears: 9 })
      .expect(409);
    await frontdesk.agent
      .post('/api/v1/patients')
      .send({ phone: `${PHONE_NATIONAL}1`, name: NAME, relationToContact: 'self', ageYears: 9 })
      .expect(400);
    await frontdesk.agent.patch(`/api/v1/patients/${patientId}`).send({ version: 0, name: NAME }).expect(409);
    await frontdesk.agent
      .post(`/api/v1/patients/${childId}/consents`)
      .send({ purpose: 'reminders', noticeVersion: '2025-01', givenBy: 'self' })
      .expect(422);
    await frontdesk.agent.get('/api/v1/contacts/lookup').query({ phone: EMERGENCY_NATIONAL }).expect(404);
    await frontdesk.agent.get('/api/v1/patients').query({ name: NAME }).expect(200);

    const output = logLines.join('');
    expect(logLines.length).toBeGreaterThan(10);
    expect(output).toContain('/api/v1/patients');
    expect(leaks(output)).toEqual([]);
  });
});
