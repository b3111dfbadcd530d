import { loadConfig, z } from '@sitter/platform';
import { Components } from '@sitter/contracts';
import { chosenDaprPort, chosenStateLockStore, requireDaprPortWithDapr, runtimeConfigFields } from '../src';

/** Shaped like a service's configuration: its own fields, the runtime fields, the cross-field check. */
const serviceSchema = z
  .object({ PORT: z.coerce.number().default(3001), ...runtimeConfigFields })
  .superRefine(requireDaprPortWithDapr);

const load = (env: NodeJS.ProcessEnv) => loadConfig('svc', serviceSchema, env);

describe('choosing the runtime from the environment', () => {
  it('when nothing is set, then the service runs embedded and has no sidecar port', () => {
    // Act
    const config = load({});

    // Assert
    expect(config.SITTER_RUNTIME).toBe('embedded');
    expect(chosenDaprPort(config)).toBeUndefined();
  });

  it('when SITTER_RUNTIME=dapr comes with DAPR_HTTP_PORT, then that is the sidecar port', () => {
    // Act
    const config = load({ SITTER_RUNTIME: 'dapr', DAPR_HTTP_PORT: '3500' });

    // Assert
    expect(chosenDaprPort(config)).toBe(3500);
  });

  it('when SITTER_RUNTIME=dapr comes without DAPR_HTTP_PORT, then loading fails naming DAPR_HTTP_PORT', () => {
    // Act
    const loading = () => load({ SITTER_RUNTIME: 'dapr' });

    // Assert
    expect(loading).toThrow(/DAPR_HTTP_PORT: is required when SITTER_RUNTIME=dapr/);
  });

  it('when the runtime is unknown or the port is not a port, then loading fails naming both', () => {
    // Act
    const loading = () => load({ SITTER_RUNTIME: 'kubernetes', DAPR_HTTP_PORT: '70000' });

    // Assert
    expect(loading).toThrow(/SITTER_RUNTIME[\s\S]*DAPR_HTTP_PORT/);
  });

  it('when the embedded runtime is chosen, then a DAPR_HTTP_PORT in the environment is ignored', () => {
    // Act
    const config = load({ SITTER_RUNTIME: 'embedded', DAPR_HTTP_PORT: '3500' });

    // Assert
    expect(chosenDaprPort(config)).toBeUndefined();
  });

  it('when SITTER_STATE_LOCK_STORE is not set, then state writes lock their keys through the lock store component', () => {
    // Act
    const config = load({ SITTER_RUNTIME: 'dapr', DAPR_HTTP_PORT: '3500' });

    // Assert
    expect(chosenStateLockStore(config)).toBe(Components.lockStore);
  });

  it('when SITTER_STATE_LOCK_STORE names a component or says none, then that one, or no lock store, is used', () => {
    // Act
    const named = load({ SITTER_STATE_LOCK_STORE: 'locks-eu' });
    const none = load({ SITTER_STATE_LOCK_STORE: 'none' });

    // Assert
    expect(chosenStateLockStore(named)).toBe('locks-eu');
    expect(chosenStateLockStore(none)).toBeNull();
  });
});
