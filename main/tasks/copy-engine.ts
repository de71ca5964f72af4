/**
 * The copy engine's task queue: records each task before its first request, runs tasks with
 * global and per-endpoint limits on objects and parts in flight, and pauses, resumes, cancels and
 * retries them. Every change is checkpointed (checkpoints.ts) so `start()` after a restart — or a
 * SIGKILL — picks each unfinished task up where it was. Uploads no task will finish are handled in
 * orphan-uploads.ts.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type {
  CopyOptions,
  CopySource,
  Location,
  OrphanUpload,
  TaskState,
  TaskSummary,
} from '../../preload/shared/contract';
import type { DataDirLayout } from '../core/data-dir';
import type { EventBus } from '../core/events';
import type { Logger } from '../core/logger';
import type { SettingsStore } from '../core/settings';
import { StorageError, errorInfo } from '../storage/errors';
import type { ObjectStore } from '../storage/provider';
import { isCode, type Endpoint, type ObjectCopyContext } from '../copy/context';
import { folderCopy, newFolderState } from '../copy/folder-copy';
import { newJob, type ObjectJob } from '../copy/job';
import { asFolderPrefix, folderDestinationPrefix, objectDestinationKey } from '../../preload/shared/keys';
import { ScopedLimits, settleAll } from '../copy/limiter';
import { DestinationClaims } from '../copy/claims';
import { runObjectJob } from '../copy/object-job';
import { assertNotIntoItself } from '../copy/self-copy';
import { acquireEngineLock, type EngineLock } from './engine-lock';
import { CheckpointStore, type CorruptCheckpoint } from './checkpoints';
import { TaskHistory } from './history';
import { PartRates, PartsInFlight } from './parts-in-flight';
import { ProgressMeter, withPartsInFlight } from './progress';
import { FINISHED, completeJob, countersOf, jobsOf, summaryOf, type TaskRecord } from './task-record';
import type { TaskService } from './task-service';
import { MultipartUploadRegistry } from './multipart-upload-registry';
import { OrphanUploads } from './orphan-uploads';
import { credentialsExpired, expiredAccount } from './credentials-pause';

export interface CopyEngineDeps {
  layout: Pick<DataDirLayout, 'checkpoints'>;
  stores: { storeFor(profileId: string): ObjectStore };
  settings: Pick<SettingsStore, 'get'>;
  bus: EventBus;
  /** `redact` keeps secrets a server quoted out of stored and sent errors (errorInfo). */
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error' | 'redact'>;
  /** Limits per endpoint (profile); each defaults to the global setting. */
  perEndpoint?: { objectsInFlight?: number; partsInFlight?: number };
  historyLimit?: number;
  /** Who runs this engine (`web`, `electron`, `cli`), named to a second engine the lock refuses. */
  owner?: string;
  /** Keys per folder listing page (the services' 1,000 unless a test needs many pages from few keys). */
  listPageSize?: number;
  /**
   * Removes what a killed run left in the data folder (the Local provider's temp files). Called once
   * the lock is held and never otherwise: a process without it (`ferry ls` while the app copies)
   * must not remove a file the app is writing. Returns what it removed, for the log.
   */
  sweepLeftovers?: () => Promise<string[]>;
}

type StopReason = 'pause' | 'cancel' | 'close' | 'credentials';

interface LiveTask {
  record: TaskRecord;
  resumedAfterRestart: boolean;
  meter: ProgressMeter;
  /** Bytes of parts still in flight: streamed as they flow, server-side ones estimated. */
  inFlight: PartsInFlight;
  controller?: AbortController;
  runner?: Promise<void>;
  stopReason?: StopReason;
  /** The refusal that stopped the task for new credentials (credentials-pause.ts). */
  credentialsError?: unknown;
}

/** How often a task's checkpoint records finished objects of a folder or parts of an upload, at most. */
const FINISHED_WORK_CHECKPOINT_MS = 100;

const newTaskId = () => `t${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;

export class CopyEngine implements TaskService {
  readonly checkpoints: CheckpointStore;
  /** Destination keys live tasks write: keep-both never picks one of them (claims.ts). */
  private readonly claims: DestinationClaims;
  readonly uploads: MultipartUploadRegistry;
  private readonly orphans: OrphanUploads;
  readonly history: TaskHistory;
  private readonly live = new Map<string, LiveTask>();
  private readonly waiters = new Map<string, ((s: TaskSummary) => void)[]>();
  private readonly objects: ScopedLimits;
  private readonly parts: ScopedLimits;
  /** Measured server-side part-copy rates, shared by tasks so a new copy can be estimated at once. */
  private readonly partRates = new PartRates();
  private readonly corrupt: CorruptCheckpoint[] = [];
  private seq = 0;
  private started = false;
  private lock: EngineLock | undefined;
  private closed = false;

  constructor(private readonly deps: CopyEngineDeps) {
    this.checkpoints = new CheckpointStore(deps.layout.checkpoints);
    this.uploads = new MultipartUploadRegistry(path.join(deps.layout.checkpoints, 'uploads.json'));
    this.orphans = new OrphanUploads({
      stores: deps.stores,
      registry: this.uploads,
      logger: deps.logger,
      inUse: () => this.uploadsInUse(),
      isRunning: (taskId) => Boolean(this.live.get(taskId)?.runner),
    });
    this.history = new TaskHistory(path.join(deps.layout.checkpoints, 'history.json'), deps.historyLimit);
    this.claims = new DestinationClaims();
    const s = () => deps.settings.get();
    this.objects = new ScopedLimits(
      () => s().objectsInFlight,
      () => deps.perEndpoint?.objectsInFlight ?? s().objectsInFlight,
    );
    this.parts = new ScopedLimits(
      () => s().partsInFlight,
      () => deps.perEndpoint?.partsInFlight ?? s().partsInFlight,
    );
  }

  // ------------------------------------------------------------------------------------------
  // Lifecycle

  async start(options: { autoResume?: boolean } = {}): Promise<void> {
    if (this.started) return;
    await mkdir(this.deps.layout.checkpoints, { recursive: true, mode: 0o700 });
    // Before anything is loaded: a second engine on this folder would run the same tasks twice.
    this.lock = acquireEngineLock(
      path.join(this.deps.layout.checkpoints, 'engine.lock'),
      this.deps.owner ?? 'ferry',
    );
    this.started = true;
    await this.sweepLeftovers();
    const { tasks, corrupt } = await this.checkpoints.loadAll();
    for (const c of corrupt) {
      this.corrupt.push(c);
      this.deps.logger.error(`checkpoint ${c.file} is not trusted: ${c.reason}; moved to ${c.movedTo}`);
    }
    for (const record of tasks) {
      if (record.state === 'running' || record.state === 'queued')
        record.state = options.autoResume === false ? 'paused' : 'queued';
      if (record.state === 'done' || record.state === 'cancelled') {
        await this.checkpoints.remove(record.id);
        continue;
      }
      record.seq = this.seq++;
      // Names keep-both chose before the restart are this task's again before any new task chooses.
      if (record.options.conflict === 'keep-both')
        for (const job of jobsOf(record))
          if (job.conflictResolved)
            this.claims.claim(record.id, record.destination.profileId, record.destination.bucket, job.dstKey);
      const live = this.track(record, true);
      this.deps.logger.info(`reloaded task ${record.id} (${record.state}) from its checkpoint`, {
        taskId: record.id,
      });
      this.emitState(live);
    }
    void this.orphans.sweepRegistry();
    this.pump();
  }

  private async sweepLeftovers(): Promise<void> {
    try {
      const removed = (await this.deps.sweepLeftovers?.()) ?? [];
      if (removed.length)
        this.deps.logger.info(
          `removed ${removed.length} temp file(s) left by an interrupted run: ${removed.join(', ')}`,
        );
    } catch (err) {
      this.deps.logger.warn(
        `could not remove temp files left by an interrupted run: ${(err as Error).message}`,
      );
    }
  }

  /**
   * The task list as the data folder records it, without starting the engine or writing anything:
   * for a look at a folder that cannot be written, or whose tasks another Ferry is running.
   * `runningElsewhere`: that other Ferry runs the unfinished tasks; otherwise they show as paused,
   * which is what they become at the next start.
   */
  async peek(runningElsewhere: boolean): Promise<{
    tasks: TaskSummary[];
    untrusted: { file: string; reason: string }[];
  }> {
    const { tasks, untrusted } = await this.checkpoints.readAll();
    const ids = new Set(tasks.map((t) => t.id));
    const past = this.history
      .list()
      .filter((e) => !ids.has(e.summary.id))
      .map((e) => e.summary);
    const current = tasks
      .filter((t) => t.state !== 'done' && t.state !== 'cancelled')
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((record) => {
        const state =
          !runningElsewhere && (record.state === 'running' || record.state === 'queued')
            ? 'paused'
            : record.state;
        return summaryOf(
          { ...record, state },
          { id: record.id, ...countersOf(record), rate: 0, etaSeconds: null },
          false,
        );
      });
    return { tasks: [...past, ...current], untrusted };
  }

  async close(): Promise<void> {
    this.closed = true;
    const running = [...this.live.values()].filter((l) => l.runner);
    for (const l of running) this.stop(l, 'close');
    await Promise.allSettled(running.map((l) => l.runner));
    await this.checkpoints.flush();
    this.lock?.release();
    this.lock = undefined;
  }

  /** Checkpoints found damaged or foreign at start, moved to `checkpoints/corrupt/`. */
  corruptCheckpoints(): CorruptCheckpoint[] {
    return [...this.corrupt];
  }

  // ------------------------------------------------------------------------------------------
  // Queries

  list(): TaskSummary[] {
    const liveIds = new Set(this.live.keys());
    const past = this.history
      .list()
      .filter((e) => !liveIds.has(e.summary.id))
      .map((e) => e.summary);
    const current = [...this.live.values()]
      .sort((a, b) => a.record.seq - b.record.seq)
      .map((l) => this.summary(l));
    return [...past, ...current];
  }

  get(id: string): TaskSummary | undefined {
    const live = this.live.get(id);
    return live ? this.summary(live) : this.history.get(id)?.summary;
  }

  waitFor(id: string): Promise<TaskSummary> {
    const now = this.get(id);
    if (!now)
      return Promise.reject(
        new StorageError({ status: 404, code: 'NoSuchTask', message: `there is no task "${id}"` }),
      );
    if (FINISHED.includes(now.state) || now.credentialsExpired) return Promise.resolve(now);
    return new Promise((resolve) => this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve]));
  }

  // ------------------------------------------------------------------------------------------
  // Commands

  async copy(
    sources: CopySource[],
    destination: Location,
    options: CopyOptions,
    extra: { priority?: number } = {},
  ): Promise<string[]> {
    const ids: string[] = [];
    // Every source is checked before any is queued: a refused one leaves no half-queued request.
    const records = sources.map((source) =>
      this.newRecord(newTaskId(), source, destination, options, extra.priority ?? 0),
    );
    for (const record of records) {
      const { source } = record;
      // Recorded before any request: a kill from now on leaves a task to resume.
      await this.checkpoints.save(record);
      const live = this.track(record, false);
      this.deps.logger.info(
        `queued ${record.kind} copy ${source.profileId}:${source.bucket}/${source.key} → ${destination.profileId}:${destination.bucket}/${record.destinationKey}`,
        { taskId: record.id },
      );
      this.emitState(live);
      ids.push(record.id);
    }
    this.pump();
    return ids;
  }

  async pause(id: string): Promise<TaskState> {
    const live = this.requireLive(id);
    if (!live) return this.stateOf(id);
    if (live.runner) {
      this.stop(live, 'pause');
      await live.runner.catch(() => undefined);
    } else if (live.record.state === 'queued') {
      await this.setState(live, 'paused');
    }
    return live.record.state;
  }

  async resume(id: string): Promise<TaskState> {
    const live = this.requireLive(id);
    if (!live) return this.stateOf(id);
    if (live.record.state === 'paused') {
      // Tried with the keys saved now; still refused, it pauses again the same way.
      delete live.record.credentialsExpired;
      await this.setState(live, 'queued');
      this.pump();
    }
    return live.record.state;
  }

  async cancel(id: string): Promise<TaskState> {
    const live = this.requireLive(id);
    if (!live) return this.stateOf(id);
    if (live.runner) {
      this.stop(live, 'cancel');
      await live.runner.catch(() => undefined);
    }
    await this.discardUploads(live.record);
    await this.checkpoints.remove(id);
    live.record.state = 'cancelled';
    live.record.finishedAt = new Date().toISOString();
    await this.finish(live);
    this.deps.logger.info(`cancelled task ${id}`, { taskId: id });
    return 'cancelled';
  }

  async retry(id: string): Promise<TaskState> {
    const live = this.live.get(id);
    if (live) {
      if (live.record.state !== 'failed') return live.record.state;
      delete live.record.error;
      delete live.record.finishedAt;
      for (const job of jobsOf(live.record)) delete job.error;
      await this.setState(live, 'queued');
      await this.history.remove(new Set([id]));
      this.pump();
      return 'queued';
    }
    const past = this.history.get(id);
    if (!past)
      throw new StorageError({ status: 404, code: 'NoSuchTask', message: `there is no task "${id}"` });
    if (past.summary.state !== 'failed' && past.summary.state !== 'cancelled') return past.summary.state;
    const { source, destination, options, priority } = past.request;
    const record = this.newRecord(id, source, destination, options, priority);
    await this.checkpoints.save(record);
    await this.history.remove(new Set([id]));
    this.emitState(this.track(record, false));
    this.pump();
    return 'queued';
  }

  async pauseAll(): Promise<number> {
    const targets = [...this.live.values()].filter(
      (l) => l.record.state === 'queued' || l.record.state === 'running',
    );
    await Promise.all(targets.map((l) => this.pause(l.record.id)));
    return targets.length;
  }

  async credentialsRenewed(profileId: string): Promise<number> {
    const waiting = [...this.live.values()].filter(
      (l) => l.record.state === 'paused' && l.record.credentialsExpired?.profileId === profileId,
    );
    for (const l of waiting) {
      this.deps.logger.info(`new keys for account ${profileId}: resuming task ${l.record.id}`, {
        taskId: l.record.id,
      });
      await this.resume(l.record.id);
    }
    return waiting.length;
  }

  async resumeAll(): Promise<number> {
    const targets = [...this.live.values()].filter((l) => l.record.state === 'paused');
    for (const l of targets) await this.resume(l.record.id);
    return targets.length;
  }

  /** Clears done and cancelled tasks. Failed ones are not finished: they stay until retried or removed. */
  async clearFinished(): Promise<number> {
    const ids = new Set(
      this.history
        .list()
        .filter((e) => e.summary.state !== 'failed')
        .map((e) => e.summary.id),
    );
    await this.history.remove(ids);
    return ids.size;
  }

  /** Removes one task that is not running: done, cancelled or failed (its leftover parts aborted). */
  async remove(id: string): Promise<boolean> {
    const live = this.live.get(id);
    if (live) {
      if (live.record.state !== 'failed')
        throw new StorageError({
          status: 409,
          code: 'TaskNotFinished',
          message: `task "${id}" is ${live.record.state}: cancel it before removing it`,
        });
      await this.discardUploads(live.record);
      await this.checkpoints.remove(id);
      this.live.delete(id);
      this.claims.release(id);
    } else if (!this.history.get(id)) return false;
    await this.history.remove(new Set([id]));
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Orphan uploads

  listOrphans(profileId: string, bucket: string): Promise<OrphanUpload[]> {
    return this.orphans.list(profileId, bucket);
  }

  abortOrphans(
    profileId: string,
    bucket: string,
    uploads: { key: string; uploadId: string }[],
  ): Promise<number> {
    return this.orphans.abort(profileId, bucket, uploads);
  }

  private uploadsInUse(): Set<string> {
    const ids = new Set<string>();
    for (const l of this.live.values())
      for (const job of jobsOf(l.record)) if (job.uploadId) ids.add(job.uploadId);
    return ids;
  }

  // ------------------------------------------------------------------------------------------
  // Scheduling

  private pump(): void {
    if (this.closed) return;
    const capacity = Math.max(1, this.deps.settings.get().objectsInFlight);
    let running = [...this.live.values()].filter((l) => l.runner).length;
    const queued = [...this.live.values()]
      .filter((l) => l.record.state === 'queued' && !l.runner)
      .sort((a, b) => b.record.priority - a.record.priority || a.record.seq - b.record.seq);
    for (const live of queued) {
      if (running >= capacity) break;
      running++;
      const runner = this.run(live);
      live.runner = runner;
      void runner.finally(() => {
        if (live.runner === runner) live.runner = undefined;
        this.pump();
      });
    }
  }

  private async run(live: LiveTask): Promise<void> {
    const task = live.record;
    const controller = new AbortController();
    live.controller = controller;
    live.stopReason = undefined;
    const { signal } = controller;
    // Every request in flight listens on this one signal: dozens at once are expected, not a leak.
    setMaxListeners(0, signal);
    try {
      // 'running' is written with the task's next checkpoint, or within 0.1 s, not before the work
      // starts: on disk, 'queued' and 'running' both mean "run this at the next start". (A failure to
      // write surfaces at that checkpoint, or below.)
      task.state = 'running';
      const marked = this.checkpoints.saveSoon(task, FINISHED_WORK_CHECKPOINT_MS);
      marked.catch(() => undefined);
      this.emitState(live);
      const src = this.endpoint(task.source.profileId, task.source.bucket);
      const dst = this.endpoint(task.destination.profileId, task.destination.bucket);
      let domain: Promise<boolean> | undefined;
      const sameCopyDomain = () =>
        (domain ??= (async () => {
          if (src.store.kind !== dst.store.kind) return false;
          const [a, b] = await Promise.all([
            src.store.copyDomain(src.bucket),
            dst.store.copyDomain(dst.bucket),
          ]);
          return a.kind === b.kind && a.key === b.key;
        })());
      const runJob = async (job: ObjectJob) => {
        const release = await this.objects.acquire([src.profileId, dst.profileId], signal);
        try {
          await runObjectJob(this.contextFor(live, job, src, dst, signal, sameCopyDomain));
        } catch (err) {
          if (!signal.aborted && credentialsExpired(err)) {
            // Every object of the task would be refused alike: all stop, as for a pause.
            live.credentialsError = err;
            this.stop(live, 'credentials');
          }
          if (!signal.aborted) job.error = errorInfo(err, (t) => this.deps.logger.redact(t));
          throw err;
        } finally {
          release();
        }
      };
      if (task.object) {
        await runJob(task.object);
      } else {
        await folderCopy({
          src,
          prefix: task.source.key,
          destFolderPrefix: task.destinationKey,
          state: task.folder!,
          overwrite: task.options.conflict === 'overwrite',
          concurrency: () => this.deps.settings.get().objectsInFlight,
          signal,
          ...(this.deps.listPageSize ? { pageSize: this.deps.listPageSize } : {}),
          runJob,
          finished: async (job) => {
            const folder = task.folder!;
            folder.inFlight = folder.inFlight.filter((j) => j !== job);
            completeJob(task, job);
            await this.checkpoints.saveSoon(task, FINISHED_WORK_CHECKPOINT_MS);
            live.meter.changed();
          },
          checkpoint: () => this.checkpoints.save(task),
        });
      }
      await marked;
      if (task.object) completeJob(task, task.object);
      task.state = 'done';
      task.finishedAt = new Date().toISOString();
      // Either order survives a kill between the two: a checkpoint left behind re-runs a finished
      // task (found complete), a missing history line only loses the record.
      await this.finish(live, false, this.checkpoints.remove(task.id));
      this.deps.logger.info(`task ${task.id} done`, { taskId: task.id });
    } catch (err) {
      if (live.stopReason === 'credentials' || (!signal.aborted && credentialsExpired(err))) {
        const src = this.endpoint(task.source.profileId, task.source.bucket);
        const dst = this.endpoint(task.destination.profileId, task.destination.bucket);
        const redact = (t: string) => this.deps.logger.redact(t);
        task.credentialsExpired = await expiredAccount(live.credentialsError ?? err, src, dst, redact);
        live.credentialsError = undefined;
        this.deps.logger.warn(
          `task ${task.id} paused: the keys of account ${task.credentialsExpired.profileId} were refused ` +
            `(${task.credentialsExpired.code}); it goes on once new keys are saved for that account`,
          { taskId: task.id },
        );
        await this.setState(live, 'paused');
        for (const resolve of this.waiters.get(task.id) ?? []) resolve(this.summary(live));
        this.waiters.delete(task.id);
        return;
      }
      if (signal.aborted) {
        if (live.stopReason === 'pause') await this.setState(live, 'paused');
        else if (live.stopReason === 'close') {
          task.state = 'queued'; // runs again at the next start
          await this.checkpoints.save(task);
        }
        // 'cancel' is finished by cancel() once this runner has stopped.
        return;
      }
      task.state = 'failed';
      task.error = errorInfo(err, (t) => this.deps.logger.redact(t));
      task.finishedAt = new Date().toISOString();
      this.deps.logger.error(`task ${task.id} failed: ${task.error.code}: ${task.error.message}`, {
        taskId: task.id,
        requestId: task.error.requestId,
      });
      await this.checkpoints.save(task); // kept, so a retry reuses what was copied
      await this.finish(live, true);
    } finally {
      live.controller = undefined;
    }
  }

  private contextFor(
    live: LiveTask,
    job: ObjectJob,
    src: Endpoint,
    dst: Endpoint,
    signal: AbortSignal,
    sameCopyDomain: () => Promise<boolean>,
  ): ObjectCopyContext {
    const task = live.record;
    const { logger, settings } = this.deps;
    const extra = { taskId: task.id };
    return {
      taskId: task.id,
      src,
      dst,
      job,
      options: task.options,
      limits: () => {
        const s = settings.get();
        return {
          multipartThreshold: task.options.multipartThreshold ?? s.multipartThreshold,
          partSize: task.options.partSize ?? s.partSize,
          partsInFlight: s.partsInFlight,
        };
      },
      signal,
      parts: this.parts,
      uploads: this.uploads,
      claims: {
        claim: (key) => this.claims.claim(task.id, dst.profileId, dst.bucket, key),
        takenByOther: (key) => this.claims.takenByOther(task.id, dst.profileId, dst.bucket, key),
      },
      inFolder: task.kind === 'folder',
      sameCopyDomain,
      checkpoint: () => this.checkpoints.save(task),
      checkpointSoon: () => this.checkpoints.saveSoon(task, FINISHED_WORK_CHECKPOINT_MS),
      progressed: () => live.meter.changed(),
      partStarted: (size, serverSide) => live.inFlight.begin(size, serverSide),
      log: {
        debug: (m) => logger.debug(m, extra),
        info: (m) => logger.info(m, extra),
        warn: (m) => logger.warn(m, extra),
      },
    };
  }

  // ------------------------------------------------------------------------------------------
  // Helpers

  private newRecord(
    id: string,
    source: CopySource,
    destination: Location,
    options: CopyOptions,
    priority: number,
  ): TaskRecord {
    const base = {
      id,
      priority,
      seq: this.seq++,
      createdAt: new Date().toISOString(),
      state: 'queued' as const,
      source,
      destination,
      options,
      completed: { objects: 0, bytes: 0, parts: 0 },
    };
    let record: TaskRecord;
    if (source.isFolder) {
      const prefix = asFolderPrefix(source.key);
      record = {
        ...base,
        kind: 'folder',
        source: { ...source, key: prefix },
        destinationKey: folderDestinationPrefix(prefix, destination.prefix),
        folder: newFolderState(),
      };
    } else {
      const dstKey = objectDestinationKey(source.key, destination.prefix);
      record = {
        ...base,
        kind: 'object',
        destinationKey: dstKey,
        object: newJob(source.key, dstKey, options.conflict === 'overwrite'),
      };
    }
    assertNotIntoItself(record);
    return record;
  }

  private track(record: TaskRecord, resumedAfterRestart: boolean): LiveTask {
    const meter = new ProgressMeter(
      record.id,
      () => withPartsInFlight(countersOf(record), live.inFlight.snapshot()),
      (p) => this.deps.bus.emit('task.progress', p),
    );
    const live: LiveTask = {
      record,
      resumedAfterRestart,
      meter,
      inFlight: new PartsInFlight(this.partRates, record.destination.profileId, () => meter.changed()),
    };
    this.live.set(record.id, live);
    return live;
  }

  private endpoint(profileId: string, bucket: string): Endpoint {
    return { store: this.deps.stores.storeFor(profileId), profileId, bucket };
  }

  private summary(live: LiveTask): TaskSummary {
    return summaryOf(live.record, live.meter.snapshot(), live.resumedAfterRestart);
  }

  private emitState(live: LiveTask): void {
    this.deps.bus.emit('task.state', this.summary(live));
  }

  private async setState(live: LiveTask, state: TaskState): Promise<void> {
    live.record.state = state;
    await this.checkpoints.save(live.record);
    this.emitState(live);
  }

  private stop(live: LiveTask, reason: StopReason): void {
    live.stopReason = reason;
    live.controller?.abort(new StorageError({ status: 0, code: 'Aborted', message: `task ${reason}d` }));
  }

  /** Records a finished task in the history and tells whoever waits. Failed tasks stay live for retry. */
  private async finish(live: LiveTask, keepLive = false, alongside?: Promise<void>): Promise<void> {
    live.meter.stop();
    const summary = this.summary(live);
    const { source, destination, options, priority } = live.record;
    const recorded = this.history.record({ summary, request: { source, destination, options, priority } });
    await settleAll([recorded, alongside]);
    if (!keepLive) {
      this.live.delete(live.record.id);
      this.claims.release(live.record.id);
    }
    this.deps.bus.emit('task.state', summary);
    for (const resolve of this.waiters.get(live.record.id) ?? []) resolve(summary);
    this.waiters.delete(live.record.id);
  }

  private async discardUploads(task: TaskRecord): Promise<void> {
    for (const job of jobsOf(task)) {
      if (!job.uploadId) continue;
      try {
        const store = this.deps.stores.storeFor(task.destination.profileId);
        await store.abortMultipartUpload(task.destination.bucket, job.dstKey, job.uploadId);
        await this.uploads.remove(job.uploadId);
      } catch (err) {
        if (isCode(err, 'NoSuchUpload')) await this.uploads.remove(job.uploadId);
        // Otherwise it stays in the registry: the next start (or the orphan finder) aborts it.
        else
          this.deps.logger.warn(
            `could not abort upload ${job.uploadId} of "${job.dstKey}": ${(err as Error).message}`,
          );
      }
    }
  }

  private requireLive(id: string): LiveTask | undefined {
    const live = this.live.get(id);
    if (!live && !this.history.get(id))
      throw new StorageError({ status: 404, code: 'NoSuchTask', message: `there is no task "${id}"` });
    return live;
  }

  private stateOf(id: string): TaskState {
    return this.history.get(id)!.summary.state;
  }
}

export function createCopyEngine(deps: CopyEngineDeps): CopyEngine {
  return new CopyEngine(deps);
}
