import { maskPaymentToken, randomBookingReference } from '../../src/domain';

describe('maskPaymentToken', () => {
  it.each([
    ['tok_visa', 'tok_…isa'],
    ['tok_chargeDeclined', 'tok_…ned'],
    ['tok_1N3T00LkdIwHu7ixt44h1F8k', 'tok_…F8k'],
    ['pm_card_visa', 'pm_…isa'],
    ['abcdefghijkl', 'abcd…jkl'],
    ['tok_ab', 'tok_…'],
  ])('when the token is %s, then %s is kept', (token, masked) => {
    expect(maskPaymentToken(token)).toBe(masked);
  });
});

describe('randomBookingReference', () => {
  it('when drawn, then six characters without 0, O, 1 or I', () => {
    const references = Array.from({ length: 200 }, randomBookingReference);

    for (const reference of references) expect(reference).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    expect(new Set(references).size).toBeGreaterThan(190);
  });
});
