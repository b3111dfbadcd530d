/**
 * How the sandbox answers each card-network test token, after the conventions card processors
 * publish for their test modes: a few tokens authorize, the "chargeDeclined" family declines with
 * the matching reason, and tok_timeout is never answered (to exercise the booking deadline).
 */
export type TokenBehaviour = { answer: 'AUTHORIZED' } | { answer: 'DECLINED'; reason: string } | { answer: 'NONE' };

const BEHAVIOURS: Readonly<Record<string, TokenBehaviour>> = {
  tok_visa: { answer: 'AUTHORIZED' },
  tok_visa_debit: { answer: 'AUTHORIZED' },
  tok_mastercard: { answer: 'AUTHORIZED' },
  tok_amex: { answer: 'AUTHORIZED' },
  tok_chargeDeclined: { answer: 'DECLINED', reason: 'card_declined' },
  tok_chargeDeclinedInsufficientFunds: { answer: 'DECLINED', reason: 'insufficient_funds' },
  tok_chargeDeclinedExpiredCard: { answer: 'DECLINED', reason: 'expired_card' },
  tok_chargeDeclinedFraudulent: { answer: 'DECLINED', reason: 'fraudulent' },
  tok_timeout: { answer: 'NONE' },
};

/** Any other token is one the sandbox never issued. */
export const behaviourOf = (token: string): TokenBehaviour =>
  Object.hasOwn(BEHAVIOURS, token) ? BEHAVIOURS[token] : { answer: 'DECLINED', reason: 'invalid_token' };
