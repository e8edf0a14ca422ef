/**
 * Reads a patient's message as an intent at the current step. Taps are checked against the step
 * and token they carry, so a tap on an older message is recognised as stale; typed text is
 * matched against the step's options, then the words that work everywhere, then a row number.
 * Also validates the two free-text answers, names and ages.
 */
import { parseInteractiveId } from '../src/modules/messaging/interactive-ids.js';
import { LANGS } from './booking.schemas.js';
import { TEXT_STEPS, acceptsNumbers, stepOptions } from './booking.steps.js';
import { MENU_OPTIONS } from './booking.types.js';
import type { BookingContext, Command, Intent, Lang, MenuOption, PatientMessageEvent } from './booking.types.js';
import { ANYWHERE_MENU_OPTIONS, COMMAND_WORDS, LANGUAGE_WORDS, MENU_WORDS, normalise } from './booking.words.js';

// Longer messages are not commands, names or ages; reading only the start keeps matching cheap.
const MAX_READ = 500;
const ROW_NUMBER = /^\d{1,3}$/;
const COMMANDS: readonly Command[] = ['menu', 'help', 'back', 'cancel', 'stop'];

const isMenuOption = (value: string): value is MenuOption => (MENU_OPTIONS as readonly string[]).includes(value);
const isLang = (value: string): value is Lang => (LANGS as readonly string[]).includes(value);

function readTap(context: BookingContext, id: string): Intent {
  const parsed = parseInteractiveId(id);
  if (!parsed) return { kind: 'stale' };
  // Menu and language options mean the same whenever they were sent, so any copy of them works.
  if (parsed.step === 'menu' && isMenuOption(parsed.value)) {
    return context.step === 'menu'
      ? { kind: 'choose', value: parsed.value }
      : { kind: 'menuOption', option: parsed.value };
  }
  if (parsed.step === 'language' && isLang(parsed.value)) {
    return context.step === 'language'
      ? { kind: 'choose', value: parsed.value }
      : { kind: 'setLanguage', lang: parsed.value };
  }
  if (parsed.step !== context.step || parsed.token !== context.token) return { kind: 'stale' };
  if (!stepOptions(context).some((option) => option.value === parsed.value)) return { kind: 'stale' };
  return { kind: 'choose', value: parsed.value };
}

function readText(context: BookingContext, text: string): Intent {
  const raw = text.slice(0, MAX_READ).trim();
  const word = normalise(raw);
  if (word.length === 0) return { kind: 'unknown' };

  const options = stepOptions(context);
  const named = options.find((option) => option.aliases.has(word));
  if (named) return { kind: 'choose', value: named.value };

  const command = COMMANDS.find((name) => COMMAND_WORDS[name].has(word));
  if (command) return { kind: 'command', command };
  const lang = LANGS.find((name) => LANGUAGE_WORDS[name].has(word));
  if (lang) return { kind: 'setLanguage', lang };
  const anywhere = ANYWHERE_MENU_OPTIONS.find((name) => MENU_WORDS[name].has(word));
  if (anywhere) return { kind: 'menuOption', option: anywhere };

  if (TEXT_STEPS.has(context.step)) return { kind: 'text', text: raw };

  // "hi, I want to book" and "hello doctor" are greetings first: answer with the menu.
  const [first = '', ...rest] = word.split(' ');
  if (rest.length < 5 && COMMAND_WORDS.menu.has(normalise(first))) return { kind: 'command', command: 'menu' };

  if (ROW_NUMBER.test(word) && acceptsNumbers(context.step)) {
    const chosen = options[Number(word) - 1];
    return chosen ? { kind: 'choose', value: chosen.value } : { kind: 'unknown' };
  }
  return { kind: 'unknown' };
}

/** What `event` (a patient's own message) means at the step `context` is at. Never throws. */
export function interpret(context: BookingContext, event: PatientMessageEvent): Intent {
  switch (event.type) {
    case 'UNSUPPORTED_MESSAGE':
      return event.kind === 'too_long' ? { kind: 'tooLong' } : { kind: 'unsupported' };
    case 'TAP':
      return readTap(context, event.id);
    case 'TEXT':
      return readText(context, event.text);
  }
}

const NAME = /^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u;
const MAX_NAME = 60;

/** A typed name cleaned to single spaces, or null when it is not a plausible name (digits, symbols, too long). */
export function parseName(text: string): string | null {
  const name = text.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (name.length < 2 || name.length > MAX_NAME || !NAME.test(name)) return null;
  return name;
}

const AGE = /^(\d{1,3})\s*(years?|yrs?|y|साल|वर्ष|बरस)?(\s*old)?$/u;
const MONTHS = /^(\d{1,2})\s*(months?|mon|mths?|महीने|महीना|माह)$/u;
const MAX_AGE = 120;

/** A typed age in whole years ("34", "34 years", "३४ साल"; "6 months" → 0), or null. */
export function parseAge(text: string): number | null {
  // Normalising trims punctuation, which would turn "-3" into "3".
  if (/^\s*[-−]/u.test(text)) return null;
  const word = normalise(text);
  const months = MONTHS.exec(word);
  if (months) return Number(months[1]) < 12 ? 0 : Math.floor(Number(months[1]) / 12);
  const years = AGE.exec(word);
  if (!years) return null;
  const age = Number(years[1]);
  return age <= MAX_AGE ? age : null;
}
