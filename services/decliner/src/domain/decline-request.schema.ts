/**
 * The contract of `job-applications.declines`, as partners read it in the README. The decliner
 * validates every message against this very document, so the two cannot drift apart.
 */
export const declineRequestSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://sitter.example/schemas/job-applications.declines.json',
  title: 'DeclineRequest',
  description: 'Asks Sitter to decline one job application. Key the Kafka message with jobId.',
  type: 'object',
  required: ['version', 'applicationId', 'jobId', 'reason', 'source', 'requestedAt'],
  properties: {
    version: { const: 1 },
    applicationId: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
    jobId: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
    reason: { type: 'string', minLength: 1, maxLength: 1000, pattern: '\\S' },
    source: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      pattern: '\\S',
      description: "'booking' for the platform, the partner's name otherwise",
    },
    requestedAt: { type: 'string', format: 'date-time', description: 'RFC 3339, e.g. 2031-05-01T09:30:00Z' },
  },
  additionalProperties: true,
} as const;
