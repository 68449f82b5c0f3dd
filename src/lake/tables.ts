/**
 * The lake's eight tables: where each lives, in which zone, and its columns.
 * DESIGN.md fixes these; every other module (jobs, engines, generator, ingestion, catalog DDL)
 * takes names, folders and schemas from here rather than spelling them again.
 */

export type Zone = 'landing' | 'trusted' | 'curated';
export type ColumnType = 'VARCHAR' | 'BIGINT' | 'DOUBLE';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  /** Why the column exists, shown in catalog DDL comments and docs. */
  readonly doc: string;
}

export interface TableSpec {
  readonly name: TableName;
  readonly zone: Zone;
  /** Folder relative to the lake root, e.g. `customer/trusted`. */
  readonly folder: string;
  readonly columns: readonly Column[];
}

export const LANDING_SOURCES = ['customer', 'accelerometer', 'step_trainer'] as const;
export type LandingSource = (typeof LANDING_SOURCES)[number];

export type TableName =
  | 'customer_landing'
  | 'accelerometer_landing'
  | 'step_trainer_landing'
  | 'customer_trusted'
  | 'accelerometer_trusted'
  | 'step_trainer_trusted'
  | 'customer_curated'
  | 'machine_learning_curated';

const col = (name: string, type: ColumnType, doc: string): Column => ({ name, type, doc });

/** Landing columns carry the JSON keys exactly as the portal, the app and the devices send them. */
const customerLanding: Column[] = [
  col('customerName', 'VARCHAR', 'full name'),
  col('email', 'VARCHAR', 'identifies the customer (compared trimmed and lower-cased)'),
  col('phone', 'VARCHAR', 'phone number as entered'),
  col('birthDay', 'VARCHAR', 'YYYY-MM-DD'),
  col('serialNumber', 'VARCHAR', "the customer's step trainer (UUID text)"),
  col('registrationDate', 'BIGINT', 'epoch millis'),
  col('lastUpdateDate', 'BIGINT', 'epoch millis; the greatest one is the current state'),
  col('shareWithResearchAsOfDate', 'BIGINT', 'epoch millis of research consent; null = none'),
  col('shareWithPublicAsOfDate', 'BIGINT', 'epoch millis or null'),
  col('shareWithFriendsAsOfDate', 'BIGINT', 'epoch millis or null'),
];

const accelerometerLanding: Column[] = [
  col('user', 'VARCHAR', "the customer's email"),
  col('timestamp', 'BIGINT', 'epoch millis'),
  col('x', 'DOUBLE', 'acceleration'),
  col('y', 'DOUBLE', 'acceleration'),
  col('z', 'DOUBLE', 'acceleration'),
];

const stepTrainerLanding: Column[] = [
  col('sensorReadingTime', 'BIGINT', 'epoch millis'),
  col('serialNumber', 'VARCHAR', 'device serial number'),
  col('distanceFromObject', 'BIGINT', 'distance reading'),
];

const customerConformed: Column[] = [
  col('customer_name', 'VARCHAR', 'full name'),
  col('email', 'VARCHAR', 'trimmed, lower-cased email: the customer key'),
  col('phone', 'VARCHAR', 'phone number as entered'),
  col('birth_day', 'VARCHAR', 'YYYY-MM-DD as entered'),
  col('serial_number', 'VARCHAR', "the customer's step trainer"),
  col('registration_date', 'BIGINT', 'epoch millis'),
  col('last_update_date', 'BIGINT', 'epoch millis of this current state'),
  col('share_with_research_as_of_date', 'BIGINT', 'epoch millis of research consent (never null here)'),
  col('share_with_public_as_of_date', 'BIGINT', 'epoch millis or null'),
  col('share_with_friends_as_of_date', 'BIGINT', 'epoch millis or null'),
];

export const TABLES: Readonly<Record<TableName, TableSpec>> = {
  customer_landing: { name: 'customer_landing', zone: 'landing', folder: 'customer/landing', columns: customerLanding },
  accelerometer_landing: {
    name: 'accelerometer_landing',
    zone: 'landing',
    folder: 'accelerometer/landing',
    columns: accelerometerLanding,
  },
  step_trainer_landing: {
    name: 'step_trainer_landing',
    zone: 'landing',
    folder: 'step_trainer/landing',
    columns: stepTrainerLanding,
  },
  customer_trusted: { name: 'customer_trusted', zone: 'trusted', folder: 'customer/trusted', columns: customerConformed },
  accelerometer_trusted: {
    name: 'accelerometer_trusted',
    zone: 'trusted',
    folder: 'accelerometer/trusted',
    columns: [
      col('email', 'VARCHAR', 'trimmed, lower-cased email of the reading customer'),
      col('reading_time', 'BIGINT', 'epoch millis'),
      col('x', 'DOUBLE', 'acceleration'),
      col('y', 'DOUBLE', 'acceleration'),
      col('z', 'DOUBLE', 'acceleration'),
    ],
  },
  step_trainer_trusted: {
    name: 'step_trainer_trusted',
    zone: 'trusted',
    folder: 'step_trainer/trusted',
    columns: [
      col('serial_number', 'VARCHAR', 'device serial number'),
      col('sensor_reading_time', 'BIGINT', 'epoch millis'),
      col('distance_from_object', 'BIGINT', 'distance reading'),
    ],
  },
  customer_curated: { name: 'customer_curated', zone: 'curated', folder: 'customer/curated', columns: customerConformed },
  machine_learning_curated: {
    name: 'machine_learning_curated',
    zone: 'curated',
    folder: 'step_trainer/curated',
    columns: [
      col('subject_id', 'VARCHAR', 'keyed pseudonym of the customer (HMAC-SHA256 of the email, hex)'),
      col('sensor_reading_time', 'BIGINT', 'epoch millis'),
      col('distance_from_object', 'BIGINT', 'step-trainer distance reading'),
      col('x', 'DOUBLE', 'accelerometer reading of the same customer at the same millisecond'),
      col('y', 'DOUBLE', 'acceleration'),
      col('z', 'DOUBLE', 'acceleration'),
    ],
  },
};

export const LANDING_TABLE: Readonly<Record<LandingSource, TableName>> = {
  customer: 'customer_landing',
  accelerometer: 'accelerometer_landing',
  step_trainer: 'step_trainer_landing',
};


export function tablesInZone(zone: Zone): TableSpec[] {
  return Object.values(TABLES).filter((t) => t.zone === zone);
}
