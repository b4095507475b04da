/** Sources and quarantine, as the Sources page lists them. */
import type { MethodInput, MethodOutput, SourceRow as WireSource } from '../../../console-api/types.ts';
import { basename } from 'node:path';
import type { Services } from '../services.ts';
import { storeChanged } from './ingest.ts';

const PAGE_SIZE = 50;
/** Characters of an excerpt the page shows; the rest is cut with an ellipsis. */
const EXCERPT_CHARS = 240;

/**
 * A quarantined line as a person can read it: bytes that were not UTF-8 (decoded as U+FFFD) and control characters
 * become one short marker per run instead of a wall of mojibake; a line that is mostly such bytes is said to be
 * binary.
 */
export function readableExcerpt(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
  const unreadable = /[\uFFFD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
  const bad = text.match(unreadable)?.length ?? 0;
  if (bad > 0 && bad >= text.length * 0.3) return `⟨binary data, not text: ${text.length} characters⟩`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this replaces
  const cleaned = text.replace(/[\uFFFD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]+/g, '⟨not UTF-8⟩');
  return cleaned.length > EXCERPT_CHARS ? `${cleaned.slice(0, EXCERPT_CHARS)}…` : cleaned;
}

export function listSources(services: Services): MethodOutput<'listSources'> {
  const { store } = services;
  const sources: WireSource[] = store.catalog
    .listSources()
    // A pull that failed before its first page stored nothing: it is not a source (the failure was said at the time).
    .filter((row) => !(row.kind === 'endpoint' && row.inserted === 0 && row.quarantined === 0 && !row.cursor))
    .map((row) => ({
      id: String(row.id),
      kind:
        row.kind === 'endpoint'
          ? 'api'
          : row.kind === 'generator'
            ? 'demo'
            : row.location.startsWith('s3://')
              ? 'object storage'
              : 'file',
      location: row.location,
      importedAt: row.updatedAt,
      records: row.inserted,
      quarantined: row.quarantined,
      detail:
        row.status === 'complete'
          ? `complete, ${row.duplicates.toLocaleString('en')} duplicate(s)`
          : row.status === 'damaged'
            ? `damaged: ${row.error ?? 'read up to the damage'}`
            : row.kind === 'endpoint'
              ? `pulled up to its last page${row.error ? ` (${row.error})` : ''}; Pull now continues from there`
              : `partial${row.error ? `: ${row.error}` : ' (re-import to finish)'}`,
    }));
  const home = services.config.dbPath;
  const demo = store.file !== home;
  return {
    sources: sources.reverse(),
    bounds: services.bounds(),
    records: store.count(),
    store: { name: basename(store.file), demo, home: demo ? basename(home) : null },
  };
}

/** Back from a separate demo store to the user's own (a no-op when it is open already). */
export function returnToStore(services: Services): MethodOutput<'returnToStore'> {
  if (services.store.file !== services.config.dbPath) {
    services.replaceStore(services.config.dbPath);
    storeChanged(services);
  }
  return { name: basename(services.config.dbPath) };
}

export function listQuarantine(
  services: Services,
  input: MethodInput<'listQuarantine'>,
): MethodOutput<'listQuarantine'> {
  const { catalog } = services.store;
  const page = input.page ?? 0;
  const sourceId = input.source !== undefined && /^\d+$/.test(input.source) ? Number(input.source) : undefined;
  const result = catalog.listQuarantine({
    ...(sourceId !== undefined ? { sourceId } : {}),
    ...(input.reason ? { reason: input.reason } : {}),
    limit: PAGE_SIZE,
    offset: page * PAGE_SIZE,
  });
  return {
    rows: result.rows.map((row) => ({
      source: row.location,
      line: row.lineNo,
      reason: row.reason,
      excerpt: readableExcerpt(row.excerpt),
      at: null,
    })),
    total: result.total,
    page,
    pageSize: PAGE_SIZE,
    reasons: Object.entries(catalog.quarantineByReason()).map(([reason, count]) => ({ reason, count })),
  };
}
