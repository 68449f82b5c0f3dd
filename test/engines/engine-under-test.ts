/**
 * Which engines the engine-switched suites run on, in the manner of Malloy's per-dialect test
 * switch. STEDI_TEST_ENGINE=trino makes the shared pipeline suites (semantics) run on the Trino
 * server at STEDI_TRINO_URL; the default is DuckDB. Suites that need a server call
 * `trinoUrlOrFail()`: under CI a missing server is a failure, never a skip.
 */
import { engineSettingsFrom, type EngineSettings } from '../../src/engines/index.js';

export const TRINO_URL = process.env.STEDI_TRINO_URL;

/** True when this test process must exercise Trino: a server is configured, or CI demands one. */
export const TRINO_REQUIRED = Boolean(TRINO_URL) || Boolean(process.env.CI);

/** The server's URL; throws (failing the test) when CI is set and none is configured. */
export function trinoUrlOrFail(): string {
  if (!TRINO_URL) {
    throw new Error('STEDI_TRINO_URL is not set: CI must run the Trino tests (.ci/run starts a server with npm run trino:start)');
  }
  return TRINO_URL;
}

export function trinoSettings(overrides: { trinoSchema?: string; trinoCatalog?: string } = {}): Promise<EngineSettings> {
  return engineSettingsFrom('trino', { trinoUrl: trinoUrlOrFail(), ...overrides }, {});
}

/** The engine the shared suites use: STEDI_TEST_ENGINE (duckdb | trino), default duckdb. */
export function engineUnderTest(): Promise<EngineSettings> {
  const name = process.env.STEDI_TEST_ENGINE ?? 'duckdb';
  return name === 'trino' ? trinoSettings() : engineSettingsFrom(name, {}, {});
}
