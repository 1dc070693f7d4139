/**
 * @module
 * Descriptors of a text column — numbers per row that the univariate drift tests can compare between a
 * reference and a current window, since raw text cannot be drift-tested directly.
 *
 * Per text: length in characters (code points) and in tokens, share of tokens outside the reference
 * vocabulary, share of non-letter characters (digits, punctuation, symbols; whitespace excluded), share
 * of upper-case letters, and the script mix of its letters (Latin, Cyrillic, Greek, Arabic, Hebrew,
 * Devanagari, Thai, CJK = Han + kana + Hangul, other) by Unicode `Script` property, plus the dominant
 * script as a category.
 *
 * When to use: inputs or outputs that are free text (prompts, e-mails, generated answers). Assumptions: a
 * token is a run of letters and digits (with inner apostrophes), lower-cased; languages without spaces
 * (Chinese, Japanese, Thai) get one token per run, so compare them by characters rather than tokens.
 * Minimum sample: the reference should hold a few hundred texts so its vocabulary is representative.
 *
 * Out-of-vocabulary share on the reference itself is computed leave-one-out (a token is out of vocabulary
 * for a reference text when no *other* reference text contains it); otherwise the reference would score 0
 * by construction and every current window would look drifted.
 */

/** The numeric descriptors, in the order they are reported. */
export const TEXT_DESCRIPTORS = [
  'chars',
  'tokens',
  'oovShare',
  'nonLetterShare',
  'upperShare',
  'latinShare',
  'cyrillicShare',
  'greekShare',
  'arabicShare',
  'hebrewShare',
  'devanagariShare',
  'thaiShare',
  'cjkShare',
  'otherScriptShare',
] as const;

export type TextDescriptor = (typeof TEXT_DESCRIPTORS)[number];

/** Scripts told apart, in the order tried. */
export const SCRIPTS = [
  'latin',
  'cyrillic',
  'greek',
  'arabic',
  'hebrew',
  'devanagari',
  'thai',
  'cjk',
] as const;
export type Script = (typeof SCRIPTS)[number] | 'other';

/**
 * Descriptor columns, one entry per input text. Numbers are null where the text is missing or a share has
 * no denominator (no tokens, no letters, no visible characters) — never NaN. `script` is the dominant
 * script of the letters (null without letters).
 */
export type TextDescriptorColumns = Record<TextDescriptor, (number | null)[]> & { script: (Script | null)[] };

export interface TextDescriptorOptions {
  /** A token is in the vocabulary when at least this many reference texts contain it; default 1. */
  minDocumentFrequency?: number;
}

export interface TextDescriptorModel {
  /** Distinct tokens in the reference vocabulary (document frequency ≥ minDocumentFrequency). */
  vocabularySize: number;
  nReference: number;
  /** Descriptors of the reference texts themselves (out-of-vocabulary share leave-one-out). */
  reference: TextDescriptorColumns;
  /** Descriptors of other texts against the reference vocabulary. */
  describe(texts: readonly (string | null | undefined)[]): TextDescriptorColumns;
}

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
const LETTER = /\p{L}/u;
const UPPER = /\p{Lu}/u;
const SPACE = /\s/u;
const SCRIPT_TESTS: [Script, RegExp][] = [
  ['latin', /\p{Script=Latin}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['greek', /\p{Script=Greek}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['devanagari', /\p{Script=Devanagari}/u],
  ['thai', /\p{Script=Thai}/u],
  ['cjk', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u],
];
const SHARE_OF: Record<Script, TextDescriptor> = {
  latin: 'latinShare',
  cyrillic: 'cyrillicShare',
  greek: 'greekShare',
  arabic: 'arabicShare',
  hebrew: 'hebrewShare',
  devanagari: 'devanagariShare',
  thai: 'thaiShare',
  cjk: 'cjkShare',
  other: 'otherScriptShare',
};

/** Lower-cased tokens of a text (runs of letters/digits with inner apostrophes). */
export function tokenize(text: string): string[] {
  return (text.match(TOKEN) ?? []).map((t) => t.toLowerCase());
}

interface CharStats {
  chars: number;
  visible: number;
  letters: number;
  upper: number;
  scripts: Map<Script, number>;
}

function charStats(text: string): CharStats {
  let chars = 0;
  let visible = 0;
  let letters = 0;
  let upper = 0;
  const scripts = new Map<Script, number>();
  for (const ch of text) {
    chars++;
    const code = ch.codePointAt(0)!;
    if (code < 128) {
      // ASCII fast path
      if (code === 32 || (code >= 9 && code <= 13)) continue;
      visible++;
      const isUpper = code >= 65 && code <= 90;
      if (isUpper || (code >= 97 && code <= 122)) {
        letters++;
        if (isUpper) upper++;
        scripts.set('latin', (scripts.get('latin') ?? 0) + 1);
      }
      continue;
    }
    if (SPACE.test(ch)) continue;
    visible++;
    if (!LETTER.test(ch)) continue;
    letters++;
    if (UPPER.test(ch)) upper++;
    let script: Script = 'other';
    for (const [name, re] of SCRIPT_TESTS)
      if (re.test(ch)) {
        script = name;
        break;
      }
    scripts.set(script, (scripts.get(script) ?? 0) + 1);
  }
  return { chars, visible, letters, upper, scripts };
}

function emptyColumns(): TextDescriptorColumns {
  const out = { script: [] } as unknown as TextDescriptorColumns;
  for (const d of TEXT_DESCRIPTORS) out[d] = [];
  return out;
}

function pushRow(
  out: TextDescriptorColumns,
  text: string | null | undefined,
  isOov: ((token: string, own: ReadonlySet<string>) => boolean) | null,
): void {
  if (text === null || text === undefined) {
    for (const d of TEXT_DESCRIPTORS) out[d].push(null);
    out.script.push(null);
    return;
  }
  const tokens = tokenize(text);
  const own = new Set(tokens);
  let oov = 0;
  if (isOov) for (const t of tokens) if (isOov(t, own)) oov++;
  const s = charStats(text);
  out.chars.push(s.chars);
  out.tokens.push(tokens.length);
  out.oovShare.push(tokens.length === 0 || !isOov ? null : oov / tokens.length);
  out.nonLetterShare.push(s.visible === 0 ? null : (s.visible - s.letters) / s.visible);
  out.upperShare.push(s.letters === 0 ? null : s.upper / s.letters);
  let best: Script | null = null;
  let bestCount = 0;
  for (const script of [...SCRIPTS, 'other'] as Script[]) {
    const c = s.scripts.get(script) ?? 0;
    out[SHARE_OF[script]].push(s.letters === 0 ? null : c / s.letters);
    if (c > bestCount) [best, bestCount] = [script, c];
  }
  out.script.push(best);
}

/**
 * Builds the reference vocabulary (document frequencies of lower-cased tokens) and the reference's own
 * descriptor columns. Errors: a non-string, non-null entry names its row; minDocumentFrequency < 1.
 */
export function fitTextDescriptors(
  referenceTexts: readonly (string | null | undefined)[],
  options: TextDescriptorOptions = {},
): TextDescriptorModel {
  const minDf = options.minDocumentFrequency ?? 1;
  if (!Number.isInteger(minDf) || minDf < 1)
    throw new Error(`text descriptors: minDocumentFrequency must be an integer ≥ 1, got ${minDf}`);
  const check = (texts: readonly unknown[], what: string) => {
    texts.forEach((t, i) => {
      if (t !== null && t !== undefined && typeof t !== 'string')
        throw new Error(`text descriptors: ${what} row ${i} is not text (${typeof t})`);
    });
  };
  check(referenceTexts, 'reference');
  const df = new Map<string, number>();
  for (const text of referenceTexts) {
    if (typeof text !== 'string') continue;
    for (const t of new Set(tokenize(text))) df.set(t, (df.get(t) ?? 0) + 1);
  }
  let vocabularySize = 0;
  for (const c of df.values()) if (c >= minDf) vocabularySize++;

  const reference = emptyColumns();
  // leave-one-out: the text's own occurrence does not count towards its tokens' document frequency
  const looOov = (token: string, own: ReadonlySet<string>) =>
    (df.get(token) ?? 0) - (own.has(token) ? 1 : 0) < minDf;
  for (const text of referenceTexts) pushRow(reference, text, looOov);
  const oov = (token: string) => (df.get(token) ?? 0) < minDf;
  return {
    vocabularySize,
    nReference: referenceTexts.length,
    reference,
    describe: (texts) => {
      check(texts, 'current');
      const out = emptyColumns();
      for (const text of texts) pushRow(out, text, oov);
      return out;
    },
  };
}
