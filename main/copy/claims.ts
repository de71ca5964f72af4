/**
 * Destination keys that live tasks write or are about to write. Keep-both looks for a free name on
 * the server, but two tasks copying the same file into the same folder at once would both find
 * `a.txt` (then `a (1).txt`) free and write the same name: the second copy would replace the first.
 * A name claimed by another live task counts as taken. One Ferry runs the copies of a data folder
 * (the engine lock), so claims in this process are all there are.
 */
export class DestinationClaims {
  private readonly owners = new Map<string, string>();
  private readonly byTask = new Map<string, Set<string>>();

  /** Claims the key for the task; false when another live task holds it. */
  claim(taskId: string, profileId: string, bucket: string, key: string): boolean {
    const id = claimId(profileId, bucket, key);
    const owner = this.owners.get(id);
    if (owner !== undefined) return owner === taskId;
    this.owners.set(id, taskId);
    let mine = this.byTask.get(taskId);
    if (!mine) this.byTask.set(taskId, (mine = new Set()));
    mine.add(id);
    return true;
  }

  takenByOther(taskId: string, profileId: string, bucket: string, key: string): boolean {
    const owner = this.owners.get(claimId(profileId, bucket, key));
    return owner !== undefined && owner !== taskId;
  }

  /** The task is over (done, cancelled, cleared): what it wrote is on the server for all to see. */
  release(taskId: string): void {
    for (const id of this.byTask.get(taskId) ?? []) this.owners.delete(id);
    this.byTask.delete(taskId);
  }

  get size(): number {
    return this.owners.size;
  }
}

const claimId = (profileId: string, bucket: string, key: string) => `${profileId}\n${bucket}\n${key}`;
