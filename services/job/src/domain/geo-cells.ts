/**
 * A grid of cells about 55 km square anywhere on Earth, for the nearby-jobs index: latitude in bands of half a
 * degree, each band cut into as many longitude cells as keep them about as wide as they are tall (720 at the
 * equator, a handful next to a pole). Pure geometry, no storage.
 */
const BAND_DEGREES = 0.5;
const BANDS = 180 / BAND_DEGREES;
export const EARTH_RADIUS_KM = 6371.0088;

const radians = (degrees: number) => (degrees * Math.PI) / 180;
const degrees = (radiansValue: number) => (radiansValue * 180) / Math.PI;

const bandOf = (latitude: number): number => Math.min(BANDS - 1, Math.floor((latitude + 90) / BAND_DEGREES));

export const cellsInBand = (band: number): number => {
  const middle = -90 + (band + 0.5) * BAND_DEGREES;
  return Math.max(1, Math.ceil((360 / BAND_DEGREES) * Math.cos(radians(middle))));
};

const columnOf = (band: number, longitude: number): number => {
  const count = cellsInBand(band);
  const column = Math.floor(((longitude + 180) / 360) * count);
  return ((column % count) + count) % count;
};

export const cellName = (band: number, column: number) => `${band}:${column}`;

/** The cell a point lies in. */
export const cellOf = (latitude: number, longitude: number): string => {
  const band = bandOf(latitude);
  return cellName(band, columnOf(band, longitude));
};

/** Great-circle distance (haversine). */
export const distanceKm = (fromLat: number, fromLon: number, toLat: number, toLon: number): number => {
  const dLat = radians(toLat - fromLat);
  const dLon = radians(toLon - fromLon);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(radians(fromLat)) * Math.cos(radians(toLat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
};

/**
 * Every cell a circle touches: the bands its latitude span crosses and, in each, the columns of its longitude span
 * (the bounding box of a spherical cap), wrapping across the antimeridian; a circle that holds a pole takes whole
 * bands.
 */
export const cellsWithin = (latitude: number, longitude: number, radiusKm: number): string[] => {
  const angle = radiusKm / EARTH_RADIUS_KM;
  const south = latitude - degrees(angle);
  const north = latitude + degrees(angle);
  const holdsPole = south <= -90 || north >= 90;
  const lonSpan = holdsPole ? 180 : degrees(Math.asin(Math.min(1, Math.sin(angle) / Math.cos(radians(latitude)))));
  const cells: string[] = [];
  for (let band = bandOf(Math.max(-90, south)); band <= bandOf(Math.min(90, north)); band += 1) {
    const count = cellsInBand(band);
    if (lonSpan >= 180) {
      for (let column = 0; column < count; column += 1) cells.push(cellName(band, column));
      continue;
    }
    const first = Math.floor(((longitude - lonSpan + 180) / 360) * count);
    const last = Math.floor(((longitude + lonSpan + 180) / 360) * count);
    const columns = new Set<number>();
    for (let column = first; column <= last && columns.size < count; column += 1) {
      columns.add(((column % count) + count) % count);
    }
    for (const column of columns) cells.push(cellName(band, column));
  }
  return cells;
};
