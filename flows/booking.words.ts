/**
 * The words patients type instead of tapping, in English, Hindi and Hinglish, and the
 * normalisation that lets "Hi!!", " HELLO 👋" and "हाँ।" match them. Words are compared whole
 * after normalising, never as substrings, so a name like "Hemant" never reads as "help".
 */
import type { Command, Lang, MenuOption } from './booking.types.js';

const DEVANAGARI_DIGITS = /[०-९]/gu;
// Punctuation and WhatsApp markup around a word carry no meaning for matching.
const EDGE_PUNCTUATION = /^[\s.,!?;:'"`*_~()[\]{}<>।॥#-]+|[\s.,!?;:'"`*_~()[\]{}<>।॥#-]+$/gu;
const DECORATION = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|[\u{FE0F}\u{200B}\u{200C}\u{2060}]|\u{200D}/gu;
const SPACES = /\s+/gu;

/**
 * A message reduced for matching: Unicode NFC, lower case, Devanagari digits as ASCII, emoji and
 * zero-width characters removed, punctuation trimmed from both ends, single spaces.
 */
export function normalise(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(DEVANAGARI_DIGITS, (digit) => String(digit.charCodeAt(0) - 0x0966))
    .replace(DECORATION, '')
    .replace(SPACES, ' ')
    .replace(EDGE_PUNCTUATION, '')
    .trim();
}

function wordSet(...words: string[]): ReadonlySet<string> {
  return new Set(words.map(normalise));
}

/** Words that mean the same at every step. */
export const COMMAND_WORDS: Record<Command, ReadonlySet<string>> = {
  menu: wordSet(
    'hi',
    'hii',
    'hiii',
    'hello',
    'helo',
    'hey',
    'start',
    'restart',
    'menu',
    'main menu',
    'home',
    'namaste',
    'namaskar',
    'नमस्ते',
    'नमस्कार',
    'हाय',
    'हेलो',
    'हैलो',
    'मेनू',
    'मेन्यू',
    'मुख्य मेनू',
    'शुरू',
    'शुरू करें',
  ),
  help: wordSet('help', 'help me', '?', 'madad', 'sahayata', 'मदद', 'सहायता', 'मदद चाहिए'),
  back: wordSet('back', 'go back', 'previous', 'peeche', 'wapas', 'वापस', 'पीछे', 'पीछे जाएँ'),
  cancel: wordSet('cancel', 'radd', 'रद्द', 'रद्द करो', 'रद्द करें', 'कैंसिल'),
  stop: wordSet('stop', 'exit', 'quit', 'bye', 'band', 'बंद', 'बंद करो', 'बंद करें', 'रुको', 'रुकें'),
};

/** Words that switch the language in place. */
export const LANGUAGE_WORDS: Record<Lang, ReadonlySet<string>> = {
  en: wordSet('english', 'eng', 'angrezi', 'अंग्रेज़ी', 'अंग्रेजी', 'इंग्लिश'),
  hi: wordSet('hindi', 'हिंदी', 'हिन्दी'),
};

/** Words for a menu option, understood at the menu and when the conversation is at rest. */
export const MENU_WORDS: Record<MenuOption, ReadonlySet<string>> = {
  book: wordSet(
    'book',
    'booking',
    'book appointment',
    'appointment',
    'new appointment',
    'बुक',
    'बुकिंग',
    'अपॉइंटमेंट',
    'अपॉइंटमेंट बुक करें',
  ),
  mine: wordSet('my appointments', 'appointments', 'my bookings', 'upcoming', 'मेरे अपॉइंटमेंट', 'मेरी बुकिंग'),
  reschedule: wordSet('reschedule', 'change', 'change time', 'move', 'समय बदलें', 'बदलें', 'रीशेड्यूल'),
  cancel: wordSet('cancel', 'cancel appointment', 'radd', 'रद्द', 'रद्द करें', 'अपॉइंटमेंट रद्द करें', 'कैंसिल'),
  frontDesk: wordSet(
    'front desk',
    'frontdesk',
    'talk to front desk',
    'reception',
    'receptionist',
    'agent',
    'human',
    'staff',
    'call me',
    'रिसेप्शन',
    'रिसेप्शन से बात करें',
    'स्टाफ',
    'स्टाफ़',
  ),
  language: wordSet('language', 'change language', 'bhasha', 'भाषा', 'भाषा बदलें'),
};

/** Menu options that can be asked for by name at any step, not just at the menu. */
export const ANYWHERE_MENU_OPTIONS: readonly MenuOption[] = ['frontDesk', 'language'];

/** Yes and no, for confirmation steps. */
export const YES_WORDS = wordSet(
  'yes',
  'y',
  'yeah',
  'yep',
  'ok',
  'okay',
  'confirm',
  'sure',
  'haan',
  'han',
  'ha',
  'हाँ',
  'हां',
  'जी',
  'जी हाँ',
  'ठीक है',
  'theek hai',
);
/** Words for "no". */
export const NO_WORDS = wordSet('no', 'n', 'nope', 'nahi', 'nahin', 'नहीं', 'नही', 'जी नहीं');
/** Words for agreeing to the consent notice. */
export const AGREE_WORDS = wordSet('agree', 'i agree', 'accept', 'i accept', 'सहमत', 'मैं सहमत हूँ', 'स्वीकार');
/** Words for declining the consent notice. */
export const DISAGREE_WORDS = wordSet(
  'disagree',
  "i don't agree",
  'i do not agree',
  'decline',
  'असहमत',
  'मैं सहमत नहीं हूँ',
  'अस्वीकार',
);
