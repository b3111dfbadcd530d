import { randomInt } from 'node:crypto';

/** No 0/O or 1/I: a reference is read aloud and typed by people. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const LENGTH = 6;

/**
 * A six-character reference like an airline's record locator (about a billion values). Unique
 * because confirming writes `booking-reference:{ref}` only if absent; a clash draws again.
 */
export const randomBookingReference = (): string =>
  Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
