import { readFileSync } from 'node:fs';
import path from 'node:path';
import { declineRequestSchema, validateDeclineRequest } from '../src/domain';

const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

const jsonBlocksAfter = (heading: string): unknown[] => {
  const section = readme.slice(readme.indexOf(heading));
  return [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]));
};

describe('the README message contract', () => {
  it('when partners read the JSON Schema, then it is exactly the one the decliner validates with', () => {
    const [schema] = jsonBlocksAfter('### JSON Schema');

    expect(schema).toEqual(declineRequestSchema);
  });

  it('when partners copy the example message, then it is valid', () => {
    const [, example] = jsonBlocksAfter('### JSON Schema');

    expect(validateDeclineRequest(example)).toMatchObject({ ok: true });
  });
});
