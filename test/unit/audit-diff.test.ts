import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';
import { diffFields } from '../../src/platform/audit/audit-diff.js';
import { GENESIS_HASH, auditEventHash, canonicalJson } from '../../src/platform/audit/audit-hash.js';
import type { HashedAuditFields } from '../../src/platform/audit/audit-hash.js';
import { configureFieldEncryption } from '../../src/platform/crypto/keyring.js';
import { testEnv } from '../helpers/env.js';

beforeAll(() => {
  configureFieldEncryption(loadConfig(testEnv('audit-diff')));
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson(new Date('2025-01-02T03:04:05.006Z'))).toBe('"2025-01-02T03:04:05.006Z"');
  });
});

describe('auditEventHash', () => {
  const event: HashedAuditFields = {
    clinicId: 'c1',
    seq: 7,
    at: new Date('2025-03-01T10:00:00.000Z'),
    actor: { type: 'staff', id: 'u1', roles: ['frontdesk'] },
    action: 'appointment.cancel',
    entity: { type: 'appointment', id: 'a1' },
    diff: [{ field: 'status', from: 'confirmed', to: 'cancelled' }],
    requestId: 'req-1',
    prevHash: GENESIS_HASH,
  };

  it('is a stable sha256 hex digest', () => {
    expect(auditEventHash(event)).toMatch(/^[0-9a-f]{64}$/);
    expect(auditEventHash({ ...event })).toBe(auditEventHash(event));
  });

  it.each([
    ['clinicId', { clinicId: 'c2' }],
    ['seq', { seq: 8 }],
    ['at', { at: new Date('2025-03-01T10:00:00.001Z') }],
    ['actor', { actor: { type: 'staff', id: 'u1', roles: ['admin'] } }],
    ['action', { action: 'appointment.confirm' }],
    ['entity', { entity: { type: 'appointment', id: 'a2' } }],
    ['diff', { diff: [{ field: 'status', from: 'confirmed', to: 'no_show' }] }],
    ['requestId', { requestId: 'req-2' }],
    ['prevHash', { prevHash: 'f'.repeat(64) }],
  ] as const)('changes when %s changes', (_field, change) => {
    expect(auditEventHash({ ...event, ...change } as HashedAuditFields)).not.toBe(auditEventHash(event));
  });

  it('treats a missing request id as null', () => {
    expect(auditEventHash({ ...event, requestId: undefined })).toBe(auditEventHash({ ...event, requestId: null }));
  });
});

describe('diffFields', () => {
  const before = {
    _id: 'p1',
    name: 'Asha Rao',
    phone: '+919876543210',
    status: 'active',
    tags: ['vip'],
    updatedAt: new Date(1),
  };
  const after = {
    _id: 'p1',
    name: 'Asha R. Rao',
    phone: '+919876543210',
    status: 'inactive',
    tags: ['vip'],
    updatedAt: new Date(2),
    city: 'Pune',
  };

  it('records only changed fields, sorted, with non-PHI values as they are', () => {
    const diff = diffFields(before, after, { phi: ['name', 'phone'] });
    expect(diff.map((entry) => entry.field)).toEqual(['city', 'name', 'status']);
    expect(diff.find((entry) => entry.field === 'status')).toEqual({ field: 'status', from: 'active', to: 'inactive' });
    expect(diff.find((entry) => entry.field === 'city')).toEqual({ field: 'city', to: 'Pune' });
  });

  it('never records PHI values, only keyed digests that still show the change', () => {
    const diff = diffFields(before, { ...after, phone: '+919812345678' }, { phi: ['name', 'phone', 'city'] });
    const json = JSON.stringify(diff);
    for (const secret of ['Asha', 'Rao', '9876543210', '9812345678', 'Pune']) expect(json).not.toContain(secret);
    const phone = diff.find((entry) => entry.field === 'phone')!;
    expect(phone.from).toEqual({ digest: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(phone.from).not.toEqual(phone.to);
    // Same value, same digest: an investigator holding the key can confirm a suspected value.
    const again = diffFields({ phone: '+919876543210' }, { phone: null }, { phi: ['phone'] });
    expect(again[0]).toEqual({ field: 'phone', from: phone.from, to: null });
  });

  it('handles creation and removal, and honours fields/ignore', () => {
    expect(diffFields(null, { status: 'active' })).toEqual([{ field: 'status', to: 'active' }]);
    expect(diffFields({ status: 'active' }, undefined)).toEqual([{ field: 'status', from: 'active' }]);
    expect(diffFields(before, after, { fields: ['status'] })).toEqual([
      { field: 'status', from: 'active', to: 'inactive' },
    ]);
    expect(
      diffFields(before, after, { phi: ['name'], ignore: ['city', 'status'] }).map((entry) => entry.field),
    ).toEqual(['name', 'updatedAt']);
  });

  it('compares dates and nested values by content', () => {
    const at = new Date('2025-01-01T00:00:00.000Z');
    expect(diffFields({ at, tags: { a: 1, b: 2 } }, { at: new Date(at), tags: { b: 2, a: 1 } })).toEqual([]);
    expect(diffFields({ at }, { at: new Date(at.getTime() + 1) })).toEqual([
      { field: 'at', from: '2025-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.001Z' },
    ]);
  });
});
