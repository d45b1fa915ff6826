-- Migration 0015: the lon/lat range check of stored geometries (lonlat_in_bounds, migration 0001) inlined into the CHECK
-- constraints that use it. Declared STRICT, the SQL function could not be inlined (its body, an AND of comparisons, is not
-- strict), so every checked row ran it through the SQL-function executor: about 6 µs a row, 6 of the 8 s a binary COPY of
-- 10⁶ incidents spent in the server (docs/PERFORMANCE.md, "Import of 10⁶ incidents"). The same body without STRICT is inlined
-- where a constraint is planned (0.6 s for 10⁶ rows) and answers the same for every input: NULL for NULL (each call in the
-- body is strict), else whether the geometry's bounding box lies within ±180° × ±90°. The constraints themselves are unchanged.
CREATE OR REPLACE FUNCTION lonlat_in_bounds(g geometry) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ST_XMin(g) >= -180 AND ST_XMax(g) <= 180 AND ST_YMin(g) >= -90 AND ST_YMax(g) <= 90 $$;
