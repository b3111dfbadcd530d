import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PaymentRequestSchema, PaymentResultSchema, readMessage } from '@sitter/contracts';
import { startSystem } from '../support/system';

const schemas = { 'payments.requests': PaymentRequestSchema, 'payments.results': PaymentResultSchema } as const;
type DocumentedTopic = keyof typeof schemas;

const problems = (topic: DocumentedTopic, message: unknown): string[] => {
  const read = readMessage<unknown>(schemas[topic], message);
  return read.ok ? [] : read.problems;
};

/** The README's example messages per `### <topic> (JSON Schema)` section, and the document each section links to. */
const readmeSections = (): Map<string, { link?: string; examples: unknown[] }> => {
  const text = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const sections = new Map<string, { link?: string; examples: unknown[] }>();
  for (const section of text.split(/^### /m).slice(1)) {
    const topic = /^`([^`]+)` \(JSON Schema\)/.exec(section)?.[1];
    if (!topic) continue;
    const link = /\]\((\.\.\/\.\.\/packages\/contracts\/schemas\/[^)]+)\)/.exec(section)?.[1];
    const examples = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]) as unknown);
    sections.set(topic, { link, examples });
  }
  return sections;
};

describe('the topic schemas in the README', () => {
  const sections = readmeSections();

  it('when read, then payments.requests and payments.results each link their schema and give examples that satisfy it', () => {
    expect([...sections.keys()].sort()).toEqual(['payments.requests', 'payments.results']);
    for (const [topic, { link, examples }] of sections) {
      const document = JSON.parse(readFileSync(join(__dirname, '../..', link ?? 'missing'), 'utf8'));
      expect(document.$id).toBe(`https://sitter.example/schemas/${topic}.json`);
      expect(examples.length).toBeGreaterThanOrEqual(2);
      for (const example of examples) expect(problems(topic as DocumentedTopic, example)).toEqual([]);
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

      for (const topic of ['payments.requests', 'payments.results'] as const) {
        const messages = system.messages(topic);
        const kinds = messages.map((message) => {
          const { type, outcome } = message as { type?: string; outcome?: string };
          return type ?? outcome;
        });
        expect(kinds.sort()).toEqual(
          topic === 'payments.requests' ? ['AUTHORIZE', 'AUTHORIZE', 'REFUND'] : ['AUTHORIZED', 'DECLINED', 'REFUNDED'],
        );
        for (const message of messages) expect(problems(topic, message)).toEqual([]);
      }
    } finally {
      await system.stop();
    }
  });

  it('when a message breaks the schema, then the check says so (the check itself can fail)', () => {
    expect(problems('payments.results', { version: 1, bookingId: 'b', idempotencyKey: 'k', outcome: 'MAYBE' })).toEqual(
      [expect.stringMatching(/^outcome: /), 'processedAt: is required'],
    );
  });
});
