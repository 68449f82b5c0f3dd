/**
 * Bad and hostile landing lines (`--bad-rate`), injected as ADDITIONAL lines among the valid ones:
 * the valid records are written exactly as without them.
 *
 * Every injected line is one of three things, and says which:
 * - `bad`: a copy of a valid record (or of its line) corrupted so that, under docs/data-quality.md,
 *   the FIRST failing error check is `rule` (every earlier field is left valid);
 * - `valid`: a record that must flow through the pipeline unharmed (injection-looking or unicode
 *   names, unicode emails, huge but finite numbers, a line of several hundred KB, extra keys, odd
 *   birthdays, phones that are not digits); it takes part in every job like any valid record;
 * - `blank`: an empty or spaces-only line, which is no record at all.
 *
 * Every kind appears at least once per source when the rate is above zero (a quota, like the
 * surprises of the plan), so that a few hundred customers already show every rule; on top of that,
 * about `rate` of the lines get a kind picked at random (kinds producing huge lines only ever
 * appear once).
 */
import { DAY_MS, DISTANCE_RANGE } from './config.js';
import type { ErrorRule } from './quality.js';
import type { Prng } from './prng.js';
import { accelerometerLine, customerLine, stepTrainerLine, type AccelerometerReading, type CustomerRecord, type StepTrainerReading } from './records.js';

export type InjectedLine<T> =
  | { readonly type: 'bad'; readonly kind: string; readonly text: string | Uint8Array; readonly rule: ErrorRule }
  | { readonly type: 'valid'; readonly kind: string; readonly text: string; readonly record: T; readonly extraKey: boolean; readonly session?: HostileSession }
  | { readonly type: 'blank'; readonly kind: string; readonly text: string };

/** Readings of an injected (hostile) customer, so that it reaches the curated tables. */
export interface HostileSession {
  readonly accelerometer: AccelerometerReading[];
  readonly stepTrainer: StepTrainerReading[];
}

/** Counter for fresh emails of injected customers, shared across one lake. */
export interface HostileIds {
  next: number;
}

interface Kind<T> {
  readonly name: string;
  /** Makes huge lines: injected once, never picked at random. */
  readonly once?: boolean;
  make(base: T, prng: Prng, ids: HostileIds): InjectedLine<T>;
}

type FieldKind = 'name' | 'serial' | 'phone' | 'email' | 'date' | 'millis' | 'nullableMillis' | 'finite' | 'count';

const MILLIS_BAD = {
  not_a_number: ['"yesterday"', 'null', '"1655564444000"', 'true'],
  not_an_integer: ['12.5', '1e30', '1655564444000.5', '9007199254740993', '-1e30'],
  time_before_2000: ['946684799999', '0', '-1', '631152000000'],
  // Far ahead (year 2100 and 9999), so the expectation never depends on when the pipeline runs.
  time_in_future: ['4102444800000', '253402300799999'],
} as const;

/** JSON texts that violate each rule for each field kind (the earlier checks of the field pass). */
const BAD_VALUES: Record<FieldKind, Partial<Record<ErrorRule, readonly string[]>>> = {
  name: { not_a_string: ['123', 'null', 'true', '{"first":"Ann"}', '["Ann"]'] },
  serial: { not_a_string: ['null', '123', 'false'], empty_string: ['""', '"  "'] },
  phone: { not_a_string: ['5551234567', 'null'] },
  email: {
    not_a_string: ['123', 'null', '["a@test.com"]'],
    not_an_email: [
      '"not-an-email"',
      '"ann@localhost"',
      '"two@@test.com"',
      '"sp ace@test.com"',
      '"ann@test..com"',
      '""',
      '"   "',
      JSON.stringify(`${'a'.repeat(246)}@test.com`), // 255 characters
    ],
  },
  date: { not_a_string: ['19900101', 'null'] },
  millis: MILLIS_BAD,
  nullableMillis: { ...MILLIS_BAD, not_a_number: ['"yesterday"', '"1655564444000"', 'true', '{}'] },
  finite: { not_a_number: ['"yesterday"', 'null', '"0.5"', 'true'], not_finite: ['1e999', '-1e999'] },
  count: { not_a_number: ['"yesterday"', 'null', '"300"'], not_an_integer: ['12.5', '1e30', '-0.5'], negative: ['-1', '-500'] },
};

const CUSTOMER_FIELDS: readonly (readonly [keyof CustomerRecord, FieldKind])[] = [
  ['customerName', 'name'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['birthDay', 'date'],
  ['serialNumber', 'serial'],
  ['registrationDate', 'millis'],
  ['lastUpdateDate', 'millis'],
  ['shareWithResearchAsOfDate', 'nullableMillis'],
  ['shareWithPublicAsOfDate', 'nullableMillis'],
  ['shareWithFriendsAsOfDate', 'nullableMillis'],
];
const ACCELEROMETER_FIELDS: readonly (readonly [keyof AccelerometerReading, FieldKind])[] = [
  ['user', 'email'],
  ['timestamp', 'millis'],
  ['x', 'finite'],
  ['y', 'finite'],
  ['z', 'finite'],
];
const STEP_TRAINER_FIELDS: readonly (readonly [keyof StepTrainerReading, FieldKind])[] = [
  ['sensorReadingTime', 'millis'],
  ['serialNumber', 'serial'],
  ['distanceFromObject', 'count'],
];

type Entry = [string, string];

/** The record's fields as [key, JSON text] in column order. */
function entriesOf<T>(record: T, fields: readonly (readonly [keyof T, FieldKind])[]): Entry[] {
  return fields.map(([key]) => [String(key), JSON.stringify(record[key])]);
}

const objectText = (entries: readonly Entry[]): string => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;

/** Where the first string value of a line starts (every source has one). */
function firstStringValue(line: string): number {
  const at = line.indexOf('":"');
  return at < 0 ? 1 : at + 3;
}

const INVALID_UTF8: readonly (readonly number[])[] = [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xe2, 0x82]];

function lineKinds<T>(lineOf: (r: T) => string): Kind<T>[] {
  const bad = (kind: string, rule: ErrorRule, text: string | Uint8Array): InjectedLine<T> => ({ type: 'bad', kind, text, rule });
  return [
    { name: 'invalid_json:truncated', make: (r, p) => bad('invalid_json:truncated', 'invalid_json', ((l) => l.slice(0, p.int(1, l.length - 1)))(lineOf(r))) },
    {
      name: 'invalid_json:garbage',
      make: (r, p) => {
        const line = lineOf(r);
        const texts = ['garbage', '{user: "x"}', "{'single': 'quotes'}", `${line},`, `${line.slice(0, -1)},}`, '{"a":NaN}', '}{', `${line}${line}`, 'undefined', '{"a":1'];
        return bad('invalid_json:garbage', 'invalid_json', p.pick(texts));
      },
    },
    {
      // A raw control character inside a string: JSON requires it escaped.
      name: 'invalid_json:control',
      make: (r) => {
        const line = lineOf(r);
        const at = firstStringValue(line);
        return bad('invalid_json:control', 'invalid_json', `${line.slice(0, at)}\x01${line.slice(at)}`);
      },
    },
    {
      // Bytes that are not UTF-8, inside an otherwise valid record's string value.
      name: 'invalid_json:utf8',
      make: (r, p) => {
        const line = lineOf(r);
        const at = firstStringValue(line);
        const text = Buffer.concat([Buffer.from(line.slice(0, at)), Buffer.from(p.pick(INVALID_UTF8)), Buffer.from(line.slice(at))]);
        return bad('invalid_json:utf8', 'invalid_json', text);
      },
    },
    {
      // An unterminated object of several hundred KB.
      name: 'invalid_json:huge',
      once: true,
      make: (r) => bad('invalid_json:huge', 'invalid_json', `${lineOf(r).slice(0, firstStringValue(lineOf(r)))}${'garbage, '.repeat(40_000)}`),
    },
    { name: 'not_an_object:array', make: () => bad('not_an_object:array', 'not_an_object', '[1,2]') },
    { name: 'not_an_object:string', make: () => bad('not_an_object:string', 'not_an_object', '"x"') },
    { name: 'not_an_object:number', make: () => bad('not_an_object:number', 'not_an_object', '42') },
    { name: 'not_an_object:null', make: () => bad('not_an_object:null', 'not_an_object', 'null') },
    { name: 'not_an_object:other', make: (r, p) => bad('not_an_object:other', 'not_an_object', p.pick(['true', '[]', `[${lineOf(r)}]`, '-0.5', '"{}"'])) },
    { name: 'blank', make: (_r, p) => ({ type: 'blank', kind: 'blank', text: p.pick(['', '   ', ' ']) }) },
  ];
}

/** One kind per error rule a field of this source can break: a random such field, a random bad value. */
function fieldKinds<T>(fields: readonly (readonly [keyof T, FieldKind])[]): Kind<T>[] {
  const kinds: Kind<T>[] = [
    {
      name: 'missing_field',
      make: (r, p) => {
        // Only a field that must be present: an absent consent date is a valid "no consent".
        const entries = entriesOf(r, fields);
        const required = entries.map((_, i) => i).filter((i) => fields[i]?.[1] !== 'nullableMillis');
        entries.splice(required[p.int(0, required.length - 1)] ?? 0, 1);
        return { type: 'bad', kind: 'missing_field', rule: 'missing_field', text: objectText(entries) };
      },
    },
  ];
  const rules = new Set<ErrorRule>();
  for (const [, kind] of fields) for (const rule of Object.keys(BAD_VALUES[kind]) as ErrorRule[]) rules.add(rule);
  for (const rule of rules) {
    kinds.push({
      name: rule,
      make: (r, p) => {
        const entries = entriesOf(r, fields);
        const candidates = fields.flatMap(([, kind], i) => (BAD_VALUES[kind][rule] === undefined ? [] : [i]));
        const i = p.pick(candidates);
        const field = fields[i] as readonly [keyof T, FieldKind];
        (entries[i] as Entry)[1] = p.pick(BAD_VALUES[field[1]][rule] as readonly string[]);
        return { type: 'bad', kind: rule, rule, text: objectText(entries) };
      },
    });
  }
  return kinds;
}

/** A copy of the record with one or two keys the contract does not define (`unknown_field`). */
function withExtraKeys<T>(record: T, fields: readonly (readonly [keyof T, FieldKind])[], extras: readonly Entry[], p: Prng): string {
  const entries = entriesOf(record, fields);
  const extra = p.pick(extras);
  entries.splice(p.int(0, entries.length), 0, extra);
  return objectText(entries);
}

const HOSTILE_NAMES = [
  "Robert'); DROP TABLE customer;--",
  '{{7*7}}',
  "<script>alert('x')</script>",
  '${7*7}',
  "' OR '1'='1",
  '\\N',
  'NULL',
  'Quote " and back\\slash',
  'Line\nBreak\tTab',
  '=HYPERLINK("http://x.test")',
  'Line\u2028Separator',
] as const;

/** Unicode identities; emails are lower-case already or use simple case pairs (SQL lower() agrees). */
const UNICODE_IDENTITIES: readonly ((n: number) => readonly [string, string])[] = [
  (n) => ['Zoë Ñúñez-Łukasz', `Zoë.Ñúñez${n}@exämple.test`],
  (n) => ['李小龍', `李小龍${n}@例え.テスト`],
  (n) => ['😀 Emoji Person', `emoji${n}😀@test.com`],
  (n) => ['مريم الحسن', `mariam.${n}@test.com`],
  (n) => ['Zoe\u0308 Combining', `combining${n}@test.com`],
];

const ODD_BIRTHDAYS = ['yesterday', '2023-02-30', '1990-13-01', '1899-12-31', '2099-01-01', '', '1990-1-1', '1900-02-29', '0000-00-00'] as const;
const NOT_DIGIT_PHONES = ['+1 555 0100', '555-0100', '', '(555) 0100', '٣٤٥٦٧٨', '５５５０１００', 'call me'] as const;

const acceleration = (p: Prng): number => Math.round((p.next() * 2 - 1) * 1000) / 1000 + 0;

/** A new customer (fresh email and serial) who consents, with a few readings of its own. */
function hostileCustomer(kind: string, base: CustomerRecord, p: Prng, ids: HostileIds, patch: (n: number) => Partial<CustomerRecord>): InjectedLine<CustomerRecord> {
  const n = ids.next++;
  const record: CustomerRecord = {
    ...base,
    email: `Hostile.Customer${n}@hostile.test`,
    serialNumber: p.uuid(),
    shareWithResearchAsOfDate: base.registrationDate,
    ...patch(n),
  };
  const accelerometer: AccelerometerReading[] = [];
  const stepTrainer: StepTrainerReading[] = [];
  const start = record.registrationDate + DAY_MS + n * 1000;
  for (let k = 0; k < 3; k++) {
    const time = start + k * 2000;
    stepTrainer.push({ sensorReadingTime: time, serialNumber: record.serialNumber, distanceFromObject: p.int(DISTANCE_RANGE.min, DISTANCE_RANGE.max) });
    // The second reading writes the email lower-cased: the same customer by key.
    for (const user of [record.email, record.email.toLowerCase()]) accelerometer.push({ user, timestamp: time, x: acceleration(p), y: acceleration(p), z: acceleration(p) });
  }
  return { type: 'valid', kind, text: customerLine(record), record, extraKey: false, session: { accelerometer, stepTrainer } };
}

const LONGEST_EMAIL_DOMAIN = '@hostile.test';

export const CUSTOMER_KINDS: readonly Kind<CustomerRecord>[] = [
  ...lineKinds(customerLine),
  ...fieldKinds(CUSTOMER_FIELDS),
  ...HOSTILE_NAMES.map((name, i): Kind<CustomerRecord> => ({
    name: `valid:name:${i}`,
    make: (r, p, ids) => hostileCustomer(`valid:name:${i}`, r, p, ids, () => ({ customerName: name })),
  })),
  ...UNICODE_IDENTITIES.map((identity, i): Kind<CustomerRecord> => ({
    name: `valid:unicode:${i}`,
    make: (r, p, ids) =>
      hostileCustomer(`valid:unicode:${i}`, r, p, ids, (n) => {
        const [customerName, email] = identity(n);
        return { customerName, email };
      }),
  })),
  {
    name: 'valid:long-name',
    once: true,
    make: (r, p, ids) => hostileCustomer('valid:long-name', r, p, ids, () => ({ customerName: `Very ${'Long '.repeat(60_000)}Name` })),
  },
  { name: 'valid:empty-name', make: (r, p, ids) => hostileCustomer('valid:empty-name', r, p, ids, () => ({ customerName: '' })) },
  {
    // Exactly 254 characters: the longest valid email.
    name: 'valid:longest-email',
    make: (r, p, ids) =>
      hostileCustomer('valid:longest-email', r, p, ids, (n) => {
        const local = `Longest${n}.`;
        return { email: `${local}${'x'.repeat(254 - local.length - LONGEST_EMAIL_DOMAIN.length)}${LONGEST_EMAIL_DOMAIN}` };
      }),
  },
  { name: 'warning:odd_birthday', make: (r, p, ids) => hostileCustomer('warning:odd_birthday', r, p, ids, () => ({ birthDay: p.pick(ODD_BIRTHDAYS) })) },
  { name: 'warning:phone_not_digits', make: (r, p, ids) => hostileCustomer('warning:phone_not_digits', r, p, ids, () => ({ phone: p.pick(NOT_DIGIT_PHONES) })) },
  {
    // An existing record again with extra keys: identical by its fields, so the same customer state.
    name: 'warning:unknown_field',
    make: (r, p) => ({
      type: 'valid',
      kind: 'warning:unknown_field',
      record: { ...r },
      extraKey: true,
      text: withExtraKeys(r, CUSTOMER_FIELDS, [['Email', '"someone.else@test.com"'], ['loyaltyTier', '"gold"'], ['_corrupt_record', 'null'], ['address', '{"city":"Ann Arbor","zip":["48104"]}']], p),
    }),
  },
];

const HUGE_NUMBERS = [1e300, -1e300, 1.7976931348623157e308] as const;

export const ACCELEROMETER_KINDS: readonly Kind<AccelerometerReading>[] = [
  ...lineKinds(accelerometerLine),
  ...fieldKinds(ACCELEROMETER_FIELDS),
  {
    // A new reading of the same person at the same instant, with a huge but finite value.
    name: 'valid:huge-number',
    make: (r, p) => {
      const axis = p.pick(['x', 'y', 'z'] as const);
      const record = { ...r, [axis]: p.pick(HUGE_NUMBERS) };
      return { type: 'valid', kind: 'valid:huge-number', record, extraKey: false, text: accelerometerLine(record) };
    },
  },
  {
    // Someone who is no customer, with an email that is unusual but valid.
    name: 'valid:stranger',
    make: (r, p, ids) => {
      const n = ids.next++;
      const user = p.pick([`Stranger.Ünïcode${n}@exämple.test`, `${`stranger${n}.`.padEnd(254 - LONGEST_EMAIL_DOMAIN.length, 'y')}${LONGEST_EMAIL_DOMAIN}`]);
      const record = { ...r, user };
      return { type: 'valid', kind: 'valid:stranger', record, extraKey: false, text: accelerometerLine(record) };
    },
  },
  {
    name: 'warning:unknown_field',
    make: (r, p) => ({
      type: 'valid',
      kind: 'warning:unknown_field',
      record: { ...r },
      extraKey: true,
      text: withExtraKeys(r, ACCELEROMETER_FIELDS, [['USER', '"other@test.com"'], ['deviceId', '"iPhone 12"'], ['accuracy', '0.5']], p),
    }),
  },
];

export const STEP_TRAINER_KINDS: readonly Kind<StepTrainerReading>[] = [
  ...lineKinds(stepTrainerLine),
  ...fieldKinds(STEP_TRAINER_FIELDS),
  {
    // A reading one millisecond off the instants: no accelerometer reading to pair with.
    name: 'valid:off-instant',
    make: (r) => {
      const record = { ...r, sensorReadingTime: r.sensorReadingTime + 1 };
      return { type: 'valid', kind: 'valid:off-instant', record, extraKey: false, text: stepTrainerLine(record) };
    },
  },
  {
    // The same reading with its distance written `N.0`: a whole number, so valid (and a duplicate).
    name: 'valid:decimal-distance',
    make: (r) => ({
      type: 'valid',
      kind: 'valid:decimal-distance',
      record: { ...r },
      extraKey: false,
      text: stepTrainerLine(r).replace(/"distanceFromObject":(\d+)\}$/, '"distanceFromObject":$1.0}'),
    }),
  },
  {
    name: 'warning:unknown_field',
    make: (r, p) => ({
      type: 'valid',
      kind: 'warning:unknown_field',
      record: { ...r },
      extraKey: true,
      text: withExtraKeys(r, STEP_TRAINER_FIELDS, [['firmware', '"1.2.3"'], ['SerialNumber', '"other"'], ['battery', '97']], p),
    }),
  },
];

/** How many lines to add at random to `lines` valid ones: `rate` of them, rounded at random. */
export function randomCount(rate: number, lines: number, p: Prng): number {
  return Math.floor(rate * lines + p.next());
}

export interface Injection<T> {
  /** Every line of the batch, valid lines in their original order with the injected ones among them. */
  readonly lines: (string | Uint8Array)[];
  readonly injected: InjectedLine<T>[];
}

/**
 * Injects the given kinds (by name) plus `randomCount` random kinds among `lines`, corrupting
 * copies of random records of `records` (or of `fallback` when there are none).
 */
export function inject<T>(
  kinds: readonly Kind<T>[],
  mandatory: readonly string[],
  rate: number,
  records: readonly T[],
  lines: readonly string[],
  fallback: T,
  p: Prng,
  ids: HostileIds,
): Injection<T> {
  const chosen: Kind<T>[] = mandatory.map((name) => {
    const kind = kinds.find((k) => k.name === name);
    if (kind === undefined) throw new Error(`no bad-record kind ${name}`);
    return kind;
  });
  // Random picks choose a family (a rule, `valid`, `warning`, `blank`) first, then a kind in it,
  // so that rules with many variants do not crowd out the others.
  const families = new Map<string, Kind<T>[]>();
  for (const kind of kinds) {
    if (kind.once === true) continue;
    const family = kind.name.split(':')[0] as string;
    families.set(family, [...(families.get(family) ?? []), kind]);
  }
  const familyList = [...families.values()];
  for (let n = randomCount(rate, lines.length, p); n > 0; n--) chosen.push(p.pick(p.pick(familyList)));
  const base = (): T => (records.length > 0 ? p.pick(records) : fallback);
  const injected = chosen.map((kind) => kind.make(base(), p, ids));
  // Positions among the valid lines, merged in order (stable, so equal positions keep their order).
  const placed = injected.map((line) => ({ line, at: p.int(0, lines.length) })).sort((a, b) => a.at - b.at);
  const out: (string | Uint8Array)[] = [];
  let next = 0;
  for (let i = 0; i <= lines.length; i++) {
    while (next < placed.length && (placed[next] as { at: number }).at === i) out.push((placed[next++] as { line: InjectedLine<T> }).line.text);
    if (i < lines.length) out.push(lines[i] as string);
  }
  return { lines: out, injected };
}

export const kindNames = <T>(kinds: readonly Kind<T>[]): string[] => kinds.map((k) => k.name);
