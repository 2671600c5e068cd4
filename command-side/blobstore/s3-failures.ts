/**
 * What an S3 error means for the people running the app. The SDK's own errors name a code only (HEAD answers carry
 * no body, so a refused HEAD is a bare "UnknownError" with status 403): these say which bucket, where, and what to
 * check. A missing key is not a failure here: each adapter method decides what "not found" means for it.
 */
export class S3BlobStoreError extends Error {
  override name = 'S3BlobStoreError';
}

/** Where the store points, for messages. */
export interface S3Location {
  bucket: string;
  /** The endpoint URL, or a description of AWS's ("AWS S3 in eu-west-1"). */
  endpoint: string;
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const DENIED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidToken', 'ExpiredToken']);
/** Errors of the connection itself, before S3 could answer anything. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'TimeoutError']);

export const statusOf = (error: unknown): number | undefined => (error as SdkError | undefined)?.$metadata?.httpStatusCode;

/** The error's S3 code (NoSuchKey, NoSuchBucket, AccessDenied, …), or the network error's (ECONNREFUSED, …). */
export const codeOf = (error: unknown): string => {
  const { name, code } = (error ?? {}) as SdkError;
  return (name && name !== 'Error' ? name : code) ?? 'Error';
};

/** An S3BlobStoreError saying what went wrong in words, with the SDK's error as its cause. */
export function s3Failure(error: unknown, action: string, where: S3Location): S3BlobStoreError {
  const status = statusOf(error);
  const code = codeOf(error);
  const bucket = `bucket "${where.bucket}" at ${where.endpoint}`;
  const because = status === undefined ? code : `${code}, HTTP ${status}`;
  let message: string;
  if (status === 403 || DENIED.has(code)) {
    message =
      `S3 refused to ${action} in ${bucket} (${because}): check the access key id and secret access key, and that ` +
      'they may read, write, delete and list objects of the bucket';
  } else if (code === 'NoSuchBucket') {
    message = `S3 has no ${bucket} (${because}): create the bucket or correct its name`;
  } else if (status === undefined && UNREACHABLE.has(code)) {
    message = `S3 could not ${action} in ${bucket}: the endpoint cannot be reached (${because})`;
  } else {
    message = `S3 could not ${action} in ${bucket} (${because}): ${(error as SdkError).message ?? ''}`;
  }
  return new S3BlobStoreError(message, { cause: error });
}
