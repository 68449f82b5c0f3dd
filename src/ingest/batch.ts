/**
 * Turns a request body into validated landing lines. A body is a batch: NDJSON (one record per
 * line) or a JSON array. Each record is checked against the landing contract; valid records are
 * re-serialized in the contract's key order (so landing lines are canonical and can never carry a
 * raw newline), invalid ones become rejections that name their index, field and rule.
 */
import { checkLandingRecord, LANDING_CONTRACTS, landingWarnings, type LandingRule, type LandingWarning } from '../contracts/landing.js';
import type { LandingSource } from '../lake/tables.js';

export type BodyFormat = 'ndjson' | 'json_array';

/** A record refused (rule is an error rule) or kept with a warning (rule is a warning). */
export interface RecordIssue<Rule extends string> {
  /** 0-based position of the record in the batch (blank NDJSON lines are not records). */
  readonly index: number;
  readonly field: string | null;
  readonly rule: Rule;
  readonly message: string;
}
export type Rejection = RecordIssue<LandingRule>;
export type Warning = RecordIssue<LandingWarning>;

export interface CheckedBatch {
  readonly received: number;
  /** NDJSON text of the accepted records, each line ending in "\n". */
  readonly lines: string;
  readonly accepted: number;
  readonly rejected: readonly Rejection[];
  /** Accepted records that raised warnings (e.g. an unknown field, which is not stored). */
  readonly warnings: readonly Warning[];
}

/** The body is not a batch at all (answered 400, nothing stored). */
export class UnreadableBatch extends Error {}

/**
 * One landing line of a record that passed the contract: its fields in contract order, nothing else.
 * Built field by field because it is the hottest loop of the service; a checked value is a string,
 * a finite number or null, and for those `String(n)` / `null` print exactly what JSON.stringify
 * would. Re-serializing (rather than copying the client's line) keeps duplicate keys, `1.7e12`
 * style numbers and stray fields out of landing.
 */
function lineSerializer(source: LandingSource): (record: Record<string, unknown>) => string {
  const names = LANDING_CONTRACTS[source].map((f) => f.name);
  const prefixes = names.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  return (record) => {
    let line = '';
    for (let i = 0; i < names.length; i++) {
      const value = record[names[i] as string];
      line += (prefixes[i] as string) + (typeof value === 'string' ? JSON.stringify(value) : String(value));
    }
    return `${line}}\n`;
  };
}

const SERIALIZERS: Readonly<Record<LandingSource, (record: Record<string, unknown>) => string>> = {
  customer: lineSerializer('customer'),
  accelerometer: lineSerializer('accelerometer'),
  step_trainer: lineSerializer('step_trainer'),
};

/** Stands for an NDJSON line that is not JSON: one rejected record, not a bad body. */
const UNPARSABLE = Symbol('unparsable');

/** Splits and parses a body; a malformed NDJSON line is one rejected record, a malformed array is a bad body. */
export function parseBatch(format: BodyFormat, body: string): unknown[] {
  if (body.trim() === '') return [];
  if (format === 'json_array') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new UnreadableBatch('body is not valid JSON');
    }
    if (!Array.isArray(parsed)) throw new UnreadableBatch('a JSON body must be an array of records');
    return parsed;
  }
  const records: unknown[] = [];
  for (const line of body.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      records.push(UNPARSABLE);
    }
  }
  return records;
}

export function checkBatch(source: LandingSource, records: readonly unknown[], nowMillis: number): CheckedBatch {
  const serialize = SERIALIZERS[source];
  const rejected: Rejection[] = [];
  const warnings: Warning[] = [];
  let lines = '';
  let accepted = 0;
  for (let index = 0; index < records.length; index++) {
    const record = records[index];
    if (record === UNPARSABLE) {
      rejected.push({ index, field: null, rule: 'invalid_json', message: 'line is not valid JSON' });
      continue;
    }
    const violation = checkLandingRecord(source, record, nowMillis);
    if (violation) {
      rejected.push({ index, field: violation.field ?? null, rule: violation.rule, message: violation.message });
      continue;
    }
    const fields = record as Record<string, unknown>;
    for (const w of landingWarnings(source, fields, nowMillis)) warnings.push({ index, field: w.field ?? null, rule: w.rule, message: w.message });
    lines += serialize(fields);
    accepted += 1;
  }
  return { received: records.length, lines, accepted, rejected, warnings };
}
