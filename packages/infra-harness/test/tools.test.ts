import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { infraSkipReason, locateTool, MissingToolError, SETUP_COMMAND } from '../src/tools';

describe('locating provisioned tools', () => {
  const saved = { cache: process.env.SITTER_CACHE_DIR, ci: process.env.CI };

  beforeEach(() => {
    // An empty cache: nothing has been fetched or built there.
    process.env.SITTER_CACHE_DIR = mkdtempSync(path.join(os.tmpdir(), 'sitter-empty-cache-'));
  });

  afterEach(() => {
    rmSync(process.env.SITTER_CACHE_DIR ?? '', { recursive: true, force: true });
    process.env.SITTER_CACHE_DIR = saved.cache;
    process.env.CI = saved.ci;
    if (saved.cache === undefined) delete process.env.SITTER_CACHE_DIR;
    if (saved.ci === undefined) delete process.env.CI;
  });

  it('when Kafka has not been fetched, then locating it fails with a message naming the setup command', () => {
    // Act
    const attempt = () => locateTool('kafka');

    // Assert
    expect(attempt).toThrow(MissingToolError);
    expect(attempt).toThrow(SETUP_COMMAND);
  });

  it('when daprd is missing outside CI, then the suite gets a skip reason naming the setup command', () => {
    // Arrange
    process.env.CI = 'false';

    // Act
    const reason = infraSkipReason(['daprd']);

    // Assert
    expect(reason).toContain(SETUP_COMMAND);
    expect(reason).toContain('daprd');
  });

  it('when daprd is missing and CI=true, then asking for a skip reason throws instead of skipping', () => {
    // Arrange
    process.env.CI = 'true';

    // Act
    const attempt = () => infraSkipReason(['daprd']);

    // Assert
    expect(attempt).toThrow(/CI=true and real infrastructure is missing/);
  });

  it('when the control plane has not been built, then locating it fails naming the setup command and never builds', () => {
    // Act
    const attempt = () => locateTool('kube');

    // Assert
    expect(attempt).toThrow(MissingToolError);
    expect(attempt).toThrow(/kube|control plane/);
    expect(attempt).toThrow(SETUP_COMMAND);
  });
});
