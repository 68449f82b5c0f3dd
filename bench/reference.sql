-- The five STEDI jobs as one hand-written DuckDB script: the baseline `npm run bench` measures
-- the pipeline against. Same semantics, same files in and out, no framework. {{LAKE}}, {{OUT}},
-- {{INNER}} and {{OUTER}} (HMAC key pads) are filled in by the bench runner.
SET preserve_insertion_order = false;

CREATE TEMP TABLE customer_landing AS
SELECT * FROM read_json('{{LAKE}}/customer/landing/*.json', format = 'newline_delimited', columns = {
  customerName: 'VARCHAR', email: 'VARCHAR', phone: 'VARCHAR', birthDay: 'VARCHAR', serialNumber: 'VARCHAR',
  registrationDate: 'BIGINT', lastUpdateDate: 'BIGINT', shareWithResearchAsOfDate: 'BIGINT',
  shareWithPublicAsOfDate: 'BIGINT', shareWithFriendsAsOfDate: 'BIGINT'});

CREATE TEMP TABLE current_states AS
WITH conformed AS (
  SELECT customerName AS customer_name, lower(trim(email)) AS email, phone, birthDay AS birth_day,
         serialNumber AS serial_number, registrationDate AS registration_date, lastUpdateDate AS last_update_date,
         shareWithResearchAsOfDate AS share_with_research_as_of_date,
         shareWithPublicAsOfDate AS share_with_public_as_of_date,
         shareWithFriendsAsOfDate AS share_with_friends_as_of_date
  FROM customer_landing),
latest AS (SELECT DISTINCT * FROM conformed QUALIFY last_update_date = max(last_update_date) OVER (PARTITION BY email))
SELECT *, count(*) OVER (PARTITION BY email) AS versions FROM latest;

-- 1. customer_landing_to_trusted
CREATE TEMP TABLE customer_trusted AS
SELECT * EXCLUDE (versions) FROM current_states WHERE versions = 1 AND share_with_research_as_of_date IS NOT NULL;
COPY customer_trusted TO '{{OUT}}/customer_trusted.parquet' (FORMAT parquet, COMPRESSION zstd);

-- 2. accelerometer_landing_to_trusted
CREATE TEMP TABLE accelerometer_trusted AS
SELECT DISTINCT lower(trim(a.user)) AS email, a.timestamp AS reading_time, a.x, a.y, a.z
FROM read_json('{{LAKE}}/accelerometer/landing/*.json', format = 'newline_delimited',
       columns = {user: 'VARCHAR', timestamp: 'BIGINT', x: 'DOUBLE', y: 'DOUBLE', z: 'DOUBLE'}) a
JOIN customer_trusted c ON lower(trim(a.user)) = c.email
WHERE a.timestamp >= c.share_with_research_as_of_date;
COPY accelerometer_trusted TO '{{OUT}}/accelerometer_trusted.parquet' (FORMAT parquet, COMPRESSION zstd);

-- 3. customer_trusted_to_curated
CREATE TEMP TABLE customer_curated AS
SELECT * FROM customer_trusted WHERE email IN (SELECT email FROM accelerometer_trusted);
COPY customer_curated TO '{{OUT}}/customer_curated.parquet' (FORMAT parquet, COMPRESSION zstd);

-- 4. step_trainer_landing_to_trusted
CREATE TEMP TABLE step_trainer_trusted AS
WITH owners AS (
  SELECT serial_number, share_with_research_as_of_date AS consent_date FROM customer_curated
  WHERE serial_number NOT IN (
    SELECT serial_number FROM current_states WHERE serial_number IS NOT NULL
    GROUP BY serial_number HAVING count(DISTINCT email) > 1))
SELECT s.serialNumber AS serial_number, s.sensorReadingTime AS sensor_reading_time,
       min(s.distanceFromObject) AS distance_from_object
FROM read_json('{{LAKE}}/step_trainer/landing/*.json', format = 'newline_delimited',
       columns = {sensorReadingTime: 'BIGINT', serialNumber: 'VARCHAR', distanceFromObject: 'BIGINT'}) s
JOIN owners o ON s.serialNumber = o.serial_number
WHERE s.sensorReadingTime >= o.consent_date
GROUP BY ALL
HAVING count(DISTINCT s.distanceFromObject) = 1;
COPY step_trainer_trusted TO '{{OUT}}/step_trainer_trusted.parquet' (FORMAT parquet, COMPRESSION zstd);

-- 5. machine_learning_curated
COPY (
  WITH subjects AS (
    SELECT email, serial_number,
           sha256(unhex('{{OUTER}}') || unhex(sha256(unhex('{{INNER}}') || encode(email)))) AS subject_id
    FROM customer_curated)
  SELECT p.subject_id, s.sensor_reading_time, s.distance_from_object, a.x, a.y, a.z
  FROM step_trainer_trusted s
  JOIN subjects p ON p.serial_number = s.serial_number
  JOIN accelerometer_trusted a ON a.email = p.email AND a.reading_time = s.sensor_reading_time
) TO '{{OUT}}/machine_learning_curated.parquet' (FORMAT parquet, COMPRESSION zstd);
