/**
 * Loading and saving conversations. Saving is optimistic: a step's snapshot is written only if
 * the conversation's version is still the one the step started from, so two events racing for
 * one conversation (a message and a timeout, say) can never both apply to the same snapshot.
 */
import { Types } from 'mongoose';
import { BOOKING_MACHINE_VERSION } from '../../../flows/booking.conversation.js';
import { blindIndexOf } from '../../platform/crypto/keyring.js';
import { conflict, notFound } from '../../platform/errors.js';
import { Conversation } from './conversation.model.js';
import type { ConversationRecord } from './conversation.model.js';

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

/** The conversation with `phone` (E.164) in `clinicId`, created empty if missing (race-safe). */
export async function ensureConversation(clinicId: string, phone: string): Promise<ConversationRecord> {
  // A fresh update object per attempt: mongoose seals values in place while casting.
  const upsert = () =>
    Conversation.findOneAndUpdate(
      { clinicId, phoneHash: blindIndexOf('phone', phone) },
      { $setOnInsert: { clinicId, phone, machineVersion: BOOKING_MACHINE_VERSION, version: 0 } },
      { upsert: true, new: true, setDefaultsOnInsert: true },
    ).lean<ConversationRecord>();
  try {
    return (await upsert())!;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return (await upsert())!;
  }
}

/** One conversation of the clinic, or 404. */
export async function loadConversation(clinicId: string, conversationId: string): Promise<ConversationRecord> {
  if (!Types.ObjectId.isValid(conversationId)) throw notFound('Conversation');
  const doc = await Conversation.findOne({ _id: conversationId, clinicId }).lean<ConversationRecord>();
  if (!doc) throw notFound('Conversation');
  return doc;
}

/** What a step changes on the conversation. */
export interface StepWrite {
  snapshot: unknown;
  machineVersion: number;
  state: string;
  handedOff: boolean;
  handoffReason?: string;
  consentDecline?: { noticeVersion: string; language: string; at: Date };
  at: Date;
}

/** Writes a step if the conversation is still at `version`; null when someone else wrote first. */
export async function saveStep(conversation: ConversationRecord, write: StepWrite): Promise<ConversationRecord | null> {
  const set: Record<string, unknown> = {
    snapshot: write.snapshot,
    machineVersion: write.machineVersion,
    state: write.state,
    handedOff: write.handedOff,
    lastEventAt: write.at,
  };
  const unset: Record<string, 1> = {};
  if (write.handedOff && !conversation.handedOff) {
    set.handedOffAt = write.at;
    if (write.handoffReason) set.handoffReason = write.handoffReason;
  }
  if (!write.handedOff) {
    unset.handedOffAt = 1;
    unset.handoffReason = 1;
  }
  return Conversation.findOneAndUpdate(
    { _id: conversation._id, clinicId: conversation.clinicId, version: conversation.version },
    {
      $set: set,
      ...(Object.keys(unset).length ? { $unset: unset } : {}),
      ...(write.consentDecline ? { $push: { consentDeclines: write.consentDecline } } : {}),
      $inc: { version: 1 },
    },
    { new: true },
  ).lean<ConversationRecord>();
}

/** Re-reads a conversation after losing a write race. */
export async function reloadConversation(conversation: ConversationRecord): Promise<ConversationRecord> {
  const doc = await Conversation.findOne({
    _id: conversation._id,
    clinicId: conversation.clinicId,
  }).lean<ConversationRecord>();
  if (!doc) throw conflict('The conversation disappeared while it was being updated');
  return doc;
}

/** Conversations waiting for the front desk, oldest hand-off first. */
export async function handedOffConversations(clinicId: string, limit = 100): Promise<ConversationRecord[]> {
  return Conversation.find({ clinicId, handedOff: true })
    .sort({ handedOffAt: 1 })
    .limit(limit)
    .lean<ConversationRecord[]>();
}

/** The conversation for a phone number, if it exists. */
export async function findConversationByPhone(clinicId: string, phone: string): Promise<ConversationRecord | null> {
  return Conversation.findOne({ clinicId, phoneHash: blindIndexOf('phone', phone) }).lean<ConversationRecord>();
}
