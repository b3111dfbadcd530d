import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSystem } from '../support/system';

/** The README's JSON blocks per `### <topic>` section: the schema (has $schema) and its examples. */
const readmeSections = (): Map<string, { schema: Schema; examples: unknown[] }> => {
  const text = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const sections = new Map<string, { schema: Schema; examples: unknown[] }>();
  for (const section of text.split(/^### /m).slice(1)) {
    const topic = /^`([^`]+)` \(JSON Schema\)/.exec(section)?.[1];
    if (!topic) continue;
    const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]) as unknown);
    const schema = blocks.find((block) => typeof block === 'object' && block !== null && '$schema' in block) as Schema;
    sections.set(topic, { schema, examples: blocks.filter((block) => block !== schema) });
  }
  return sections;
};

interface Schema {
  oneOf?: Schema[];
  type?: 'object' | 'string';
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
}

/** The part of JSON Schema the README uses; returns the problems found. */
const problems = (schema: Schema, value: unknown, at = '$'): string[] => {
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((option) => problems(option, value, at).length === 0);
    return matching.length === 1 ? [] : [`${at}: matches ${matching.length} of oneOf`];
  }
  if ('const' in schema && value !== schema.const) return [`${at}: is not ${JSON.stringify(schema.const)}`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: not one of ${schema.enum.join(', ')}`];
  if (schema.type === 'string') {
    if (typeof value !== 'string') return [`${at}: not a string`];
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) return [`${at}: does not match ${schema.pattern}`];
    if (schema.minLength && value.length < schema.minLength) return [`${at}: too short`];
  }
  if (schema.type === 'object') {
    if (typeof value !== 'object' || value === null) return [`${at}: not an object`];
    const record = value as Record<string, unknown>;
    const found = (schema.required ?? []).filter((key) => !(key in record)).map((key) => `${at}.${key}: missing`);
    for (const [key, inner] of Object.entries(record)) {
      const property = schema.properties?.[key];
      if (property) found.push(...problems(property, inner, `${at}.${key}`));
      else if (schema.additionalProperties === false) found.push(`${at}.${key}: not allowed`);
    }
    return found;
  }
  return [];
};

describe('the topic schemas in the README', () => {
  const sections = readmeSections();

  it('when read, then payments.requests and payments.results each have a schema and examples that satisfy it', () => {
    expect([...sections.keys()].sort()).toEqual(['payments.requests', 'payments.results']);
    for (const { schema, examples } of sections.values()) {
      expect(examples.length).toBeGreaterThanOrEqual(2);
      for (const example of examples) expect(problems(schema, example)).toEqual([]);
    }
  });

  it('when the flow runs, then every message on both topics satisfies the documented schema', async () => {
    const system = await startSystem();
    try {
      for (const paymentToken of ['tok_visa', 'tok_chargeDeclined']) {
        const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);
        const booked = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken });
        await system.settle();
        if (paymentToken === 'tok_visa') await system.cancel(owner, booked.id);
        await system.settle();
      }

      for (const topic of ['payments.requests', 'payments.results']) {
        const messages = system.messages(topic);
        const kinds = messages.map((message) => {
          const { type, outcome } = message as { type?: string; outcome?: string };
          return type ?? outcome;
        });
        expect(kinds.sort()).toEqual(
          topic === 'payments.requests' ? ['AUTHORIZE', 'AUTHORIZE', 'REFUND'] : ['AUTHORIZED', 'DECLINED', 'REFUNDED'],
        );
        for (const message of messages) expect(problems(sections.get(topic)!.schema, message)).toEqual([]);
      }
    } finally {
      await system.stop();
    }
  });

  it('when a message breaks the schema, then the check says so (the check itself can fail)', () => {
    const { schema } = sections.get('payments.results')!;

    expect(problems(schema, { version: 1, bookingId: 'b', idempotencyKey: 'k', outcome: 'MAYBE' })).toEqual([
      '$.processedAt: missing',
      '$.outcome: not one of AUTHORIZED, DECLINED, REFUNDED',
    ]);
  });
});
