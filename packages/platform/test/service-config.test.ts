import { loadConfig, requireDaprPortWithDapr, serviceConfigFields, z } from '../src';

const schema = z.object(serviceConfigFields(3999)).superRefine(requireDaprPortWithDapr);

describe('serviceConfigFields', () => {
  it('when nothing is set, then the service port, ./.data, info and the embedded runtime are the defaults', () => {
    expect(loadConfig('svc', schema, {})).toEqual({
      PORT: 3999,
      DATA_DIR: './.data',
      LOG_LEVEL: 'info',
      SITTER_RUNTIME: 'embedded',
      SITTER_STATE_LOCK_STORE: 'lockstore',
    });
  });

  it('when LOG_LEVEL is not a level, then loading fails naming the field', () => {
    expect(() => loadConfig('svc', schema, { LOG_LEVEL: 'loud' })).toThrow(
      /invalid configuration for svc:\n {2}LOG_LEVEL:/,
    );
  });

  it('when SITTER_RUNTIME=dapr comes without DAPR_HTTP_PORT, then loading fails naming the port', () => {
    expect(() => loadConfig('svc', schema, { SITTER_RUNTIME: 'dapr' })).toThrow(/DAPR_HTTP_PORT: is required/);
  });
});
