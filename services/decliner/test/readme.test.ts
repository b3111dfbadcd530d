import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateDeclineRequest } from '../src/domain';

const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

const jsonBlocksAfter = (heading: string): unknown[] => {
  const section = readme.slice(readme.indexOf(heading));
  return [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]));
};

describe('the README message contract', () => {
  it('when partners follow the link to the JSON Schema, then it is the document generated for the topic', () => {
    const [, link] = /\]\((\.\.\/\.\.\/packages\/contracts\/schemas\/[^)]+)\)/.exec(readme) ?? [];
    const document = JSON.parse(readFileSync(path.join(__dirname, '..', link), 'utf8'));

    expect(document.$id).toBe('https://sitter.example/schemas/job-applications.declines.json');
  });

  it('when partners copy the example message, then it is valid', () => {
    const [example] = jsonBlocksAfter('### JSON Schema');

    expect(validateDeclineRequest(example)).toMatchObject({ ok: true });
  });
});
