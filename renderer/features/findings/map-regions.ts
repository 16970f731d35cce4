/**
 * What a segmentation model found, as a finding the reader can read and click: the share of
 * the image its map puts above the threshold, and how sure it is there (the mean
 * probability inside that region).
 */
export interface MapRegion {
  label: string;
  /** Share of the image's pixels at or above the threshold, 0..1. */
  areaFraction: number;
  /** Mean probability of the pixels in the region: the model's confidence in it. */
  meanProbability: number;
}

export function mapRegion(label: string, values: Float32Array, threshold: number): MapRegion {
  let inside = 0;
  let sum = 0;
  for (const v of values) {
    if (v < threshold) continue;
    inside++;
    sum += v;
  }
  return {
    label,
    areaFraction: values.length ? inside / values.length : 0,
    meanProbability: inside ? sum / inside : 0,
  };
}
