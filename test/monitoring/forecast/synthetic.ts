/** Hourly series with a known level, trend and daily cycle, and seeded noise: what the forecasts are checked against. */

export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller). */
export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export interface Shape {
  base: number;
  /** per hour */
  slope: number;
  amplitude: number;
  noise: number;
}

/** The noiseless value of hour `t`. */
export function truth(shape: Shape, t: number): number {
  return shape.base + shape.slope * t + shape.amplitude * Math.sin((2 * Math.PI * t) / 24);
}

export function series(shape: Shape, hours: number, seed: number): number[] {
  const random = seeded(seed);
  return Array.from({ length: hours }, (_, t) => truth(shape, t) + shape.noise * gaussian(random));
}
