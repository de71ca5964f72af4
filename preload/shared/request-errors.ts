/**
 * A request the contract refuses is explained to a person, not to a developer: "The secret access
 * key cannot be empty." instead of zod's "Too small: expected string to have >=1 characters". The
 * hosts' boundary (parseRequest) uses this for every refused argument, so no form has to. The raw
 * issues stay in the error's `issues` for logs and tests.
 */

/** What people call the fields the contract names. */
const FIELD_NAMES: Record<string, string> = {
  name: 'the name',
  provider: 'the provider',
  endpoint: 'the endpoint',
  region: 'the region',
  accessKeyId: 'the access key ID',
  secretAccessKey: 'the secret access key',
  securityToken: 'the session token',
  startPath: 'the start path',
  signatureVersion: 'the signature version',
  id: 'the id',
  profileId: 'the account',
  bucket: 'the bucket name',
  key: 'the object key',
  keys: 'the list of objects',
  prefix: 'the folder path',
  sources: 'the items to copy',
  destination: 'the destination',
  storageClass: 'the storage class',
  conflict: 'the choice for existing names',
  metadataDirective: 'the metadata choice',
  userMeta: 'the user metadata',
  contentType: 'the Content-Type',
  cacheControl: 'the Cache-Control',
  contentDisposition: 'the Content-Disposition',
  contentEncoding: 'the Content-Encoding',
  contentLanguage: 'the Content-Language',
  expires: 'the Expires header',
  objectsInFlight: 'objects in flight',
  partsInFlight: 'parts in flight',
  multipartThreshold: 'the multipart threshold',
  partSize: 'the part size',
  expiresSeconds: 'the link lifetime',
  uploads: 'the list of uploads',
  size: 'the size',
  data: 'the data',
  offset: 'the offset',
  limit: 'the number of lines',
};

export interface SchemaIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  values?: unknown[];
}

function fieldOf(path: PropertyKey[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i];
    if (typeof segment === 'string' && FIELD_NAMES[segment]) {
      // A user metadata entry is named by its own key.
      if (path[i] === 'userMeta' && i < path.length - 1) return `the metadata name "${String(path[i + 1])}"`;
      return FIELD_NAMES[segment];
    }
  }
  return path.length ? `the value "${path.map(String).join('.')}"` : 'the request';
}

/** zod's own messages start like this; ours (regex and refine messages) are already for people. */
const GENERATED = /^(Too small|Too big|Invalid|Unrecognized|Expected)/;

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function describeIssue(issue: SchemaIssue): string {
  const field = fieldOf(issue.path);
  const min = Number(issue.minimum);
  const max = Number(issue.maximum);
  let sentence: string;
  if (!GENERATED.test(issue.message)) {
    sentence = issue.message;
  } else if (issue.code === 'too_small') {
    if (issue.origin === 'string')
      sentence = min <= 1 ? `${field} cannot be empty` : `${field} needs at least ${min} characters`;
    else if (issue.origin === 'array')
      sentence = min <= 1 ? `${field} cannot be empty` : `${field} needs at least ${min} entries`;
    else sentence = `${field} must be at least ${min}`;
  } else if (issue.code === 'too_big') {
    if (issue.origin === 'string') sentence = `${field} is too long (at most ${max} characters)`;
    else if (issue.origin === 'array') sentence = `${field} has too many entries (at most ${max})`;
    else sentence = `${field} must be at most ${max}`;
  } else if (issue.code === 'invalid_value' && issue.values?.length) {
    sentence = `${field} must be one of: ${issue.values.map(String).join(', ')}`;
  } else if (issue.code === 'invalid_type') {
    sentence = /received undefined/.test(issue.message)
      ? `${field} is missing`
      : `${field} has the wrong kind of value`;
  } else if (issue.code === 'unrecognized_keys') {
    sentence = 'the request carries fields Ferry does not know';
  } else {
    sentence = `${field} is not valid`;
  }
  return `${capitalize(sentence)}.`;
}
