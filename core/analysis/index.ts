export * from './drift/index.ts';
export * from './stats/index.ts';
export * from './source.ts';
export * from './latency-histogram.ts';
export * from './anomalies/index.ts';
export * from './stored-period/index.ts';
export * from './performance/index.ts';
