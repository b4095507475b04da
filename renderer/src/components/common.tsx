/** Small building blocks shared by the pages. */
import type { ReactNode } from 'react';

export function EmptyState(props: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="empty-state" aria-live="polite">
      <h2>{props.title}</h2>
      <p>{props.children}</p>
      {props.actions ? <div className="actions">{props.actions}</div> : null}
    </section>
  );
}

export function ErrorNote(props: { error: { code: string; message: string } | null; onRetry?: () => void }) {
  if (!props.error) return null;
  return (
    <div className="error-note" role="alert">
      <strong>{props.error.message}</strong>
      <span className="code">{props.error.code}</span>
      {props.onRetry ? (
        <button type="button" onClick={props.onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function ProgressBar(props: { fraction: number | null; label: string }) {
  const percent = props.fraction === null ? null : Math.round(props.fraction * 100);
  return (
    <div className="progress">
      <div
        className={`progress-track${percent === null ? ' indeterminate' : ''}`}
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
      >
        <progress className="progress-fill" max={100} value={percent ?? undefined} aria-hidden="true" />
      </div>
      <span className="progress-label">
        {props.label}
        {percent === null ? '' : ` — ${percent} %`}
      </span>
    </div>
  );
}

export function Stat(props: { label: string; value: string; hint?: string; tone?: 'good' | 'warn' | 'bad' }) {
  return (
    <div className={`stat${props.tone ? ` ${props.tone}` : ''}`}>
      <div className="stat-label">{props.label}</div>
      <div className="stat-value" data-testid={`stat-${props.label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`}>
        {props.value}
      </div>
      {props.hint ? <div className="stat-hint">{props.hint}</div> : null}
    </div>
  );
}

export function Panel(props: {
  title: string;
  subtitle?: string;
  children: ReactNode;
  className?: string;
  actions?: ReactNode;
}) {
  return (
    <section className={`panel${props.className ? ` ${props.className}` : ''}`} aria-label={props.title}>
      <header>
        <h2>{props.title}</h2>
        {props.subtitle ? <span className="subtitle">{props.subtitle}</span> : null}
        {props.actions ? <div className="panel-actions">{props.actions}</div> : null}
      </header>
      {props.children}
    </section>
  );
}

export function Sparkline(props: { values: Array<number | null>; threshold?: number; label: string }) {
  const points = props.values
    .map((v, i) => [i, v] as const)
    .filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(p[1]));
  const width = 96;
  const height = 24;
  if (points.length < 2) return <span className="sparkline-empty">—</span>;
  const max = Math.max(...points.map((p) => p[1]), props.threshold ?? 0) || 1;
  const x = (i: number) => (i / Math.max(1, props.values.length - 1)) * width;
  const y = (v: number) => height - 2 - (v / max) * (height - 4);
  const path = points.map(([i, v]) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width={width} height={height} role="img" aria-label={props.label}>
      {props.threshold !== undefined ? (
        <line x1={0} x2={width} y1={y(props.threshold)} y2={y(props.threshold)} className="sparkline-threshold" />
      ) : null}
      <polyline points={path} fill="none" />
    </svg>
  );
}
