/**
 * Set-wise validation of landing records, generated from the contract: one SQL expression names
 * the first failing error check of each record as `rule:field` (NULL for a valid record), and one
 * boolean column per warning rule flags valid records. It runs inside the engine over the parsed
 * lines; nothing here touches rows one by one.
 */
import type { Dialect } from '../engines/dialect.js';
import type { LandingSource } from '../lake/tables.js';
import {
  EARLIEST_PLAUSIBLE_MILLIS,
  isTextKind,
  landingFields,
  MAX_FUTURE_SKEW_MILLIS,
  MAX_SAFE_INTEGER,
  type FieldContract,
  type WarningRule,
} from './landing-contract.js';

type Check = [condition: string, rule: string];

function fieldChecks(q: Dialect, field: FieldContract, nowMillis: number): Check[] {
  const col = q.ident(field.name);
  const type = q.ident(`${field.name}__type`);
  // An absent consent date means no consent, like null; every other field must be present.
  const checks: Check[] = field.kind === 'nullable_epoch_millis' ? [] : [[`${type} = 'absent'`, 'missing_field']];
  const number = (): Check[] => [
    [`${type} <> 'number'`, 'not_a_number'],
    [`NOT (${col} = floor(${col}) AND abs(${col}) <= ${MAX_SAFE_INTEGER})`, 'not_an_integer'],
  ];
  const time = (): Check[] => [
    ...number(),
    [`${col} < ${EARLIEST_PLAUSIBLE_MILLIS}`, 'time_before_2000'],
    [`${col} > ${nowMillis + MAX_FUTURE_SKEW_MILLIS}`, 'time_in_future'],
  ];
  switch (field.kind) {
    case 'string':
    case 'phone':
    case 'calendar_date':
      checks.push([`${type} <> 'string'`, 'not_a_string']);
      break;
    case 'serial':
      checks.push([`${type} <> 'string'`, 'not_a_string'], [`${q.trimSpace(col)} = ''`, 'empty_string']);
      break;
    case 'email':
      checks.push(
        [`${type} <> 'string'`, 'not_a_string'],
        [`NOT ${q.isEmail(col)}`, 'not_an_email'],
      );
      break;
    case 'epoch_millis':
      checks.push(...time());
      break;
    case 'nullable_epoch_millis':
      // JSON null (or no key) means "no consent": valid. Every check below only sees values.
      checks.push(...time().map(([c, r]): Check => [`${type} NOT IN ('null', 'absent') AND ${c}`, r]));
      break;
    case 'finite_number':
      checks.push([`${type} <> 'number'`, 'not_a_number'], [`NOT (${col} - ${col} = 0)`, 'not_finite'] /* portable isfinite: inf - inf and NaN are NaN */);
      break;
    case 'non_negative_integer':
      checks.push(...number(), [`${col} < 0`, 'negative']);
      break;
  }
  return checks;
}

/** `rule:field` of the first failing error check, or NULL (CASE stops at the first true WHEN). */
export function firstErrorExpression(q: Dialect, source: LandingSource, nowMillis: number): string {
  const whens = [
    `WHEN NOT _json_ok THEN 'invalid_json:'`,
    `WHEN NOT _is_object THEN 'not_an_object:'`,
    ...landingFields(source).flatMap((f) =>
      fieldChecks(q, f, nowMillis).map(([condition, rule]) => `WHEN ${condition} THEN ${q.str(`${rule}:${f.name}`)}`),
    ),
  ];
  return `CASE\n    ${whens.join('\n    ')}\n  END`;
}

/** One boolean expression per warning rule that applies to `source` (evaluated on valid records). */
export function warningExpressions(q: Dialect, source: LandingSource, runDay: string): Partial<Record<WarningRule, string>> {
  const fields = landingFields(source);
  const out: Partial<Record<WarningRule, string>> = {
    unknown_field: `_key_count > ${fields.map((f) => `(CASE WHEN ${q.ident(`${f.name}__type`)} <> 'absent' THEN 1 ELSE 0 END)`).join(' + ')}`,
  };
  for (const f of fields) {
    const col = q.ident(f.name);
    if (f.kind === 'calendar_date') {
      const day = q.isoDate(col);
      out.odd_birthday = `(${day} IS NULL OR ${day} < ${q.date('1900-01-01')} OR ${day} > ${q.date(runDay)})`;
    }
    if (f.kind === 'phone') out.phone_not_digits = `NOT ${q.fullMatch(col, '[0-9]+')}`;
  }
  return out;
}

/** The typed value of a field as the jobs see it: integers as BIGINT, text as is. */
export function typedValue(q: Dialect, field: FieldContract): string {
  const col = q.ident(field.name);
  if (isTextKind(field.kind) || field.kind === 'finite_number') return col;
  return q.toBigint(col);
}
