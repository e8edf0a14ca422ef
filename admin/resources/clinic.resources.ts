/**
 * Staff, devices, doctors, slots, consents, WhatsApp messages and the audit trail: read views
 * over the models (secrets and encrypted fields are left out of the query itself), plus the admin
 * actions that go through the auth service — approve or reject a device, reset an authenticator.
 */
import type { ResourceOptions } from 'adminjs';
import { decideDevice, Device, Staff, updateStaff } from '../../src/modules/auth/index.js';
import { Conversation, releaseConversation } from '../../src/modules/conversations/index.js';
import { Doctor } from '../../src/modules/doctors/index.js';
import { OutboundMessageModel } from '../../src/modules/messaging/index.js';
import { Consent } from '../../src/modules/patients/index.js';
import { SlotModel } from '../../src/modules/scheduling/index.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import type { Runtime } from '../../src/platform/runtime.js';
import { policyActions } from '../access.js';
import { serviceAction } from '../actions.js';
import { ClinicModelResource } from '../model-resource.js';
import { NAV } from './navigation.js';

type Spec = { resource: ClinicModelResource; options: ResourceOptions };

/** Staff accounts (admin): roles and state; password hashes and authenticator secrets never leave the database. */
export function staffResource(runtime: () => Runtime): Spec {
  return {
    resource: new ClinicModelResource(Staff as never, ['password', 'mfa']),
    options: {
      id: 'staff',
      navigation: NAV.clinic,
      listProperties: ['name', 'email', 'roles', 'active'],
      actions: {
        ...policyActions('staff'),
        resetAuthenticator: serviceAction({
          policy: ['staff', 'update'],
          label: 'Reset authenticator',
          icon: 'Key',
          intro:
            'For a lost phone: removes the authenticator app and signs this person out everywhere; they enrol again at the next sign-in.',
          run: async (actor, { recordId }) => {
            await updateStaff(runtime(), actor, recordId!, { resetMfa: true });
            return 'Authenticator reset; they will set it up again when they next sign in.';
          },
        }),
      },
    },
  };
}

/** Staff devices (admin) with approve and reject. */
export function devicesResource(): Spec {
  const decide = (status: 'approved' | 'rejected') =>
    serviceAction({
      policy: ['devices', 'approve'],
      label: status === 'approved' ? 'Approve' : 'Reject',
      icon: status === 'approved' ? 'CheckCircle' : 'Slash',
      intro:
        status === 'approved'
          ? 'Lets this device open patient records after its owner signs in.'
          : 'Blocks this device; its sessions end at once.',
      showWhen: (params) => params.status !== status,
      run: async (actor, { recordId }) => {
        await decideDevice(actor, recordId!, status);
        return status === 'approved' ? 'Device approved.' : 'Device rejected.';
      },
    });
  return {
    resource: new ClinicModelResource(Device as never, ['tokenHash']),
    options: {
      id: 'devices',
      navigation: NAV.clinic,
      listProperties: ['label', 'staffId', 'status', 'lastSeenAt', 'createdAt'],
      filterProperties: ['status', 'staffId'],
      sort: { sortBy: 'createdAt', direction: 'desc' },
      actions: { ...policyActions('devices'), approve: decide('approved'), reject: decide('rejected') },
    },
  };
}

/** Doctors (read; profiles and availability change through the doctors API). */
export function doctorsResource(): Spec {
  return {
    resource: new ClinicModelResource(Doctor as never),
    options: { id: 'doctors', navigation: NAV.schedule, actions: policyActions('doctors') },
  };
}

/** Slots (read). */
export function slotsResource(): Spec {
  return {
    resource: new ClinicModelResource(SlotModel as never),
    options: {
      id: 'slots',
      navigation: NAV.schedule,
      listProperties: ['localDate', 'startAt', 'doctorId', 'status'],
      filterProperties: ['localDate', 'doctorId', 'status'],
      sort: { sortBy: 'startAt', direction: 'asc' },
      actions: policyActions('slots'),
    },
  };
}

/** Consents (read). */
export function consentsResource(): Spec {
  return {
    resource: new ClinicModelResource(Consent as never),
    options: { id: 'consents', navigation: NAV.patients, actions: policyActions('consents') },
  };
}

/** WhatsApp conversations: state and hand-off only; the phone and the chat snapshot stay encrypted. */
export function conversationsResource(): Spec {
  return {
    resource: new ClinicModelResource(Conversation as never, ['phone', 'snapshot']),
    options: {
      id: 'conversations',
      navigation: NAV.messages,
      listProperties: ['state', 'handedOff', 'handedOffAt', 'lastEventAt'],
      filterProperties: ['handedOff', 'state'],
      actions: {
        ...policyActions('conversations'),
        handBack: serviceAction({
          policy: ['conversations', 'update'],
          label: 'Hand back to the bot',
          icon: 'RotateCw',
          intro: 'The bot answers this patient again from their next message.',
          showWhen: (params) => params.handedOff === true,
          run: async (actor, { recordId }) => {
            await releaseConversation(actor, recordId!);
            return 'Handed back to the bot.';
          },
        }),
      },
    },
  };
}

/** Outbound WhatsApp messages: delivery state only (recipient and content stay encrypted). */
export function outboundResource(): Spec {
  return {
    resource: new ClinicModelResource(OutboundMessageModel as never, ['to', 'message', 'template', 'sentMessage']),
    options: {
      id: 'outbound_messages',
      navigation: NAV.messages,
      sort: { sortBy: 'createdAt', direction: 'desc' },
      actions: policyActions('conversations'),
    },
  };
}

/** The audit trail (admin, read). */
export function auditResource(): Spec {
  return {
    resource: new ClinicModelResource(AuditEvent as never),
    options: {
      id: 'audit_events',
      navigation: NAV.clinic,
      listProperties: ['seq', 'at', 'action', 'actor.id', 'entity.type', 'entity.id'],
      sort: { sortBy: 'seq', direction: 'desc' },
      actions: policyActions('audit'),
    },
  };
}
