/** The console's frame: navigation, the shared range picker, theme, shortcuts, running operations. */
import { useEffect, type ReactNode } from 'react';
import { useApp, useSlice } from './app-context.tsx';
import { OperationsBar } from './components/operations-bar.tsx';
import { RangePicker } from './components/range-picker.tsx';
import { AnomaliesPage } from './pages/anomalies-page.tsx';
import { ChallengerPage } from './pages/challenger-page.tsx';
import { DriftPage } from './pages/drift-page.tsx';
import { ModelsPage } from './pages/models-page.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import { ProfilingPage } from './pages/profiling-page.tsx';
import { PerformancePage } from './pages/performance-page.tsx';
import { ReportsPage } from './pages/reports-page.tsx';
import { SourcesPage } from './pages/sources-page.tsx';
import { WhatIfPage } from './pages/what-if-page.tsx';
import { pageFromHash, type PageId } from './stores/ui-store.ts';

/** Pages by id, in navigation order; the next pages (offline scoring, profiling, models) slot in here. */
const ROUTES: Array<{ id: PageId; title: string; key: string; render: () => ReactNode }> = [
  { id: 'overview', title: 'Overview', key: '1', render: () => <OverviewPage /> },
  { id: 'drift', title: 'Drift', key: '2', render: () => <DriftPage /> },
  { id: 'anomalies', title: 'Anomalies', key: '3', render: () => <AnomaliesPage /> },
  { id: 'sources', title: 'Sources', key: '4', render: () => <SourcesPage /> },
  { id: 'reports', title: 'Reports', key: '5', render: () => <ReportsPage /> },
  { id: 'what-if', title: 'What-if', key: '6', render: () => <WhatIfPage /> },
  { id: 'profiling', title: 'Profiling', key: '7', render: () => <ProfilingPage /> },
  { id: 'challenger', title: 'Challenger', key: '8', render: () => <ChallengerPage /> },
  { id: 'performance', title: 'Performance', key: '9', render: () => <PerformancePage /> },
  { id: 'models', title: 'Models', key: '', render: () => <ModelsPage /> },
];

function useShortcuts() {
  const { ui } = useApp();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      const route = ROUTES.find((r) => r.key !== '' && r.key === event.key);
      if (route) ui.getState().setPage(route.id);
      else if (event.key === 't') ui.getState().cycleTheme();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ui]);
}

function useBackendState() {
  const { client, operations, range, sources } = useApp();
  const dataVersion = useSlice(operations, (s) => s.dataVersion);
  useEffect(() => client.onEvent((event) => operations.getState().apply(event)), [client, operations]);
  useEffect(() => {
    void client
      .call('listSources', {})
      .then((list) => range.getState().setBounds(list.bounds))
      .catch(() => undefined);
  }, [client, range, dataVersion]);
  const endpoints = useSlice(sources, (s) => s.settings?.endpoints);
  useEffect(() => {
    const timers = (endpoints ?? [])
      .filter((e) => e.pullEveryMinutes > 0)
      .map((e) =>
        setInterval(() => void sources.getState().pull({ url: e.url, endpointId: e.id }), e.pullEveryMinutes * 60_000),
      );
    return () => timers.forEach(clearInterval);
  }, [endpoints, sources]);
}

export function App() {
  const { ui } = useApp();
  const page = useSlice(ui, (s) => s.page);
  const theme = useSlice(ui, (s) => s.theme);
  useShortcuts();
  useBackendState();

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    if (pageFromHash(window.location.hash) !== page) window.history.replaceState(null, '', `#/${page}`);
    const onHash = () => {
      const next = pageFromHash(window.location.hash);
      if (next) ui.getState().setPage(next);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [page, ui]);

  const route = ROUTES.find((r) => r.id === page) ?? ROUTES[0]!;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="nav" aria-label="Pages">
        <div className="brand">Vigie</div>
        <ul>
          {ROUTES.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                className={r.id === page ? 'active' : undefined}
                aria-current={r.id === page ? 'page' : undefined}
                onClick={() => ui.getState().setPage(r.id)}
                title={r.key ? `${r.title} (key ${r.key})` : r.title}
              >
                <span>{r.title}</span>
                {r.key ? <kbd>{r.key}</kbd> : null}
              </button>
            </li>
          ))}
        </ul>
        <button type="button" className="theme-toggle" onClick={() => ui.getState().cycleTheme()} title="Theme (key t)">
          Theme: {theme}
        </button>
      </nav>
      <div className="main-column">
        <header className="topbar">
          <h1>{route.title}</h1>
          <RangePicker />
        </header>
        <OperationsBar />
        <main id="main" tabIndex={-1}>
          {route.render()}
        </main>
      </div>
    </div>
  );
}
