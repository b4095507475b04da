/**
 * The applicant columns of the predictions table: the 28 fields of CONTRACT.md section 1, in schema order.
 * They are fixed by migration 0001 because the fields are the contract; a field a future schema adds is still
 * readable, from `input_extra` (docs/decisions/0003-log-store-layout.md).
 */
export type ColumnKind = 'number' | 'category';

export const APPLICANT_COLUMNS: ReadonlyArray<{ name: string; kind: ColumnKind }> = Object.freeze(
  (
    [
      ['SK_ID_CURR', 'number'],
      ['NAME_CONTRACT_TYPE', 'category'],
      ['CODE_GENDER', 'category'],
      ['FLAG_OWN_CAR', 'category'],
      ['FLAG_OWN_REALTY', 'category'],
      ['CNT_CHILDREN', 'number'],
      ['AMT_INCOME_TOTAL', 'number'],
      ['AMT_CREDIT', 'number'],
      ['AMT_ANNUITY', 'number'],
      ['AMT_GOODS_PRICE', 'number'],
      ['NAME_INCOME_TYPE', 'category'],
      ['NAME_EDUCATION_TYPE', 'category'],
      ['NAME_FAMILY_STATUS', 'category'],
      ['NAME_HOUSING_TYPE', 'category'],
      ['OCCUPATION_TYPE', 'category'],
      ['REGION_POPULATION_RELATIVE', 'number'],
      ['REGION_RATING_CLIENT', 'number'],
      ['DAYS_BIRTH', 'number'],
      ['DAYS_EMPLOYED', 'number'],
      ['DAYS_REGISTRATION', 'number'],
      ['DAYS_ID_PUBLISH', 'number'],
      ['DAYS_LAST_PHONE_CHANGE', 'number'],
      ['OWN_CAR_AGE', 'number'],
      ['CNT_FAM_MEMBERS', 'number'],
      ['EXT_SOURCE_1', 'number'],
      ['EXT_SOURCE_2', 'number'],
      ['EXT_SOURCE_3', 'number'],
      ['AMT_REQ_CREDIT_BUREAU_YEAR', 'number'],
    ] as const
  ).map(([name, kind]) => Object.freeze({ name, kind })),
);

export const APPLICANT_COLUMN_KIND: ReadonlyMap<string, ColumnKind> = new Map(
  APPLICANT_COLUMNS.map((c) => [c.name, c.kind]),
);
