/**
 * `vigie import-bucket s3://<bucket>/<prefix> --endpoint <url>`: import the log files a shipper copied to
 * S3-compatible object storage, as the console's "object storage" source does (decision record 1500); for cron jobs.
 */
import { Command, Option } from 'commander';
import { ingestObjectStore, ObjectStoreError, type IngestSummary } from '../../core/ingest/index.ts';
import { DEFAULT_STORE_PATH } from '../../db/index.ts';
import { CliError } from '../errors.ts';
import { objectStoreEnv } from '../object-store-config.ts';
import { evaluateAfterChange } from './alert-hook.ts';
import { interruptSignal, openStoreForWriting, printFileImport, progressBar, storeBusyError } from './ingest.ts';

interface ImportBucketFlags {
  endpoint: string;
  region?: string;
  db: string;
  json: boolean;
  progress: boolean;
  alerts: boolean;
}

/** `s3://bucket/prefix` → bucket and prefix, or a message saying what the address should look like. */
export function parseBucketUrl(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!match) {
    throw new CliError(
      `"${url}" is not a bucket address: write s3://<bucket>/<prefix>, e.g. s3://vigie-logs/production/ ` +
        '(bucket names are 3 to 63 lowercase letters, digits, dots or hyphens)',
    );
  }
  return { bucket: match[1]!, prefix: match[2] ?? '' };
}

async function runImportBucket(url: string, flags: ImportBucketFlags): Promise<void> {
  const { bucket, prefix } = parseBucketUrl(url);
  if (!/^https?:\/\/[^\s/]+\/?$/.test(flags.endpoint)) {
    throw new CliError(
      `--endpoint ${flags.endpoint}: give the service's address with no path, e.g. https://s3.example.com`,
    );
  }
  const env = objectStoreEnv();
  if (!env.accessKeyId || !env.secretAccessKey) {
    throw new CliError(
      'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to a key pair that may list and read the bucket',
    );
  }
  const store = openStoreForWriting(flags.db);
  const bar = progressBar(flags.progress);
  const interrupt = interruptSignal();
  let summary: IngestSummary;
  try {
    summary = await ingestObjectStore(
      store,
      { endpoint: flags.endpoint, bucket, prefix, region: flags.region ?? env.region ?? 'us-east-1' },
      { accessKeyId: env.accessKeyId, secretAccessKey: env.secretAccessKey },
      { signal: interrupt.signal, onProgress: (p) => bar.update(p) },
    );
    bar.stop();
    if (flags.alerts && !summary.aborted && summary.inserted > 0) await evaluateAfterChange(store, 'import-bucket');
  } catch (error) {
    if (error instanceof ObjectStoreError) throw new CliError(`${url}: ${error.message}`);
    throw storeBusyError(error, flags.db) ?? error;
  } finally {
    bar.stop();
    interrupt.dispose();
    store.close();
  }
  printFileImport(summary, flags.json);
}

export function register(program: Command): void {
  program
    .command('import-bucket')
    .description(
      'Import the log files shipped to S3-compatible object storage (.jsonl, .jsonl.gz under a prefix) into the ' +
        'SQLite log store: only files not imported before; credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
    )
    .argument('<url>', 's3://<bucket>/<prefix>')
    .requiredOption('--endpoint <url>', 'the object store, e.g. https://s3.example.com or http://minio.local:9000')
    .option('--region <region>', 'signing region (default: AWS_REGION, else us-east-1)')
    .addOption(new Option('--db <file>', 'SQLite log store (created when missing)').default(DEFAULT_STORE_PATH))
    .option('--json', 'print the summary as one JSON object on stdout', false)
    .option('--no-progress', 'no progress bar on stderr (it only shows on a terminal anyway)')
    .option('--no-alerts', 'do not evaluate the alert rules after the import')
    .action((url: string, flags: ImportBucketFlags) => runImportBucket(url, flags));
}
