-- pgbench script: the bare ST_AsMVT query of the wells layer (what VectorTileSql.For builds) for a random z13 tile of the oilfield.
\set x random(6790, 6799)
\set y random(3174, 3178)
WITH mvtgeom AS (SELECT ST_AsMVTGeom(ST_Transform(t.geom, 3857), ST_TileEnvelope(13, :x, :y), 4096, 64, true) AS geom,
    t.code, t.kind, t.status, t.is_key, t.oil_zone_code
  FROM well t WHERE t.geom && ST_Transform(ST_TileEnvelope(13, :x, :y, margin => 0.015625), 4326))
SELECT ST_AsMVT(mvtgeom.*, 'wells', 4096, 'geom') FROM mvtgeom WHERE geom IS NOT NULL;
