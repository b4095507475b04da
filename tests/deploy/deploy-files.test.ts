/**
 * What deploy/, the Dockerfile and docker-compose.yml promise an operator, checked from the files themselves.
 * Schema validation and promtool run in scripts/deploy-check.sh; the image itself in scripts/container-check.sh.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const exported = new Set([...read('server/metrics.ts').matchAll(/name: '(vigie_[a-z_]+)'/g)].map((m) => m[1]!));
// Series added by shadow scoring (docs/challenger.md); the rule and panel wait for them.
const PENDING = new Set(['vigie_shadow_dropped_total']);

function metricsIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\b(vigie_[a-z_]+)/g)].map((m) => m[1]!))].map((name) =>
    name.replace(/_(bucket|count|sum)$/, ''),
  );
}

describe('the Prometheus rules and the Grafana dashboard', () => {
  it('use only metrics the API exports', () => {
    const used = [
      ...metricsIn(read('deploy/prometheus/vigie-rules.yml')),
      ...metricsIn(read('deploy/grafana/vigie-api.json')),
    ];
    const unknown = used.filter((name) => !exported.has(name) && !PENDING.has(name));
    expect(unknown).toEqual([]);
  });

  it('cover error rate, p99, fallback rate, readiness, log-write failures and shadow drops', () => {
    const rules = parse(read('deploy/prometheus/vigie-rules.yml')) as Doc;
    const alerts = rules.groups.flatMap((group: Doc) => group.rules).filter((rule: Doc) => rule.alert);
    expect(alerts.map((rule: Doc) => rule.alert).sort()).toEqual(
      [
        'VigieFallbackRateHigh',
        'VigieHighErrorRate',
        'VigieHighP99Latency',
        'VigieLogWriteFailures',
        'VigieNotReady',
        'VigieShadowDrops',
      ].sort(),
    );
    const headings = [...read('docs/operations.md').matchAll(/^### (\w+)$/gm)].map((m) => m[1]!.toLowerCase());
    for (const alert of alerts) {
      expect(alert.annotations.runbook).toBe(`docs/operations.md#${alert.alert.toLowerCase()}`);
      expect(headings).toContain(alert.alert.toLowerCase());
    }
  });

  it('has a dashboard whose every panel queries Prometheus', () => {
    const dashboard = JSON.parse(read('deploy/grafana/vigie-api.json')) as Doc;
    expect(dashboard.panels.length).toBeGreaterThan(10);
    for (const panel of dashboard.panels) expect(panel.targets.length).toBeGreaterThan(0);
  });
});

describe('the Kubernetes manifests', () => {
  const kustomization = parse(read('deploy/k8s/kustomization.yaml')) as Doc;
  const docs: Doc[] = kustomization.resources.flatMap((file: string) =>
    parseAllDocuments(read(`deploy/k8s/${file}`)).map((doc) => doc.toJS() as Doc),
  );
  const deployment = docs.find((doc) => doc.kind === 'Deployment')!;
  const pod = deployment.spec.template.spec;
  const api = pod.containers.find((container: Doc) => container.name === 'api');
  const config = docs.find((doc) => doc.kind === 'ConfigMap')!;

  it('list only files that exist, and every kind an operator needs', () => {
    for (const file of kustomization.resources) expect(existsSync(`deploy/k8s/${file}`)).toBe(true);
    const kinds = docs.map((doc) => doc.kind);
    for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']) {
      expect(kinds).toContain(kind);
    }
  });

  it('probe /health for liveness and /ready for readiness and start-up', () => {
    expect(api.livenessProbe.httpGet.path).toBe('/health');
    expect(api.readinessProbe.httpGet.path).toBe('/ready');
    expect(api.startupProbe.httpGet.path).toBe('/ready');
  });

  it('run every container as non-root on a read-only root file system, with resources', () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    for (const container of [...pod.containers, ...pod.initContainers]) {
      expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(container.resources.requests).toBeDefined();
      expect(container.resources.limits.memory).toBeDefined();
    }
  });

  it('give the pod longer to stop than the preStop pause plus the drain', () => {
    const drainMs = Number(config.data.VIGIE_SHUTDOWN_TIMEOUT_MS);
    const preStopS = Number(api.lifecycle.preStop.exec.command[1]);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(preStopS * 1000 + drainMs);
  });

  it('give each pod its own replica id and take the keys from a Secret', () => {
    const replica = api.env.find((variable: Doc) => variable.name === 'VIGIE_REPLICA');
    expect(replica.valueFrom.fieldRef.fieldPath).toBe('metadata.name');
    expect(api.envFrom.some((source: Doc) => source.secretRef?.name === 'vigie-api-keys')).toBe(true);
    expect(docs.some((doc) => doc.kind === 'Secret')).toBe(false); // real secrets are never in git
  });
});

describe('the Dockerfile and docker-compose.yml', () => {
  const dockerfile = read('Dockerfile');

  it('build offline: no `# syntax=` line that would fetch a frontend', () => {
    expect(dockerfile).not.toMatch(/^#\s*syntax=/m);
  });

  it('keep generated keys in a declared volume, and run as a numeric non-root user', () => {
    expect(dockerfile).toMatch(/VOLUME \[.*"\/app\/var\/logs".*"\/app\/var\/secrets".*\]/);
    expect(dockerfile).toMatch(/VIGIE_HASH_KEY_FILE=\/app\/var\/secrets\//);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
  });

  it('mount a volume for the logs and one for the keys in compose', () => {
    const compose = parse(read('docker-compose.yml')) as Doc;
    const volumes: string[] = compose.services.api.volumes;
    expect(volumes.some((volume) => volume.endsWith(':/app/var/logs'))).toBe(true);
    expect(volumes.some((volume) => volume.endsWith(':/app/var/secrets'))).toBe(true);
  });
});
