/**
 * S3-compatible storage for production (AWS S3 in ap-south-1 for India data residency, or any
 * S3-compatible endpoint), through the official AWS SDK. Documents arrive already sealed by the
 * envelope layer (encrypted-storage.ts); the bucket additionally encrypts every object with
 * SSE-KMS, so a bucket read also needs the KMS grant. The bucket should block public access —
 * documents are served through the API only.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { assertSafeKey } from './storage.js';
import type { PutObjectCommandInput } from '@aws-sdk/client-s3';
import type { DocumentStorage, StoredObject } from './storage.js';

/** Connection settings for an S3-compatible bucket. */
export interface S3StorageOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style URLs, needed by most S3-compatible servers other than AWS. */
  forcePathStyle?: boolean;
  prefix?: string;
  /** KMS key (id, ARN or alias) for SSE-KMS; the bucket's default KMS key when absent. */
  kmsKeyId?: string;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return (
    name === 'NoSuchKey' ||
    name === 'NotFound' ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
  );
}

/** Storage in an S3-compatible bucket. */
export class S3DocumentStorage implements DocumentStorage {
  private readonly client: S3Client;

  constructor(private readonly options: S3StorageOptions) {
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
      ...(options.accessKeyId && options.secretAccessKey
        ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
        : {}),
    });
  }

  private keyOf(key: string): string {
    assertSafeKey(key);
    return this.options.prefix ? `${this.options.prefix.replace(/\/$/, '')}/${key}` : key;
  }

  /** The PutObject request for `key`: SSE-KMS always (a method, so the test can check it). */
  putRequest(key: string, body: Buffer, contentType: string): PutObjectCommandInput {
    return {
      Bucket: this.options.bucket,
      Key: this.keyOf(key),
      Body: body,
      ContentType: contentType,
      ServerSideEncryption: 'aws:kms',
      ...(this.options.kmsKeyId ? { SSEKMSKeyId: this.options.kmsKeyId } : {}),
    };
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand(this.putRequest(key, body, contentType)));
  }

  async get(key: string): Promise<StoredObject | null> {
    try {
      const result = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) }),
      );
      const bytes = await result.Body!.transformToByteArray();
      return { body: Buffer.from(bytes), contentType: result.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async putImmutable(
    key: string,
    body: Buffer,
    contentType: string,
    options: { retainUntil?: Date } = {},
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          ...this.putRequest(key, body, contentType),
          // Conditional write: S3 answers 412 instead of replacing an existing object.
          IfNoneMatch: '*',
          // Object Lock (the bucket must be created with it enabled): compliance mode means
          // nobody, not even the root account, can delete or overwrite it before the date.
          ...(options.retainUntil
            ? { ObjectLockMode: 'COMPLIANCE' as const, ObjectLockRetainUntilDate: options.retainUntil }
            : {}),
        }),
      );
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 412 || (error as { name?: string }).name === 'PreconditionFailed') return false;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const full = this.keyOf(prefix.replace(/\/$/, ''));
    const strip = this.options.prefix ? this.options.prefix.replace(/\/$/, '').length + 1 : 0;
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: `${full}/`, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key.slice(strip));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }
}
