import { loadConfig, portSchema, z } from '../src';

const schema = z.object({ PORT: portSchema(3000), MODE: z.enum(['a', 'b']) });

describe('loadConfig', () => {
  it('when the environment is valid, then defaults fill the gaps and values are typed', () => {
    const config = loadConfig('demo', schema, { MODE: 'a' });

    expect(config).toEqual({ PORT: 3000, MODE: 'a' });
  });

  it('when the environment is invalid, then it fails naming the service and every bad variable', () => {
    expect(() => loadConfig('demo', schema, { PORT: '70000', MODE: 'c' })).toThrow(
      /invalid configuration for demo:[\s\S]*PORT[\s\S]*MODE/,
    );
  });
});
