/** Engine construction from validated settings; the only place that lists the engines. */
import type { Engine } from './engine.js';
import type { TrinoFlags, TrinoSettings } from './trino/trino-settings.js';
import { StediError } from '../errors.js';

export const ENGINE_NAMES = ['duckdb', 'trino'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export interface EngineSettings {
  engine: EngineName;
  duckdbMemoryLimit?: string;
  /** Required when `engine` is `trino` (see trino/trino-settings.ts: resolveTrinoSettings). */
  trino?: TrinoSettings;
}

/**
 * Settings for engine `name` from CLI flags over environment (e.g. STEDI_TRINO_URL); a CONFIG error
 * when incomplete. Trino's settings validation (zod) is loaded only when Trino is asked for.
 */
export async function engineSettingsFrom(name: string, flags: TrinoFlags = {}, env: NodeJS.ProcessEnv = process.env): Promise<EngineSettings> {
  switch (name) {
    case 'duckdb':
      return { engine: 'duckdb' };
    case 'trino': {
      const { resolveTrinoSettings } = await import('./trino/trino-settings.js');
      return { engine: 'trino', trino: resolveTrinoSettings(flags, env) };
    }
    default:
      throw new StediError('USAGE', `unknown engine "${name}"; engines are ${ENGINE_NAMES.join(', ')}`);
  }
}

/** The run an engine serves: engines that need scratch space (Trino) keep it under the lake. */
export interface EngineScope {
  readonly lake: string;
  readonly runId: string;
}

export async function openEngine(settings: EngineSettings, scope?: EngineScope): Promise<Engine> {
  switch (settings.engine) {
    case 'duckdb': {
      const { DuckDbEngine } = await import('./duckdb/duckdb-engine.js');
      return DuckDbEngine.open(settings.duckdbMemoryLimit ? { memoryLimit: settings.duckdbMemoryLimit } : {});
    }
    case 'trino': {
      if (!settings.trino || !scope) throw new Error(`openEngine: the trino engine needs its settings (resolveTrinoSettings) and the run's scope`);
      const { TrinoEngine } = await import('./trino/trino-engine.js');
      return TrinoEngine.open(settings.trino, scope);
    }
  }
}
