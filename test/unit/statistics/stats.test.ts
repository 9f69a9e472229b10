import { describe, expect, test } from "bun:test";
import {
  coefficientOfVariation,
  createRng,
  fisherExactTwoSided,
  mean,
  passAtK,
  passAtKCurve,
  round,
  sampleSd,
  wilsonInterval,
  Z_95,
} from "../../../src/statistics/index.ts";

/** Exact binomial coefficient with BigInt: the independent reference for pass@k and Fisher. */
function binomial(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let result = 1n;
  for (let i = 1; i <= k; i++) result = (result * BigInt(n - k + i)) / BigInt(i);
  return result;
}

/** BigInt ratio as a float with ~18 significant decimals. */
function ratio(numerator: bigint, denominator: bigint): number {
  const scale = 10n ** 18n;
  return Number((numerator * scale) / denominator) / 1e18;
}

type Table = [[number, number], [number, number]];

/** A 2×2 table [[a, b], [c, d]], written on one line. */
function table(a: number, b: number, c: number, d: number): Table {
  return [
    [a, b],
    [c, d],
  ];
}

/** Fisher's two-sided p with exact rational probabilities (ties compared exactly, no tolerance). */
function fisherReference([[a, b], [c, d]]: Table): number {
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  const weight = (x: number) => binomial(row1, x) * binomial(row2, col1 - x);
  const observed = weight(a);
  let sum = 0n;
  for (let x = 0; x <= col1; x++) if (weight(x) <= observed) sum += weight(x);
  return ratio(sum, binomial(row1 + row2, col1));
}

describe("descriptive statistics", () => {
  test("mean, sd and CV of a textbook sample", () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9]; // population sd 2, squared deviations sum to 32
    expect(mean(xs)).toBe(5);
    expect(sampleSd(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(coefficientOfVariation(xs)).toBeCloseTo(Math.sqrt(32 / 7) / 5, 12);
  });

  test("undefined quantities are null, never NaN", () => {
    expect(mean([])).toBeNull();
    expect(sampleSd([])).toBeNull();
    expect(sampleSd([3])).toBeNull();
    expect(coefficientOfVariation([])).toBeNull();
    expect(coefficientOfVariation([3])).toBeNull();
    expect(coefficientOfVariation([-1, 1])).toBeNull();
  });

  test("a constant sample has sd exactly 0", () => {
    expect(sampleSd([0.1, 0.1, 0.1])).toBe(0);
    expect(coefficientOfVariation([7, 7])).toBe(0);
  });

  test("round goes half away from zero, handles decimal ties and passes null through", () => {
    expect(round(1.005, 2)).toBe(1.01);
    expect(round(2.5, 0)).toBe(3);
    expect(round(-2.5, 0)).toBe(-3);
    expect(round(0.39678, 4)).toBe(0.3968);
    expect(round(1234.5678)).toBe(1234.5678);
    expect(Object.is(round(-0.00001, 2), 0)).toBe(true);
    expect(round(null, 2)).toBeNull();
  });
});

describe("wilsonInterval", () => {
  test("7/10 is [0.3968, 0.8922]", () => {
    const ci = wilsonInterval(7, 10)!;
    expect(round(ci.low, 4)).toBe(0.3968);
    expect(round(ci.high, 4)).toBe(0.8922);
  });

  test("at the edges the bound is exactly 0 or 1 and the other has a closed form", () => {
    const z2 = Z_95 ** 2;
    expect(wilsonInterval(0, 5)).toEqual({ low: 0, high: expect.closeTo(z2 / (5 + z2), 12) });
    expect(wilsonInterval(5, 5)).toEqual({ low: expect.closeTo(5 / (5 + z2), 12), high: 1 });
    expect(round(wilsonInterval(0, 5)!.high, 4)).toBe(0.4345);
    expect(round(wilsonInterval(5, 5)!.low, 4)).toBe(0.5655);
  });

  test("both bounds solve the score equation n(p̂ − p)² = z² p(1 − p)", () => {
    for (const [s, n] of [
      [1, 3],
      [7, 10],
      [13, 40],
      [99, 100],
    ] as const) {
      const { low, high } = wilsonInterval(s, n)!;
      for (const p of [low, high]) expect(n * (s / n - p) ** 2).toBeCloseTo(Z_95 ** 2 * p * (1 - p), 10);
    }
  });

  test("mirror symmetry and a custom z", () => {
    const a = wilsonInterval(3, 10)!;
    const b = wilsonInterval(7, 10)!;
    expect(a.low).toBeCloseTo(1 - b.high, 12);
    expect(a.high).toBeCloseTo(1 - b.low, 12);
    const narrow = wilsonInterval(7, 10, 1)!;
    expect(narrow.low).toBeGreaterThan(b.low);
    expect(narrow.high).toBeLessThan(b.high);
  });

  test("n = 0 gives null; impossible counts throw", () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(6, 5)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 5)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 5)).toThrow(RangeError);
  });
});

describe("passAtK", () => {
  const closedForm = (n: number, c: number, k: number) => 1 - ratio(binomial(n - c, k), binomial(n, k));

  test("n = 5, c = 2, k = 1 … 5 matches 1 − C(n−c, k)/C(n, k)", () => {
    for (let k = 1; k <= 5; k++) expect(passAtK(5, 2, k)).toBeCloseTo(closedForm(5, 2, k), 12);
    // By hand: 1 − 3/5, 1 − 3/10, 1 − 1/10, 1, 1.
    expect([1, 2, 3, 4, 5].map((k) => round(passAtK(5, 2, k)!, 12))).toEqual([0.4, 0.7, 0.9, 1, 1]);
  });

  test("stays accurate where the binomials are astronomically large", () => {
    for (const k of [1, 10, 50, 100, 150])
      expect(passAtK(200, 37, k)).toBeCloseTo(closedForm(200, 37, k), 12);
  });

  test("pass@1 is c/n; no successes give 0, all successes give 1", () => {
    expect(passAtK(8, 3, 1)).toBeCloseTo(3 / 8, 15);
    expect(passAtK(4, 0, 2)).toBe(0);
    expect(passAtK(4, 4, 2)).toBe(1);
  });

  test("null when k > n, k < 1 or n = 0; throws when c > n", () => {
    expect(passAtK(3, 1, 4)).toBeNull();
    expect(passAtK(3, 1, 0)).toBeNull();
    expect(passAtK(0, 0, 1)).toBeNull();
    expect(() => passAtK(3, 4, 1)).toThrow(RangeError);
  });

  test("passAtKCurve is keyed 1 … n", () => {
    const curve = passAtKCurve(5, 2);
    expect(Object.keys(curve)).toEqual(["1", "2", "3", "4", "5"]);
    expect(curve["2"]).toBeCloseTo(0.7, 12);
    expect(passAtKCurve(0, 0)).toEqual({});
  });
});

describe("fisherExactTwoSided", () => {
  test("[[8, 2], [1, 9]] gives 0.00548", () => {
    // By hand: rows 10/10, columns 9/11; C(10, x)·C(10, 9 − x) for x = 0 … 9 is
    // 10, 450, 5400, 25200, 52920, 52920, 25200, 5400, 450, 10 over C(20, 9) = 167960.
    // At most as likely as x = 8 (450): x = 0, 1, 8, 9, so p = 920 / 167960.
    expect(fisherExactTwoSided(table(8, 2, 1, 9))).toBeCloseTo(920 / 167960, 12);
    expect(round(fisherExactTwoSided(table(8, 2, 1, 9)), 5)).toBe(0.00548);
  });

  test("Fisher's tea-tasting table gives 0.4857 (R: fisher.test)", () => {
    expect(round(fisherExactTwoSided(table(3, 1, 1, 3)), 4)).toBe(0.4857);
  });

  test("matches exact rational enumeration, including tables with tied probabilities", () => {
    const tables = [
      table(8, 2, 1, 9),
      table(2, 1, 1, 2),
      table(5, 5, 5, 5),
      table(0, 10, 10, 0),
      table(3, 0, 0, 0),
      table(12, 3, 7, 9),
      table(100, 50, 60, 110),
    ];
    for (const t of tables) expect(fisherExactTwoSided(t)).toBeCloseTo(fisherReference(t), 9);
  });

  test("symmetric in rows and columns; empty or degenerate tables give 1", () => {
    const p = fisherExactTwoSided(table(9, 1, 2, 8));
    expect(fisherExactTwoSided(table(2, 8, 9, 1))).toBeCloseTo(p, 14);
    expect(fisherExactTwoSided(table(9, 2, 1, 8))).toBeCloseTo(p, 14);
    expect(fisherExactTwoSided(table(0, 0, 0, 0))).toBe(1);
    expect(fisherExactTwoSided(table(4, 0, 6, 0))).toBe(1);
  });

  test("cells must be counts", () => {
    expect(() => fisherExactTwoSided(table(-1, 2, 3, 4))).toThrow(RangeError);
    expect(() => fisherExactTwoSided(table(1.5, 2, 3, 4))).toThrow(RangeError);
  });
});

describe("createRng", () => {
  test("same seed, same stream; different seed, different stream", () => {
    const draw = (seed: number) => {
      const random = createRng(seed);
      return Array.from({ length: 5 }, random);
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  test("values lie in [0, 1) and look uniform", () => {
    const random = createRng(1);
    const xs = Array.from({ length: 20_000 }, random);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    // Uniform: mean 1/2 with sd 1/sqrt(12 · 20000) ≈ 0.002; each decile holds about 2000.
    expect(Math.abs(mean(xs)! - 0.5)).toBeLessThan(0.01);
    const deciles = Array(10).fill(0);
    for (const x of xs) deciles[Math.floor(x * 10)]++;
    for (const count of deciles) expect(Math.abs(count - 2000)).toBeLessThan(200);
  });
});
