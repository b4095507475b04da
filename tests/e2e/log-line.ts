/** One line of an API prediction log (CONTRACT.md section 3) as the e2e specs import it: a served, approved request. */

export interface LogLineFields {
  /** Request time, epoch milliseconds. */
  ts: number;
  request_id: string;
  applicant_ref: string;
  input: Record<string, unknown>;
  replica?: string;
  output?: { probability: number; decision: string; threshold: number };
  latency_ms?: number;
}

export function logLine(fields: LogLineFields): string {
  return JSON.stringify({
    format_version: 1,
    ts: new Date(fields.ts).toISOString(),
    request_id: fields.request_id,
    replica: fields.replica ?? 'api-0',
    route: '/v1/score',
    http_status: 200,
    status: 'ok',
    model: { name: 'credit-default', version: '1', alias: 'champion' },
    served_by: 'champion',
    degraded: false,
    cache_hit: false,
    applicant_ref: fields.applicant_ref,
    input: fields.input,
    output: fields.output ?? { probability: 0.07, decision: 'approve', threshold: 0.11 },
    latency_ms: { total: fields.latency_ms ?? 3 },
    error: null,
    client: 'e2e',
  });
}
