export { openExplainer, type Explainer, type GoldenApplicant, type ModelAnswer } from './explainer.ts';
export { MODEL_ROLES, openModelSet, type ModelRole, type ModelSet, type SetMember } from './model-set.ts';
export { readReferenceSample, typicalApplicant, sortedColumns, type ReferenceSample } from './reference-sample.ts';
export { fieldGrid, fieldSpan, type FieldValue } from './field-grid.ts';
export { sensitivity, ExplainInputError, type SensitivityCurve, type SensitivitySeries } from './sensitivity.ts';
export { findFlips, type FlipResult, type FlipRow } from './flips.ts';
export { shapley, SHAPLEY_ESTIMATOR, type Contribution, type ShapleyResult } from './shapley.ts';
export { reasonInWords, topReasons, formatFieldValue } from './words.ts';
export { decisionOf, type ProbabilityFn } from './types.ts';
