import { z } from 'zod/v4';
import { BookingEventSchema, DeclineRequestSchema, PaymentRequestSchema, PaymentResultSchema } from './messages';
import { PartnerTopics, Topics } from './topics';

/** The JSON Schema document of each topic's messages, by topic: what partners read, generated from the schemas. */
export const messageSchemas = {
  [Topics.applicationDeclines]: DeclineRequestSchema,
  [PartnerTopics.paymentRequests]: PaymentRequestSchema,
  [Topics.paymentResults]: PaymentResultSchema,
  [Topics.bookingEvents]: BookingEventSchema,
} as const;

/** The folder of packages/contracts the documents are committed in. */
export const JSON_SCHEMAS_DIR = 'schemas';

const toDocument = (schema: z.ZodType): unknown =>
  z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    override: ({ jsonSchema }) => {
      // `format: date-time` says it; zod's regex for it would only bury the field.
      if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
      // A loose object: partners may add fields.
      if (
        typeof jsonSchema.additionalProperties === 'object' &&
        Object.keys(jsonSchema.additionalProperties).length === 0
      )
        jsonSchema.additionalProperties = true;
    },
  });

/** `[file name, content]` for every topic, as `npm run contracts:schemas` writes them. */
export const renderMessageSchemas = (): [string, string][] =>
  Object.entries(messageSchemas).map(([topic, schema]) => [
    `${topic}.json`,
    `${JSON.stringify(toDocument(schema), null, 2)}\n`,
  ]);
