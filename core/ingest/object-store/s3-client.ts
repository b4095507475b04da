/**
 * The little of the S3 API the console needs, against any S3-compatible store (AWS, MinIO, Ceph, Garage…):
 * ListObjectsV2 under a prefix and GetObject streamed to a file. Path-style addresses (`<endpoint>/<bucket>/<key>`),
 * which every S3-compatible store serves. Errors say what to check, in the operator's terms.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { signRequest, uriEncode, type Credentials } from './sigv4.ts';

export interface ObjectStoreLocation {
  /** `https://s3.example.com` or `http://127.0.0.1:9000`; no bucket in it. */
  endpoint: string;
  bucket: string;
  /** Only keys starting with this are listed. @default '' */
  prefix?: string;
  /** @default 'us-east-1' */
  region?: string;
}

export interface StoredObject {
  key: string;
  size: number;
  lastModifiedMs: number;
  etag: string;
}

export class ObjectStoreError extends Error {
  /**
   * @param affectsAll true when no object can be read (endpoint, bucket, credentials): the import stops; false for
   *   one object's problem, which the import records and passes over.
   */
  constructor(
    message: string,
    readonly affectsAll = true,
  ) {
    super(message);
    this.name = 'ObjectStoreError';
  }
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) =>
    entity.startsWith('#x')
      ? String.fromCodePoint(parseInt(entity.slice(2), 16))
      : entity.startsWith('#')
        ? String.fromCodePoint(Number(entity.slice(1)))
        : XML_ENTITIES[entity]!,
  );
}

function tag(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return match ? unescapeXml(match[1]!) : undefined;
}

/** What an S3 error response means for the person who typed the settings. */
function explain(status: number, body: string, bucket: string): string {
  const code = tag(body, 'Code');
  switch (code) {
    case 'NoSuchBucket':
      return `the bucket "${bucket}" does not exist at this endpoint`;
    case 'InvalidAccessKeyId':
      return 'the access key ID is not known to this object store';
    case 'SignatureDoesNotMatch':
      return 'the secret access key does not match the access key ID (or the region is wrong)';
    case 'AccessDenied':
      return `these credentials may not list or read the bucket "${bucket}" (they need s3:ListBucket and s3:GetObject)`;
    case 'NoSuchKey':
      return 'the object was deleted while it was being imported';
    default:
      return `the object store answered HTTP ${status}${code ? ` (${code})` : ''}`;
  }
}

export class S3Client {
  private readonly base: URL;
  private readonly region: string;

  constructor(
    private readonly location: ObjectStoreLocation,
    private readonly credentials: Credentials,
  ) {
    this.base = new URL(location.endpoint.replace(/\/+$/, '') + '/');
    this.region = location.region ?? 'us-east-1';
  }

  private async request(url: URL, signal?: AbortSignal): Promise<Response> {
    const headers = signRequest({ method: 'GET', url, region: this.region, credentials: this.credentials });
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: signal ?? null, redirect: 'error' });
    } catch (error) {
      if (signal?.aborted) throw error;
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new ObjectStoreError(
        `cannot reach the object store at ${this.base.origin}${cause ? ` (${cause})` : ''}: check the endpoint and that it is up`,
      );
    }
    if (!response.ok) {
      const body = await response.text();
      const oneObject = response.status === 404 && tag(body, 'Code') !== 'NoSuchBucket';
      throw new ObjectStoreError(explain(response.status, body, this.location.bucket), !oneObject);
    }
    return response;
  }

  private objectUrl(key = ''): URL {
    return new URL(`${uriEncode(this.location.bucket)}/${uriEncode(key, true)}`, this.base);
  }

  /** Every object under the prefix, in key order, page by page. */
  async *list(signal?: AbortSignal): AsyncGenerator<StoredObject> {
    let token: string | undefined;
    do {
      const url = this.objectUrl();
      url.searchParams.set('list-type', '2');
      url.searchParams.set('prefix', this.location.prefix ?? '');
      if (token) url.searchParams.set('continuation-token', token);
      const xml = await (await this.request(url, signal)).text();
      if (!xml.includes('<ListBucketResult'))
        throw new ObjectStoreError('the endpoint did not answer like an S3 store');
      for (const [, entry] of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        yield {
          key: tag(entry!, 'Key') ?? '',
          size: Number(tag(entry!, 'Size') ?? 0),
          lastModifiedMs: Date.parse(tag(entry!, 'LastModified') ?? ''),
          etag: (tag(entry!, 'ETag') ?? '').replace(/"/g, ''),
        };
      }
      token = tag(xml, 'IsTruncated') === 'true' ? tag(xml, 'NextContinuationToken') : undefined;
    } while (token);
  }

  /** Streams one object into a file (bounded memory). */
  async download(key: string, file: string, signal?: AbortSignal): Promise<void> {
    const response = await this.request(this.objectUrl(key), signal);
    if (!response.body) throw new ObjectStoreError(`the object store sent no content for ${key}`, false);
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream),
      createWriteStream(file),
      signal ? { signal } : {},
    );
  }
}
