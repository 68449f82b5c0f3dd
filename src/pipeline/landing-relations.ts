/** What the statements of one source's landing step share: the relations they make and read. */
import type { Engine } from '../engines/engine.js';
import type { Dialect, JsonField } from '../engines/dialect.js';
import type { LandingSource } from '../lake/tables.js';
import type { FieldContract } from '../quality/landing-contract.js';

/** The engine relations the landing step makes for one source, named in one place. */
export function landingRelations(source: LandingSource) {
  const name = (step: string): string => `${source}_landing_${step}`;
  return {
    /** Every line of the landing files as text (see Engine.attachLanding). */
    raw: name('raw'),
    /** The lines that are records (not blank), when every line takes the exact way. */
    lines: name('lines'),
    /** Every line read the fast way; text and file kept only where the exact way must decide. */
    canonical: name('canonical'),
    /** The lines the exact way reads (all of them without a fast way). */
    uncertain: name('uncertain'),
    /** Distinct text values of canonical lines that fail a check, by field. */
    badValues: name('bad_values'),
    /** The landing files attached once more, and the canonical lines found there holding a bad value. */
    rescan: name('rescan'),
    rescanCandidates: name('rescan_candidates'),
    recovered: name('recovered'),
    checked: name('checked'),
    quarantine: name('quarantine'),
  };
}

/** A line that is no record: NULL, empty, or only spaces, tabs and CR (docs/data-quality.md). */
export const blank = (q: Dialect): string => `(_raw IS NULL OR ${q.trimSpace('_raw')} = '')`;

/** One source's landing step: what each of its statements needs. */
export interface LandingBuild {
  engine: Engine;
  source: LandingSource;
  fields: readonly FieldContract[];
  jsonFields: readonly JsonField[];
  relations: ReturnType<typeof landingRelations>;
  warnings: Partial<Record<string, string>>;
  nowMillis: number;
}
