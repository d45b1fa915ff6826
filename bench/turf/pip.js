// turf.js peer of the point-assignment benchmark: each point goes to the first polygon (in id order) that contains it,
// with turf's own bbox pre-check (every feature carries its bbox). Prints one JSON line with the timings.
// usage: node pip.js polygons.geojson points.f64 iterations
'use strict';
const fs = require('fs');
const { booleanPointInPolygon } = require('@turf/boolean-point-in-polygon');

const [polygonsPath, pointsPath, iterationsArg] = process.argv.slice(2);
const collection = JSON.parse(fs.readFileSync(polygonsPath, 'utf8'));
const buffer = fs.readFileSync(pointsPath);
const coords = new Float64Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 8);
const iterations = Number(iterationsArg || 3);

for (const feature of collection.features) {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const ring of feature.geometry.coordinates) {
    for (const [x, y] of ring) {
      if (x < minX) minX = x; if (x > maxX) maxX = x;
      if (y < minY) minY = y; if (y > maxY) maxY = y;
    }
  }
  feature.bbox = [minX, minY, maxX, maxY];
}
const features = collection.features;

function assign(limit) {
  const counts = new Int32Array(features.length);
  let assigned = 0;
  for (let i = 0; i < limit; i++) {
    const pt = [coords[2 * i], coords[2 * i + 1]];
    for (let j = 0; j < features.length; j++) {
      if (booleanPointInPolygon(pt, features[j])) { counts[j]++; assigned++; break; }
    }
  }
  return assigned;
}

const n = coords.length / 2;
assign(Math.min(n, 20000)); // warm-up
const runs = [];
let assigned = 0;
for (let k = 0; k < iterations; k++) {
  const t0 = process.hrtime.bigint();
  assigned = assign(n);
  runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
console.log(JSON.stringify({ runs, assigned, points: n, polygons: features.length, node: process.version }));
