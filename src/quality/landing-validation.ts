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

/**
 * One error check of a field: the condition under which the record fails `rule`. A `type` check
 * looks at the JSON type the line carries (`<field>__type`); a `value` check at the typed value
 * only, and is reached only when the value has the field's type.
 */
interface Check {
  readonly condition: string;
  readonly rule: string;
  readonly on: 'type' | 'value';
  /** Set on the checks of a nullable field: they only apply when the line carries a value. */
  readonly nullable?: true;
}

const typeCheck = (condition: string, rule: string): Check => ({ condition, rule, on: 'type' });
const valueCheck = (condition: string, rule: string): Check => ({ condition, rule, on: 'value' });

function fieldChecks(q: Dialect, field: FieldContract, nowMillis: number): Check[] {
  const col = q.ident(field.name);
  const type = q.ident(`${field.name}__type`);
  // An absent consent date means no consent, like null; every other field must be present.
  const checks: Check[] = field.kind === 'nullable_epoch_millis' ? [] : [typeCheck(`${type} = 'absent'`, 'missing_field')];
  const number = (): Check[] => [
    typeCheck(`${type} <> 'number'`, 'not_a_number'),
    valueCheck(`NOT (${col} = floor(${col}) AND abs(${col}) <= ${MAX_SAFE_INTEGER})`, 'not_an_integer'),
  ];
  const time = (): Check[] => [
    ...number(),
    valueCheck(`${col} < ${EARLIEST_PLAUSIBLE_MILLIS}`, 'time_before_2000'),
    valueCheck(`${col} > ${nowMillis + MAX_FUTURE_SKEW_MILLIS}`, 'time_in_future'),
  ];
  const string = typeCheck(`${type} <> 'string'`, 'not_a_string');
  switch (field.kind) {
    case 'string':
    case 'phone':
    case 'calendar_date':
      checks.push(string);
      break;
    case 'serial':
      checks.push(string, valueCheck(`${q.trimSpace(col)} = ''`, 'empty_string'));
      break;
    case 'email':
      checks.push(string, valueCheck(`NOT ${q.isEmail(col)}`, 'not_an_email'));
      break;
    case 'epoch_millis':
      checks.push(...time());
      break;
    case 'nullable_epoch_millis':
      // JSON null (or no key) means "no consent": valid. Every check below only sees values.
      checks.push(...time().map((c): Check => ({ ...c, nullable: true })));
      break;
    case 'finite_number':
      checks.push(typeCheck(`${type} <> 'number'`, 'not_a_number'), valueCheck(`NOT (${col} - ${col} = 0)`, 'not_finite') /* portable isfinite: inf - inf and NaN are NaN */);
      break;
    case 'non_negative_integer':
      checks.push(...number(), valueCheck(`${col} < 0`, 'negative'));
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
      fieldChecks(q, f, nowMillis).map((c) => {
        const condition = c.nullable ? `${q.ident(`${f.name}__type`)} NOT IN ('null', 'absent') AND ${c.condition}` : c.condition;
        return `WHEN ${condition} THEN ${q.str(`${c.rule}:${f.name}`)}`;
      }),
    ),
  ];
  return `CASE\n    ${whens.join('\n    ')}\n  END`;
}

/**
 * For a canonical record (see Dialect.parseCanonicalJsonLines: every field has its declared JSON
 * type, a nullable one may be null): the condition under which `field`'s value fails one of its
 * error checks, or undefined when only its type is checked. These are firstErrorExpression's value
 * checks, without the type checks a canonical record passes by definition. A value depends on
 * nothing else, so the checks of a text field can run once per distinct value.
 */
export function canonicalValueFailure(q: Dialect, field: FieldContract, nowMillis: number): string | undefined {
  const failures = fieldChecks(q, field, nowMillis)
    .filter((c) => c.on === 'value')
    // A canonical value is NULL only where the field is nullable (JSON null): it passes.
    .map((c) => (c.nullable ? `(${q.ident(field.name)} IS NOT NULL AND ${c.condition})` : `(${c.condition})`));
  return failures.length ? `(${failures.join(' OR ')})` : undefined;
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
