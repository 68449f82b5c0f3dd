/** Engine construction from validated settings; the only place that lists the engines. */
import type { Engine } from './engine.js';
import { DuckDbEngine } from './duckdb/duckdb-engine.js';

export type EngineName = 'duckdb';

export interface EngineSettings {
  engine: EngineName;
  duckdbMemoryLimit?: string;
}

export async function openEngine(settings: EngineSettings): Promise<Engine> {
  switch (settings.engine) {
    case 'duckdb':
      return DuckDbEngine.open(settings.duckdbMemoryLimit ? { memoryLimit: settings.duckdbMemoryLimit } : {});
  }
}
