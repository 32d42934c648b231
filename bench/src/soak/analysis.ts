// Is memory flat? Least-squares slopes of a soak's memory series and the verdict the report
// prints. Pure: the smoke test checks it on made-up series.

/** One memory sample of a soak worker. Memory is per connection, in bytes, minus the baseline before connecting. */
export interface SoakSample {
  /** Seconds since the rooms started sending. */
  t: number;
  /** `heapUsed` after forced GC. */
  heap: number;
  /** `external` after forced GC (memory outside the JS heap: Buffers, zlib, TLS). */
  external: number;
  /** `arrayBuffers` after forced GC (part of external). */
  arrayBuffers: number;
  /** `rss` after forced GC. */
  rss: number;
  /** heap + external after forced GC: the series the verdict judges. */
  total: number;
  /** `heapUsed` just before the forced GC: what the process holds between collections. */
  heapBeforeGc: number;
  /** `external` just before the forced GC. */
  externalBeforeGc: number;
  /** Events heard by the listeners since the previous sample, per second. */
  eventsPerSec: number;
  /** The client process's CPU since the previous sample, percent of one core (the forced GC included). */
  cpuPercent: number;
  /** Connections the simulator has open. */
  openConnections: number;
  /** Client errors and warnings so far. */
  errors: number;
}

export interface LineFit {
  /** Units of y per unit of x. */
  slope: number;
  intercept: number;
  /** Standard error of the slope (NaN with fewer than 3 points). */
  slopeSe: number;
  points: number;
}

/** Ordinary least squares of y on x. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return { slope: Number.NaN, intercept: Number.NaN, slopeSe: Number.NaN, points: n };
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] as number;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    sxx += dx * dx;
    sxy += dx * ((ys[i] as number) - my);
  }
  if (sxx === 0) return { slope: Number.NaN, intercept: Number.NaN, slopeSe: Number.NaN, points: n };
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const r = (ys[i] as number) - (intercept + slope * (xs[i] as number));
    sse += r * r;
  }
  const slopeSe = n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : Number.NaN;
  return { slope, intercept, slopeSe, points: n };
}

/** Growth per connection and hour below which a slope counts as flat whatever the noise: 1 KiB. */
export const negligibleBytesPerHour = 1024;

export interface SoakVerdict {
  /** Slope over every sample, bytes per connection per hour. */
  slopeAll: number;
  /** Slope over the samples of the last third of the run, bytes per connection per hour. */
  slopeLastThird: number;
  /** Its standard error, bytes per connection per hour. */
  slopeLastThirdSe: number;
  /** Samples in the last third. */
  samplesLastThird: number;
  /** Value at the first and the last sample, bytes per connection. */
  first: number;
  last: number;
  /**
   * Flat: the last third's slope is within 2 standard errors of zero (not told apart from the
   * noise) or below {@link negligibleBytesPerHour}. `undefined`: fewer than 3 samples in the last third.
   */
  flat: boolean | undefined;
  /** The verdict in words, with the numbers. */
  reason: string;
}

const kib = (bytes: number) => `${Math.round((bytes / 1024) * 100) / 100} KiB`;

/** Judges one series (default: heap + external after GC) of a soak. */
export function judgeSeries(
  samples: readonly SoakSample[],
  pick: (s: SoakSample) => number = (s) => s.total,
): SoakVerdict {
  const xs = samples.map((s) => s.t / 3600);
  const ys = samples.map(pick);
  const all = fitLine(xs, ys);
  const end = samples[samples.length - 1]?.t ?? 0;
  const cut = (end * 2) / 3;
  const tail = samples.filter((s) => s.t >= cut);
  const last = fitLine(
    tail.map((s) => s.t / 3600),
    tail.map(pick),
  );
  const verdict: SoakVerdict = {
    slopeAll: all.slope,
    slopeLastThird: last.slope,
    slopeLastThirdSe: last.slopeSe,
    samplesLastThird: tail.length,
    first: ys[0] ?? Number.NaN,
    last: ys[ys.length - 1] ?? Number.NaN,
    flat: undefined,
    reason: "",
  };
  if (tail.length < 3 || !Number.isFinite(last.slope)) {
    verdict.reason = `too short to judge: ${tail.length} sample(s) in the last third (3 needed)`;
    return verdict;
  }
  const withinNoise = Math.abs(last.slope) <= 2 * last.slopeSe;
  const negligible = Math.abs(last.slope) <= negligibleBytesPerHour;
  verdict.flat = withinNoise || negligible;
  const slope = `${kib(last.slope)}/conn/h ± ${kib(2 * last.slopeSe)} (2 SE) over the last third`;
  verdict.reason = verdict.flat
    ? `flat: ${slope}${withinNoise ? " is within the noise" : ""}${negligible ? `${withinNoise ? " and" : ""} is under ${kib(negligibleBytesPerHour)}/conn/h` : ""}`
    : `growing: ${slope}, ${last.slope > 0 ? "above" : "below"} zero by more than the noise`;
  return verdict;
}
