/**
 * The rules every service applies to free text a person typed (names, addresses, cities,
 * descriptions): what is stored is NFC-normalised and shows what it says. Zod schemas use
 * them as `.transform(normalizeText)` followed by `.superRefine(refineText(rules))`.
 */
export interface TextRules {
  /** Free text (an "about", a reason) may hold line feeds, carriage returns and tabs; a name may not. */
  multiline?: boolean;
}

/** The part of zod's refinement context the rules need, so callers on zod 3 and on zod/v4 can both use them. */
export interface TextIssueSink {
  addIssue(issue: { code: 'custom'; message: string }): void;
}

/** C0 controls except tab, LF and CR, DEL, and the C1 controls. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_IN_FREE_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Every C0 and C1 control, DEL, and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_IN_ONE_LINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
/** Bidirectional embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069): they reorder what is shown. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/** With the `u` flag, a surrogate matches here only when it is not half of a pair. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Letters that render as nothing (Hangul fillers) and the blank braille pattern. */
const BLANK_LOOKALIKES = /[\u115F\u1160\u3164\uFFA0\u2800]/gu;
/** Something a reader sees: a letter, digit, punctuation mark or symbol. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

export const normalizeText = (value: string): string => value.normalize('NFC');

/** Why the text cannot be stored, or undefined when it can. The empty string passes: length rules decide on it. */
export const textProblem = (value: string, rules: TextRules = {}): string | undefined => {
  if (LONE_SURROGATE.test(value)) return 'must not contain unpaired surrogate code units';
  if ((rules.multiline ? CONTROL_IN_FREE_TEXT : CONTROL_IN_ONE_LINE).test(value)) {
    return rules.multiline
      ? 'must not contain control characters'
      : 'must not contain control characters or line breaks';
  }
  if (BIDI_CONTROL.test(value)) return 'must not contain bidirectional override or isolate characters';
  if (value !== '' && !VISIBLE.test(value.replace(BLANK_LOOKALIKES, ''))) {
    return 'must contain a visible character, not only spaces or invisible ones';
  }
  return undefined;
};

/** The rules as a zod refinement: `.superRefine(refineText())`. */
export const refineText =
  (rules: TextRules = {}) =>
  (value: string, context: TextIssueSink): void => {
    const problem = textProblem(value, rules);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  };
