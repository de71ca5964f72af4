/**
 * The one contract between the renderer and the main process: every request the renderer may make
 * (argument and result schemas) and every event the main process pushes. The Electron host (ipcMain),
 * the preload bridge, the loopback web host and the renderer all derive their types from this file, and
 * both hosts validate every incoming argument with these schemas before a handler runs.
 *
 * Kept free of Node and DOM imports so that it bundles into the preload, the renderer and main alike.
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { describeIssue } from './request-errors';

// zod/mini, not classic zod: the same schemas tree-shaken, built in a fraction of the time (every
// CLI command starts by loading this file). Mini ships without messages; these are classic's.
z.config(en());

// ---------------------------------------------------------------------------------------------
// Shared value schemas

/** Limits that keep hostile payloads cheap to reject. */
export const LIMITS = {
  name: 128,
  /** Object keys: 1,024 bytes of UTF-8 at most (the services allow 1,023/1,024). */
  keyBytes: 1024,
  text: 8192,
  listPage: 1000,
  batch: 1000,
  /** A desktop file is sent with one PUT: S3's and OSS's limit for it. */
  uploadBytes: 5 * 1024 ** 3,
  /** Base64 characters per upload chunk: 512 KiB of bytes, well inside the web host's 1 MiB frame. */
  uploadChunkBase64: 4 * Math.ceil((512 * 1024) / 3),
  /** The largest part (and multipart threshold) every dialect accepts: S3's and OSS's 5 GiB. */
  partSizeMax: 5 * 1024 ** 3,
  /** The smallest part size a setting may ask for: OSS's minimum (S3's 5 MiB is applied per copy). */
  partSizeSettingMin: 100 * 1024,
  /** Parts per multipart upload, on every dialect. */
  partsMax: 10_000,
} as const;

/**
 * A string's UTF-8 length, counted here because TextEncoder is a DOM and Node global, not part of
 * the language this shared file is checked against. A lone surrogate counts 3 bytes: TextEncoder
 * sends it as U+FFFD.
 */
export function utf8Bytes(s: string): number {
  let bytes = 0;
  for (const char of s) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

export const Id = z
  .string()
  .check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, 'ids are letters, digits, _ and -'));
export const ProfileId = Id;
export const TaskId = Id;
/** Bucket names as the services define them, plus dotted names S3 still allows. */
export const BucketName = z
  .string()
  .check(
    z.minLength(3),
    z.maxLength(63),
    z.regex(
      /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
      'bucket names are 3–63 lower-case letters, digits, hyphens or dots',
    ),
  );
export const ObjectKey = z.string().check(
  z.minLength(1),
  z.refine((k) => utf8Bytes(k) <= LIMITS.keyBytes, {
    message: `keys are at most ${LIMITS.keyBytes} bytes of UTF-8`,
  }),
);
/** A prefix may be empty (the bucket root). */
export const Prefix = z.string().check(
  z.refine((k) => utf8Bytes(k) <= LIMITS.keyBytes, {
    message: `prefixes are at most ${LIMITS.keyBytes} bytes`,
  }),
);
const Text = z.string().check(z.maxLength(LIMITS.text));

/** `computer` is the built-in "This computer": the user's own disk, its roots as buckets. */
export const ProviderKind = z.enum(['oss', 's3', 'local', 'computer']);
export type ProviderKind = z.infer<typeof ProviderKind>;

/** `bucket` or `bucket/folder/…`: where an account's panes open. */
export const StartPath = z
  .string()
  .check(
    z.maxLength(1100),
    z.regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/,
      'the start path is a bucket name, optionally followed by /folder/',
    ),
  );

export const Profile = z.object({
  id: ProfileId,
  name: z.string().check(z.minLength(1), z.maxLength(LIMITS.name)),
  provider: ProviderKind,
  endpoint: z.optional(z.string().check(z.maxLength(2048))),
  region: z.optional(z.string().check(z.maxLength(64))),
  pathStyle: z.optional(z.boolean()),
  /** OSS signature version; V4 unless an old account needs V1. */
  signatureVersion: z.optional(z.enum(['v1', 'v4'])),
  readOnly: z.optional(z.boolean()),
  /** `bucket/path` a pane opens at, for keys that may not list buckets (common for OSS RAM users). */
  startPath: z.optional(StartPath),
  /** Not a secret: shown so a person can tell which key an account signs with. */
  accessKeyId: z.optional(z.string().check(z.maxLength(256))),
  /** Where its secret lives — never the secret itself. */
  secretStore: z.enum(['none', 'safe-storage', 'encrypted-file', 'environment']),
  hasSessionToken: z.optional(z.boolean()),
});
export type Profile = z.infer<typeof Profile>;

export const ProfileInput = z.object({
  id: z.optional(ProfileId),
  name: z.string().check(z.minLength(1), z.maxLength(LIMITS.name)),
  provider: z.enum(['oss', 's3']),
  endpoint: z.string().check(z.minLength(1), z.maxLength(2048)),
  region: z.string().check(z.minLength(1), z.maxLength(64)),
  pathStyle: z.optional(z.boolean()),
  signatureVersion: z.optional(z.enum(['v1', 'v4'])),
  readOnly: z.optional(z.boolean()),
  startPath: z.optional(z.union([StartPath, z.literal('')])),
  /** Omitted on edit to keep the stored keys; a secret alone keeps the saved access key id. */
  accessKeyId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  secretAccessKey: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  securityToken: z.optional(z.string().check(z.maxLength(8192))),
});
export type ProfileInput = z.infer<typeof ProfileInput>;

export const StorageErrorInfo = z.object({
  status: z.number(),
  code: z.string(),
  message: z.string(),
  requestId: z.optional(z.string()),
  hostId: z.optional(z.string()),
  ec: z.optional(z.string()),
});
export type StorageErrorInfo = z.infer<typeof StorageErrorInfo>;

export const Bucket = z.object({
  name: z.string(),
  region: z.optional(z.string()),
  creationDate: z.optional(z.string()),
});
export type Bucket = z.infer<typeof Bucket>;

/** A symbolic link in a listing of this computer: shown, never followed (`resolved`: where a pane opens it). */
export const LinkInfo = z.object({
  target: z.string(),
  targetKind: z.enum(['file', 'folder', 'missing', 'other']),
  resolved: z.optional(z.object({ bucket: z.string(), key: z.string() })),
});
export type LinkInfo = z.infer<typeof LinkInfo>;

export const ObjectRow = z.object({
  key: z.string(),
  size: z.number(),
  etag: z.string(),
  lastModified: z.string(),
  storageClass: z.optional(z.string()),
  link: z.optional(LinkInfo),
});
export type ObjectRow = z.infer<typeof ObjectRow>;

export const Metadata = z.object({
  contentType: z.optional(Text),
  cacheControl: z.optional(Text),
  contentDisposition: z.optional(Text),
  contentEncoding: z.optional(Text),
  contentLanguage: z.optional(Text),
  expires: z.optional(Text),
  userMeta: z.record(
    z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(128),
        z.regex(/^[a-z0-9-]+$/, 'metadata names are lower-case letters, digits and hyphens'),
      ),
    Text,
  ),
});
export type Metadata = z.infer<typeof Metadata>;

export const ObjectDetails = z.object({
  key: z.string(),
  size: z.number(),
  etag: z.string(),
  lastModified: z.string(),
  versionId: z.optional(z.string()),
  crc64: z.optional(z.string()),
  storageClass: z.optional(z.string()),
  metadata: Metadata,
});
export type ObjectDetails = z.infer<typeof ObjectDetails>;

export const Location = z.object({ profileId: ProfileId, bucket: BucketName, prefix: Prefix });
export type Location = z.infer<typeof Location>;

/** A folder of this computer as a bucket (a root or drive) and a prefix in it. */
export const ComputerFolder = z.object({ bucket: BucketName, prefix: Prefix });

/** A place "This computer" offers in the sidebar. */
export const ComputerPlace = z.object({
  kind: z.enum(['home', 'downloads', 'desktop', 'documents', 'pinned', 'root']),
  /** The folder's own name (`Downloads`), or the root as written (`/`, `C:\`). */
  name: z.string(),
  /** The whole path as the person writes it. */
  path: z.string(),
  bucket: z.string(),
  prefix: z.string(),
  /** A pinned folder that is not there now (a drive unplugged); it stays pinned. */
  missing: z.optional(z.boolean()),
});
export type ComputerPlace = z.infer<typeof ComputerPlace>;

export const CopySource = z.object({
  profileId: ProfileId,
  bucket: BucketName,
  /** An object key, or a prefix ending in the delimiter when `isFolder`. */
  key: ObjectKey,
  isFolder: z.boolean(),
});
export type CopySource = z.infer<typeof CopySource>;

/** A part above 5 GiB fails every multipart copy on every service: refused when it is set, not at each copy. */
const atMostPartSizeMax = (what: string) =>
  z.maximum(LIMITS.partSizeMax, {
    error: `the ${what} is at most 5 GiB (the storage services' limit for a part)`,
  });

/** `skip` leaves any existing object alone; `skip-if-same` only one that holds the same content. */
export const ConflictPolicy = z.enum(['overwrite', 'skip', 'skip-if-same', 'keep-both']);
export type ConflictPolicy = z.infer<typeof ConflictPolicy>;

export const CopyOptions = z.object({
  metadataDirective: z.enum(['COPY', 'REPLACE']),
  /** With REPLACE: the metadata the copies get. */
  metadata: z.optional(Metadata),
  /**
   * With REPLACE: only the fields `metadata` names change (user metadata pairs are added or
   * changed); each object keeps its own value for every other field. Without it, every object gets
   * exactly `metadata`.
   */
  metadataMerge: z.optional(z.boolean()),
  storageClass: z.optional(z.string().check(z.maxLength(64))),
  conflict: ConflictPolicy,
  /** Move = copy, then delete each source after its copy is verified. */
  move: z.optional(z.boolean()),
  multipartThreshold: z.optional(z.int().check(z.positive(), atMostPartSizeMax('multipart threshold'))),
  partSize: z.optional(z.int().check(z.positive(), atMostPartSizeMax('part size'))),
});
export type CopyOptions = z.infer<typeof CopyOptions>;

export const TaskState = z.enum(['queued', 'running', 'paused', 'done', 'failed', 'cancelled']);
export type TaskState = z.infer<typeof TaskState>;

export const TaskKind = z.enum(['object', 'folder']);
export const TaskStrategy = z.enum(['copy-object', 'multipart-copy', 'stream', 'folder']);

export const TaskProgress = z.object({
  id: TaskId,
  bytesDone: z.number(),
  bytesTotal: z.number(),
  /** Bytes per second over the last few seconds. */
  rate: z.number(),
  /** Seconds left, or null while unknown. */
  etaSeconds: z.nullable(z.number()),
  partsDone: z.number(),
  partsTotal: z.number(),
  objectsDone: z.number(),
  objectsTotal: z.nullable(z.number()),
  /**
   * The object and byte totals are final. A folder's totals grow while its listing runs; until it
   * ends they are only what has been counted so far, and no percentage or ETA can be drawn from them.
   * Absent in records written before this field existed: read as not known.
   */
  totalKnown: z.optional(z.boolean()),
  /** Parts being copied right now (server-side part copies report no bytes until they finish). */
  partsInFlight: z.optional(z.number()),
  /** `bytesDone` includes an estimate for parts still being copied server-side. */
  bytesEstimated: z.optional(z.boolean()),
});
export type TaskProgress = z.infer<typeof TaskProgress>;

/** A task paused because an account's temporary credentials expired: edit that account to go on. */
export const CredentialsExpired = z.object({
  profileId: ProfileId,
  code: z.string(),
  message: z.string(),
});
export type CredentialsExpired = z.infer<typeof CredentialsExpired>;

export const TaskSummary = z.object({
  id: TaskId,
  kind: TaskKind,
  strategy: z.optional(TaskStrategy),
  state: TaskState,
  source: z.object({ profileId: ProfileId, bucket: z.string(), key: z.string() }),
  destination: z.object({ profileId: ProfileId, bucket: z.string(), key: z.string() }),
  createdAt: z.string(),
  finishedAt: z.optional(z.string()),
  /** True when this task was reloaded from its checkpoint after a restart. */
  resumedAfterRestart: z.boolean(),
  progress: TaskProgress,
  error: z.optional(StorageErrorInfo),
  move: z.optional(z.boolean()),
  /** Paused (not failed) until new keys for this account are saved; nothing done is lost. */
  credentialsExpired: z.optional(CredentialsExpired),
});
export type TaskSummary = z.infer<typeof TaskSummary>;

/** Where a pane was, so both reopen there after a restart. */
export const SavedPane = z.object({
  profileId: z.optional(ProfileId),
  bucket: z.optional(BucketName),
  prefix: Prefix,
  sortBy: z.optional(z.enum(['name', 'size', 'date', 'type'])),
  descending: z.optional(z.boolean()),
});
export type SavedPane = z.infer<typeof SavedPane>;

export const Settings = z.object({
  objectsInFlight: z.int().check(z.minimum(1), z.maximum(256)),
  partsInFlight: z.int().check(z.minimum(1), z.maximum(64)),
  multipartThreshold: z.int().check(z.minimum(1), atMostPartSizeMax('multipart threshold')),
  partSize: z
    .int()
    .check(
      z.minimum(LIMITS.partSizeSettingMin, { error: 'the part size is at least 100 KiB' }),
      atMostPartSizeMax('part size'),
    ),
  language: z.enum(['system', 'en', 'zh-CN']),
  theme: z.enum(['system', 'light', 'dark']),
  panes: z.optional(z.object({ left: SavedPane, right: SavedPane })),
  /** What a copy does when a name exists, unless the person picks otherwise in that dialog. */
  defaultConflict: ConflictPolicy,
  /** False once "Don't ask again for simple copies" is chosen: a drop with no conflict starts at once. */
  confirmSimpleCopies: z.boolean(),
  /** Folders of this computer pinned under "This computer" in the sidebar. */
  pinnedFolders: z.optional(z.array(ComputerFolder).check(z.maxLength(50))),
});
export type Settings = z.infer<typeof Settings>;

export const LogLine = z.object({
  time: z.string(),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  message: z.string(),
  requestId: z.optional(z.string()),
  taskId: z.optional(z.string()),
});
export type LogLine = z.infer<typeof LogLine>;

export const OrphanUpload = z.object({
  key: z.string(),
  uploadId: z.string(),
  initiated: z.string(),
  ours: z.boolean(),
});
export type OrphanUpload = z.infer<typeof OrphanUpload>;

// ---------------------------------------------------------------------------------------------
// Requests

const Void = z.optional(z.undefined());

function request<A extends z.ZodMiniType, R extends z.ZodMiniType>(arg: A, result: R) {
  return { arg, result };
}

// Built by one call marked pure: a bundle that never looks a request up (the CLI) drops all of
// these schemas instead of building them at every start.
export const requests = /* @__PURE__ */ defineRequests();

function defineRequests() {
  return {
    'host.info': request(
      Void,
      z.object({
        kind: z.enum(['electron', 'web']),
        version: z.string(),
        dataDir: z.string(),
        platform: z.string(),
        /** The log file the log view's lines are also written to. */
        logFile: z.string(),
      }),
    ),

    'profiles.list': request(Void, z.array(Profile)),
    'profiles.save': request(ProfileInput, Profile),
    'profiles.remove': request(z.object({ id: ProfileId }), z.object({ removed: z.boolean() })),
    /** Tries the account a form describes, before it is saved (a saved account's keys fill the gaps). */
    'profiles.testDraft': request(
      ProfileInput,
      z.object({ ok: z.boolean(), message: z.string(), requestId: z.optional(z.string()) }),
    ),
    'profiles.test': request(
      z.object({ id: ProfileId }),
      z.object({ ok: z.boolean(), message: z.string(), requestId: z.optional(z.string()) }),
    ),

    'storage.listBuckets': request(z.object({ profileId: ProfileId }), z.array(Bucket)),
    'storage.listObjects': request(
      z.object({
        profileId: ProfileId,
        bucket: BucketName,
        prefix: Prefix,
        delimiter: z.optional(z.literal('/')),
        continuationToken: z.optional(z.string().check(z.maxLength(4096))),
        maxKeys: z.optional(z.int().check(z.minimum(1), z.maximum(LIMITS.listPage))),
      }),
      z.object({
        objects: z.array(ObjectRow),
        prefixes: z.array(z.string()),
        nextToken: z.optional(z.string()),
      }),
    ),
    'storage.headObject': request(
      z.object({ profileId: ProfileId, bucket: BucketName, key: ObjectKey }),
      ObjectDetails,
    ),
    'storage.presign': request(
      z.object({
        profileId: ProfileId,
        bucket: BucketName,
        key: ObjectKey,
        expiresSeconds: z.int().check(z.minimum(1), z.maximum(604800)),
      }),
      z.object({ url: z.optional(z.string()) }),
    ),
    'storage.deleteObjects': request(
      z.object({
        profileId: ProfileId,
        bucket: BucketName,
        keys: z.array(ObjectKey).check(z.minLength(1), z.maxLength(LIMITS.batch)),
      }),
      z.object({
        deleted: z.number(),
        errors: z.array(z.object({ key: z.string(), code: z.string(), message: z.string() })),
      }),
    ),

    'tasks.list': request(Void, z.array(TaskSummary)),
    'tasks.copy': request(
      z.object({
        sources: z.array(CopySource).check(z.minLength(1), z.maxLength(LIMITS.batch)),
        destination: Location,
        options: CopyOptions,
      }),
      z.object({ taskIds: z.array(TaskId) }),
    ),
    'tasks.pause': request(z.object({ id: TaskId }), z.object({ state: TaskState })),
    'tasks.resume': request(z.object({ id: TaskId }), z.object({ state: TaskState })),
    'tasks.cancel': request(z.object({ id: TaskId }), z.object({ state: TaskState })),
    'tasks.retry': request(z.object({ id: TaskId }), z.object({ state: TaskState })),
    'tasks.pauseAll': request(Void, z.object({ count: z.number() })),
    'tasks.resumeAll': request(Void, z.object({ count: z.number() })),
    'tasks.clearFinished': request(Void, z.object({ count: z.number() })),
    'tasks.remove': request(z.object({ id: TaskId }), z.object({ removed: z.boolean() })),

    'orphans.list': request(z.object({ profileId: ProfileId, bucket: BucketName }), z.array(OrphanUpload)),
    'orphans.abort': request(
      z.object({
        profileId: ProfileId,
        bucket: BucketName,
        uploads: z
          .array(z.object({ key: ObjectKey, uploadId: z.string().check(z.minLength(1), z.maxLength(1024)) }))
          .check(z.maxLength(LIMITS.batch)),
      }),
      z.object({ aborted: z.number() }),
    ),

    /** Home, Downloads, Desktop, Documents (those that exist), pinned folders and the roots. */
    'computer.places': request(Void, z.array(ComputerPlace)),
    'computer.pin': request(ComputerFolder, z.array(ComputerPlace)),
    'computer.unpin': request(ComputerFolder, z.array(ComputerPlace)),
    /**
     * Paths of files dropped from the desktop (Electron gives them) as addresses of this computer;
     * each is checked on the disk, so a folder is a folder and a path that is gone says so.
     */
    'computer.resolvePaths': request(
      z.object({
        paths: z
          .array(z.string().check(z.minLength(1), z.maxLength(4096)))
          .check(z.minLength(1), z.maxLength(LIMITS.batch)),
      }),
      z.array(
        z.object({
          path: z.string(),
          bucket: z.optional(z.string()),
          key: z.optional(z.string()),
          isFolder: z.optional(z.boolean()),
          error: z.optional(z.string()),
        }),
      ),
    ),

    'settings.get': request(Void, Settings),
    'settings.set': request(z.partial(Settings), Settings),

    'logs.tail': request(z.object({ limit: z.int().check(z.minimum(1), z.maximum(5000)) }), z.array(LogLine)),

    /** Files dragged in from the desktop: begin, append the bytes in order in base64 chunks, finish. */
    'uploads.begin': request(
      z.object({
        profileId: ProfileId,
        bucket: BucketName,
        key: ObjectKey,
        size: z.int().check(z.minimum(0), z.maximum(LIMITS.uploadBytes)),
        contentType: z.optional(z.string().check(z.maxLength(256))),
        /** What to do when the key exists; overwrite unless given. */
        conflict: z.optional(ConflictPolicy),
      }),
      z.object({ uploadId: Id }),
    ),
    'uploads.append': request(
      z.object({
        uploadId: Id,
        offset: z.int().check(z.minimum(0), z.maximum(LIMITS.uploadBytes)),
        data: z
          .string()
          .check(
            z.maxLength(LIMITS.uploadChunkBase64),
            z.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'chunks are base64'),
          ),
      }),
      z.object({ received: z.number() }),
    ),
    'uploads.finish': request(
      z.object({ uploadId: Id }),
      /** `key` is where the file went (a keep-both name); `skipped` when an existing object was kept. */
      z.object({ etag: z.string(), key: z.string(), skipped: z.boolean() }),
    ),
    'uploads.abort': request(z.object({ uploadId: Id }), z.object({ aborted: z.boolean() })),
  } as const;
}

export type RequestName = keyof typeof requests;
export type RequestArg<N extends RequestName> = z.input<(typeof requests)[N]['arg']>;
export type RequestResult<N extends RequestName> = z.output<(typeof requests)[N]['result']>;

// ---------------------------------------------------------------------------------------------
// Events pushed by the main process

export const events = {
  'task.progress': TaskProgress,
  'task.state': TaskSummary,
  'log.line': LogLine,
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
export type EventMessage = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];

// ---------------------------------------------------------------------------------------------
// Errors and the bridge both hosts expose

/** What every failed request resolves to on the renderer side: a typed error, never a crash. */
export const ContractError = z.object({
  /** `InvalidRequest` for schema failures, `UnknownRequest`, or the service's own code. */
  code: z.string(),
  message: z.string(),
  status: z.optional(z.number()),
  requestId: z.optional(z.string()),
  hostId: z.optional(z.string()),
  issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});
export type ContractError = z.infer<typeof ContractError>;

export type Reply<N extends RequestName> =
  { ok: true; result: RequestResult<N> } | { ok: false; error: ContractError };

/** The API the renderer sees as `window.ferry`, identical under Electron and the web host. */
export interface FerryApi {
  invoke<N extends RequestName>(name: N, arg: RequestArg<N>): Promise<Reply<N>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * Electron only: where a File dropped from the desktop is on this computer ('' for one that has
   * no path). The web host cannot know, and leaves it out. `file` is a DOM File (not typed here:
   * this file sees no DOM).
   */
  pathForFile?(file: unknown): string;
}

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requests, name);
}

/** Validates an untrusted request at a host boundary. */
export function parseRequest(
  name: unknown,
  arg: unknown,
): { ok: true; name: RequestName; arg: unknown } | { ok: false; error: ContractError } {
  if (!isRequestName(name)) {
    return {
      ok: false,
      error: { code: 'UnknownRequest', message: `unknown request: ${String(name).slice(0, 64)}` },
    };
  }
  const parsed = requests[name].arg.safeParse(arg);
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'InvalidRequest',
        message: parsed.error.issues[0] ? describeIssue(parsed.error.issues[0]) : 'The request is malformed.',
        issues: parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    };
  }
  return { ok: true, name, arg: parsed.data };
}

export const IPC_INVOKE_CHANNEL = 'ferry:invoke';
export const IPC_EVENT_CHANNEL = 'ferry:event';
