/**
 * The statistics core: two-sample drift tests and distances, binning, multiple testing and dataset drift
 * (methods.md sections 1 and 2). Pure computation, no I/O.
 *
 * @module
 */
export { ANDERSON_SIGNIFICANCE, type AndersonResult, andersonKSampleSorted } from './anderson.js';
export {
  type BinnedProportions,
  type Binning,
  type BinningName,
  binSamples,
  countDistinctSorted,
  distinctSorted,
  evidentlyZeroFill,
  histogramBinEdges,
  histogramCounts,
  lowerBound,
  quantileSorted,
  upperBound,
} from './binning.js';
export {
  type ChiSquareResult,
  chi2Sf,
  chiSquareContingency,
  chiSquareGoodnessOfFit,
  type ZTestResult,
  zTestProportions,
} from './chisquare.js';
export {
  type CategoricalDriftOptions,
  type ColumnDrift,
  type ColumnKind,
  categoricalDrift,
  chooseMethod,
  DEFAULT_THRESHOLDS,
  DRIFT_METHODS,
  DRIFT_TESTABLE_KINDS,
  type DriftMethod,
  type NumericalDriftOptions,
  numericalDrift,
  numericalDriftSorted,
} from './column-drift.js';
export {
  CVM_EXACT_MAX_N_EVIDENTLY,
  CVM_EXACT_MAX_N_SCIPY,
  type CvmMethod,
  type CvmResult,
  cramerVonMisesSorted,
  cvmLimitCdf,
  scaledBesselK,
} from './cvm.js';
export {
  hellingerFromProportions,
  jsDistanceFromProportions,
  jsDivergenceFromProportions,
  klFromProportions,
  linfFromProportions,
  psiFromProportions,
  type ZeroFill,
} from './divergence.js';
export { kolmogorovCdf, kolmogorovSf, kstwoCdf, kstwoSf, smirnovSf } from './kolmogorov.js';
export { type KsMethod, type KsResult, ks2samp, ks2sampSorted, ksPValue, ksStatisticSorted } from './ks.js';
export { compensatedSum, meanStdPop } from './moments.js';
export { type CorrectedPValues, correctPValues, datasetDrift } from './multiple-testing.js';
export { isSortedAscending, sortFloat64 } from './sort.js';
export {
  assertFinite,
  assertFiniteSorted,
  WASSERSTEIN_STD_FLOOR,
  wasserstein1,
  wasserstein1Sorted,
  wassersteinNormedSorted,
} from './wasserstein.js';
