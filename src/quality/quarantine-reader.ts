/** Reads a quarantine Parquet file back: counts per rule and the first records of each rule. */
import { DuckDBInstance } from '@duckdb/node-api';

export interface QuarantineSample {
  source_file: string;
  line_number: number;
  rule: string;
  field: string | null;
  message: string;
  raw_line: string;
}

export interface RuleSummary {
  rule: string;
  count: number;
  samples: QuarantineSample[];
}

export async function readQuarantine(file: string, samplesPerRule: number): Promise<RuleSummary[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const source = `read_parquet('${file.replaceAll("'", "''")}')`;
    const counts = (await conn.runAndReadAll(`SELECT rule, count(*) AS n FROM ${source} GROUP BY rule ORDER BY n DESC, rule`)).getRowObjects();
    const samples = (
      await conn.runAndReadAll(
        `SELECT source_file, line_number, rule, field, message, raw_line FROM ${source}
         QUALIFY row_number() OVER (PARTITION BY rule ORDER BY source_file, line_number) <= ${Math.trunc(samplesPerRule)}
         ORDER BY rule, source_file, line_number`,
      )
    ).getRowObjects();
    return counts.map((c) => ({
      rule: String(c.rule),
      count: Number(c.n),
      samples: samples
        .filter((s) => s.rule === c.rule)
        .map((s) => ({
          source_file: String(s.source_file),
          line_number: Number(s.line_number),
          rule: String(s.rule),
          field: s.field === null ? null : String(s.field),
          message: String(s.message),
          raw_line: String(s.raw_line),
        })),
    }));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
