-- Migration 0014: the patrol hours of a reduced day, per department (docs/DEFINITIONS.md "KPIs at scale"). The KPIs' exposure
-- ("cases per patrol hour") of a year read 365 of these rows instead of a year of raw fixes, and a day's hours outlive its raw
-- fixes' retention. Written with the day's mark by Data's GpsRetention from the raw fixes, by Core's PatrolHoursCalculator
-- (the one rule); patrol_jurisdictions is the key of the jurisdiction versions that decided the attribution
-- (Analysis/PatrolHoursByDay.JurisdictionKey): a reader recomputes a day whose key changed while its raw fixes are kept.
-- Null hours: a day reduced before this migration (read from its raw fixes). A late fix removes the mark, and so its hours.
ALTER TABLE gps_reduced_day
    ADD COLUMN patrol_departments  text[],
    ADD COLUMN patrol_hours        double precision[],
    ADD COLUMN patrol_jurisdictions text,
    ADD CONSTRAINT gps_reduced_day_patrol_hours CHECK (
        (patrol_hours IS NULL) = (patrol_departments IS NULL)
        AND coalesce(cardinality(patrol_hours) = cardinality(patrol_departments), true));
