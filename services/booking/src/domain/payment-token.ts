/**
 * What may be kept of a payment token: its type prefix (up to the first "_") and its last three
 * characters, e.g. "tok_visa" → "tok_…isa". Short tokens keep only the prefix.
 */
export const maskPaymentToken = (token: string): string => {
  const underscore = token.indexOf('_');
  const prefix = underscore > 0 && underscore < 8 ? token.slice(0, underscore + 1) : token.slice(0, 4);
  const suffix = token.length >= prefix.length + 4 ? token.slice(-3) : '';
  return `${prefix}…${suffix}`;
};
