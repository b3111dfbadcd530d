import { normalizeText, refineText, textProblem } from '../src';

describe('text rules', () => {
  it.each([
    ['plain text', 'Ada Lovelace'],
    ['letters of other scripts', 'Zoë Šťastná 李小龍 محمد'],
    ['emoji joined by zero-width joiners', 'family 👨‍👩‍👧'],
    ['a zero-width non-joiner inside a word', 'می\u200Cخواهم'],
    ['digits and punctuation only', '221B, 3/4'],
    ['the empty string (length rules decide on it)', ''],
  ])('when a single line holds %s, then it passes', (_label, value) => {
    expect(textProblem(value)).toBeUndefined();
  });

  it.each([
    ['a NUL', 'a\u0000b', /control/],
    ['an escape sequence', '\u001b[31mred', /control/],
    ['DEL', 'a\u007Fb', /control/],
    ['a C1 control', 'a\u009Bb', /control/],
    ['a line feed', 'a\nb', /line breaks/],
    ['a tab', 'a\tb', /control/],
    ['a line separator', 'a\u2028b', /line breaks/],
    ['a left-to-right embedding', 'a\u202Ab', /bidirectional/],
    ['a right-to-left override', 'a\u202Eb', /bidirectional/],
    ['a first-strong isolate', 'a\u2068b', /bidirectional/],
    ['a pop directional isolate', 'a\u2069b', /bidirectional/],
    ['a lone high surrogate', 'a\uD83Db', /surrogate/],
    ['a lone low surrogate', '\uDE00', /surrogate/],
    ['only zero-width spaces and joiners', '\u200B\u200D\uFEFF', /visible/],
    ['only spaces of other widths', '\u2003\u3000', /visible/],
    ['only Hangul fillers and a blank braille cell', '\u3164\u115F\u2800', /visible/],
    ['only a combining mark', '\u0301', /visible/],
  ])('when a single line holds %s, then it is refused', (_label, value, reason) => {
    expect(textProblem(value)).toMatch(reason);
  });

  it('when free text holds line feeds, carriage returns and tabs, then it passes; other controls do not', () => {
    expect(textProblem('one\r\ntwo\tthree', { multiline: true })).toBeUndefined();
    expect(textProblem('one\u0000two', { multiline: true })).toMatch(/control/);
    expect(textProblem('one\u202Etwo', { multiline: true })).toMatch(/bidirectional/);
  });

  it('when text is decomposed, then normalizing gives its composed (NFC) form', () => {
    expect(normalizeText('e\u0301')).toBe('\u00e9');
    expect(normalizeText('\u212B')).toBe('\u00c5');
  });

  it('when used as a refinement, then a problem becomes one custom issue and clean text none', () => {
    const issues: Array<{ code: string; message: string }> = [];
    const sink = { addIssue: (issue: { code: 'custom'; message: string }) => issues.push(issue) };

    refineText()('clean', sink);
    refineText()('dirty\u0007', sink);

    expect(issues).toEqual([{ code: 'custom', message: expect.stringMatching(/control/) }]);
  });
});
