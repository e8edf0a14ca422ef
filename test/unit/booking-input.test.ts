import { describe, expect, it } from '@jest/globals';
import { freshContext } from '../../flows/booking.context.js';
import { interpret, parseAge, parseName } from '../../flows/booking.input.js';
import type { BookingContext, StepName } from '../../flows/booking.types.js';
import { normalise } from '../../flows/booking.words.js';
import { encodeInteractiveId } from '../../src/modules/messaging/interactive-ids.js';
import { SLOTS } from './booking-fixtures.js';

function at(step: StepName, extra: Partial<BookingContext> = {}): BookingContext {
  return { ...freshContext(1), step, token: '1-9', ...extra };
}
const text = (context: BookingContext, value: string) => interpret(context, { type: 'TEXT', text: value });
const tap = (context: BookingContext, id: string) => interpret(context, { type: 'TAP', id });

describe('normalise', () => {
  it.each([
    ['  Hi!! ', 'hi'],
    ['HELLO 👋', 'hello'],
    ['*Menu*', 'menu'],
    ['हाँ।', 'हाँ'],
    ['२', '2'],
    ['#3.', '3'],
    ['Yes\u200d please', 'yes please'],
    ['नमस्ते 🙏🏽', 'नमस्ते'],
    ['ok   OK', 'ok ok'],
  ])('%j → %j', (input, expected) => {
    expect(normalise(input)).toBe(expected);
  });
});

describe('interpret', () => {
  const slotStep = at('slot', { slots: SLOTS, moreSlots: true, flow: 'book' });

  it('reads a row number as that row, in ASCII or Devanagari digits', () => {
    expect(text(slotStep, '2')).toEqual({ kind: 'choose', value: 'slot-1100' });
    expect(text(slotStep, '४')).toEqual({ kind: 'choose', value: '+more' });
    expect(text(slotStep, '5')).toEqual({ kind: 'choose', value: '+date' });
    expect(text(slotStep, '6')).toEqual({ kind: 'unknown' });
    expect(text(slotStep, '0')).toEqual({ kind: 'unknown' });
  });

  it('accepts a tap only for the current step and token, and an option it offers', () => {
    expect(tap(slotStep, encodeInteractiveId('slot', '1-9', 'slot-1030'))).toEqual({
      kind: 'choose',
      value: 'slot-1030',
    });
    expect(tap(slotStep, encodeInteractiveId('slot', '1-8', 'slot-1030'))).toEqual({ kind: 'stale' });
    expect(tap(slotStep, encodeInteractiveId('date', '1-9', '2025-01-14'))).toEqual({ kind: 'stale' });
    expect(tap(slotStep, encodeInteractiveId('slot', '1-9', 'slot-gone'))).toEqual({ kind: 'stale' });
  });

  it('treats menu and language taps from any message as requests', () => {
    expect(tap(slotStep, 'menu:0-1:mine')).toEqual({ kind: 'menuOption', option: 'mine' });
    expect(tap(at('menu'), 'menu:0-1:mine')).toEqual({ kind: 'choose', value: 'mine' });
    expect(tap(slotStep, 'language:0-1:hi')).toEqual({ kind: 'setLanguage', lang: 'hi' });
    expect(tap(slotStep, 'menu:0-1:nonsense')).toEqual({ kind: 'stale' });
  });

  it('lets a step’s own words win over the global ones', () => {
    expect(text(at('menu'), 'cancel')).toEqual({ kind: 'choose', value: 'cancel' });
    expect(text(at('appointments', { appointments: [] }), 'cancel')).toEqual({ kind: 'choose', value: 'cancel' });
    expect(text(slotStep, 'cancel')).toEqual({ kind: 'command', command: 'cancel' });
    expect(text(at('confirm'), 'हाँ')).toEqual({ kind: 'choose', value: 'yes' });
    expect(text(at('consent'), 'I agree')).toEqual({ kind: 'choose', value: 'accept' });
    expect(text(at('consent'), 'नहीं')).toEqual({ kind: 'choose', value: 'decline' });
    expect(text(slotStep, 'more')).toEqual({ kind: 'choose', value: '+more' });
  });

  it('knows the global words in English and Hindi', () => {
    expect(text(slotStep, 'Hello')).toEqual({ kind: 'command', command: 'menu' });
    expect(text(slotStep, 'hi, I want to book')).toEqual({ kind: 'command', command: 'menu' });
    expect(text(slotStep, 'मदद')).toEqual({ kind: 'command', command: 'help' });
    expect(text(slotStep, 'वापस')).toEqual({ kind: 'command', command: 'back' });
    expect(text(slotStep, 'बंद')).toEqual({ kind: 'command', command: 'stop' });
    expect(text(slotStep, 'hindi')).toEqual({ kind: 'setLanguage', lang: 'hi' });
    expect(text(slotStep, 'Front desk')).toEqual({ kind: 'menuOption', option: 'frontDesk' });
    expect(text(slotStep, 'भाषा')).toEqual({ kind: 'menuOption', option: 'language' });
  });

  it('passes free text through at the name and age steps, but not numbers as rows', () => {
    expect(text(at('name'), 'Priya')).toEqual({ kind: 'text', text: 'Priya' });
    expect(text(at('age'), '2')).toEqual({ kind: 'text', text: '2' });
    expect(text(at('name'), 'menu')).toEqual({ kind: 'command', command: 'menu' });
  });

  it('never matches a command inside a longer word or name', () => {
    expect(text(at('name'), 'Hemant Helpwani')).toEqual({ kind: 'text', text: 'Hemant Helpwani' });
    expect(text(slotStep, 'cancellation policy?')).toEqual({ kind: 'unknown' });
  });

  it('reads media as unsupported, and empty or very long text without trouble', () => {
    expect(interpret(slotStep, { type: 'UNSUPPORTED_MESSAGE', kind: 'image' })).toEqual({ kind: 'unsupported' });
    expect(text(slotStep, '   ')).toEqual({ kind: 'unknown' });
    expect(text(slotStep, '🙂')).toEqual({ kind: 'unknown' });
    expect(text(at('name'), 'a'.repeat(4096))).toMatchObject({ kind: 'text' });
  });
});

describe('names and ages', () => {
  it.each([
    ['Priya Sharma', 'Priya Sharma'],
    ['  priya   sharma ', 'priya sharma'],
    ["D'Souza-Pinto", "D'Souza-Pinto"],
    ['अनन्या कुमार', 'अनन्या कुमार'],
    ['Dr. K. Rao', 'Dr. K. Rao'],
    ['A', null],
    ['12345', null],
    ['Priya 2', null],
    ['😀😀', null],
    ['x'.repeat(61), null],
  ])('name %j → %j', (input, expected) => {
    expect(parseName(input)).toBe(expected);
  });

  it.each([
    ['34', 34],
    ['34 years', 34],
    ['7 yrs', 7],
    ['३४ साल', 34],
    ['6 months', 0],
    ['18 महीने', 1],
    ['0', 0],
    ['120', 120],
    ['121', null],
    ['-3', null],
    ['seven', null],
    ['3.5', null],
  ])('age %j → %j', (input, expected) => {
    expect(parseAge(input)).toBe(expected);
  });
});
