import { readFileSync } from 'node:fs';
import path from 'node:path';
import { JSON_SCHEMAS_DIR, messageSchemas, renderMessageSchemas } from '../src';

const committed = (file: string): string => readFileSync(path.join(__dirname, '..', JSON_SCHEMAS_DIR, file), 'utf8');

describe('the JSON Schema documents partners read', () => {
  it('when generated from the zod schemas, then each matches the committed document (npm run contracts:schemas)', () => {
    const rendered = renderMessageSchemas();

    expect(rendered.map(([file]) => file).sort()).toEqual(
      Object.keys(messageSchemas)
        .map((topic) => `${topic}.json`)
        .sort(),
    );
    for (const [file, content] of rendered) expect({ file, content: committed(file) }).toEqual({ file, content });
  });

  it('when a document is generated, then it is draft 2020-12 with its own $id and no zod-only pattern for dates', () => {
    const declines = JSON.parse(renderMessageSchemas().find(([file]) => file === 'job-applications.declines.json')![1]);

    expect(declines).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://sitter.example/schemas/job-applications.declines.json',
      additionalProperties: true,
      properties: { requestedAt: { type: 'string', format: 'date-time' } },
    });
    expect(declines.properties.requestedAt.pattern).toBeUndefined();
  });
});
