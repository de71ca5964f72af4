/**
 * What the hosts and the CLI need from the copy engine. The engine (main/tasks/copy-engine.ts and
 * main/copy/) implements it; handlers and the CLI depend only on this shape.
 */
import type {
  CopyOptions,
  CopySource,
  Location,
  OrphanUpload,
  TaskState,
  TaskSummary,
} from '../../preload/shared/contract';

export interface TaskService {
  /** Reloads unfinished tasks from their checkpoints and starts running them. */
  start(options?: { autoResume?: boolean }): Promise<void>;
  list(): TaskSummary[];
  get(id: string): TaskSummary | undefined;
  /** Records one task per source (before any request is sent) and queues it. */
  copy(sources: CopySource[], destination: Location, options: CopyOptions): Promise<string[]>;
  pause(id: string): Promise<TaskState>;
  resume(id: string): Promise<TaskState>;
  cancel(id: string): Promise<TaskState>;
  retry(id: string): Promise<TaskState>;
  pauseAll(): Promise<number>;
  resumeAll(): Promise<number>;
  /** Clears done and cancelled tasks; failed ones stay. */
  clearFinished(): Promise<number>;
  /** Removes one task that is not running; false when there is no such task. */
  remove(id: string): Promise<boolean>;
  /** Resolves when the task reaches done, failed or cancelled, or pauses until new credentials are saved. */
  waitFor(id: string): Promise<TaskSummary>;
  /** An account was saved: tasks paused because its credentials expired run again. Returns how many. */
  credentialsRenewed?(profileId: string): Promise<number>;
  listOrphans(profileId: string, bucket: string): Promise<OrphanUpload[]>;
  abortOrphans(
    profileId: string,
    bucket: string,
    uploads: { key: string; uploadId: string }[],
  ): Promise<number>;
  /** Checkpoints found damaged or foreign at start: not trusted, moved aside (reported to the user). */
  corruptCheckpoints?(): { file: string; movedTo: string; reason: string }[];
  /** The task list as recorded, without starting the engine or writing anything (copy-engine.ts). */
  peek?(runningElsewhere: boolean): Promise<{
    tasks: TaskSummary[];
    untrusted: { file: string; reason: string }[];
  }>;
  /** Stops scheduling and waits for checkpoints to be flushed. */
  close(): Promise<void>;
}
