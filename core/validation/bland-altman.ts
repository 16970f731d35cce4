/**
 * Bland–Altman agreement of two measurements of the same quantity (Bland & Altman 1986,
 * Lancet i:307). With d = first − second per case (in agreement monitoring: model − reader):
 *   bias = mean(d),  SD = sample SD of d (divisor n − 1),
 *   limits of agreement = bias ± 1.96·SD (the 1986 paper rounds 1.96 to 2).
 * 95% CIs (same paper): bias ± t·SD/√n, and each limit ± t·√(3·SD²/n), t the 97.5th
 * percentile of Student's t with n − 1 degrees of freedom. The limits' SE √(3s²/n) is the
 * paper's approximation of √(s²/n + 1.96²s²/(2(n − 1))).
 */
import { studentTQuantile } from './distributions.ts';

export interface BlandAltman {
  n: number;
  bias: number;
  /** null below 2 pairs, and with them everything that needs a spread. */
  sd: number | null;
  lower: number | null;
  upper: number | null;
  biasCi95: [number, number] | null;
  lowerCi95: [number, number] | null;
  upperCi95: [number, number] | null;
  /** The multiple of SD the limits lie at (1.96 unless asked otherwise). */
  multiplier: number;
}

export function blandAltman(
  pairs: readonly { first: number; second: number }[],
  multiplier = 1.96,
): BlandAltman {
  const n = pairs.length;
  if (n === 0) throw new RangeError('Bland–Altman needs at least one pair');
  const d = pairs.map((p) => p.first - p.second);
  if (d.some((v) => !Number.isFinite(v))) throw new RangeError('Bland–Altman needs finite values');
  const bias = d.reduce((s, v) => s + v, 0) / n;
  if (n < 2)
    return {
      n,
      bias,
      sd: null,
      lower: null,
      upper: null,
      biasCi95: null,
      lowerCi95: null,
      upperCi95: null,
      multiplier,
    };
  const sd = Math.sqrt(d.reduce((s, v) => s + (v - bias) ** 2, 0) / (n - 1));
  const t = studentTQuantile(0.975, n - 1);
  const lower = bias - multiplier * sd;
  const upper = bias + multiplier * sd;
  const seBias = sd / Math.sqrt(n);
  const seLimit = Math.sqrt((3 * sd * sd) / n);
  const around = (v: number, se: number): [number, number] => [v - t * se, v + t * se];
  return {
    n,
    bias,
    sd,
    lower,
    upper,
    biasCi95: around(bias, seBias),
    lowerCi95: around(lower, seLimit),
    upperCi95: around(upper, seLimit),
    multiplier,
  };
}
