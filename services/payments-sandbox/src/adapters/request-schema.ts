import { z } from '@sitter/platform';
import type { PaymentRequest } from '@sitter/contracts';

const common = {
  version: z.literal(1),
  bookingId: z.string().min(1),
  idempotencyKey: z.string().min(1),
  amount: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/),
  requestedAt: z.string().min(1),
};

const requestSchema = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('AUTHORIZE'), paymentToken: z.string().min(1) }),
  z.object({ ...common, type: z.literal('REFUND'), authorizationKey: z.string().min(1) }),
]);

/** A request the sandbox cannot read is rejected: redelivered, then dead-lettered. The error never quotes the token. */
export const parsePaymentRequest = (data: unknown): PaymentRequest => {
  const parsed = requestSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`malformed payment request: ${issue.path.join('.') || 'message'} ${issue.code}`);
};
