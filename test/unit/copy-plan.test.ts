/**
 * Part planning and the per-object strategy: part sizes within the dialect's limits (≤ 10,000
 * parts, ≥ the minimum part size, ≤ the maximum), plans that cover every byte exactly once, and
 * CopyObject / multipart copy / stream chosen by copy domain and threshold.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectCopyContext } from '../../main/copy/context';
import { chooseStrategy, usesMultipart } from '../../main/copy/object-job';
import { choosePartSize, partLength, planParts, type PartLimits } from '../../main/copy/plan';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const S3: PartLimits = { minPartSize: 5 * MiB, maxPartSize: 5 * GiB, maxParts: 10_000 };
const OSS: PartLimits = { minPartSize: 100 * 1024, maxPartSize: 5 * GiB, maxParts: 10_000 };

/** Every byte of [0, size) in exactly one part, numbered 1..n in order. */
function assertCovers(size: number, partSize: number): void {
  const plan = planParts(size, partSize);
  let next = 0;
  plan.forEach((p, i) => {
    assert.equal(p.number, i + 1);
    assert.equal(p.start, next);
    assert.ok(partLength(p) <= partSize);
    if (i < plan.length - 1) assert.equal(partLength(p), partSize, 'only the last part is shorter');
    next = p.end + 1;
  });
  assert.equal(next, size);
}

describe('choosePartSize', () => {
  it('keeps the preferred size when it is within the limits', () => {
    assert.equal(choosePartSize(100 * MiB, 8 * MiB, S3), 8 * MiB);
    assert.equal(choosePartSize(100 * MiB, 200 * 1024, OSS), 200 * 1024);
  });

  it('raises a preferred size below the dialect minimum to the minimum (S3 5 MiB, OSS 100 KB)', () => {
    assert.equal(choosePartSize(100 * MiB, 1 * MiB, S3), 5 * MiB);
    assert.equal(choosePartSize(100 * MiB, 1024, OSS), 100 * 1024);
  });

  it('grows the part size so that no object needs more than 10,000 parts', () => {
    for (const size of [10_000 * 5 * MiB + 1, 1024 * GiB, 48 * 1024 * GiB, 50_000 * MiB + 7]) {
      const partSize = choosePartSize(size, 5 * MiB, S3);
      const parts = planParts(size, partSize).length;
      assert.ok(parts <= 10_000, `${size} bytes → ${parts} parts`);
      assert.ok(partSize >= 5 * MiB);
    }
  });

  it('uses exactly 10,000 parts at the boundary and 10,000 parts of the minimum when that is enough', () => {
    assert.equal(planParts(10_000 * 5 * MiB, choosePartSize(10_000 * 5 * MiB, 5 * MiB, S3)).length, 10_000);
    const justOver = 10_000 * 5 * MiB + 1;
    assert.equal(choosePartSize(justOver, 5 * MiB, S3), Math.ceil(justOver / 10_000));
  });

  it('refuses an object that even maximum-size parts cannot cover in 10,000 parts', () => {
    assert.throws(() => choosePartSize(10_000 * 5 * GiB + 1, 5 * MiB, S3), RangeError);
  });
});

describe('planParts', () => {
  it('covers every byte exactly once with inclusive ranges', () => {
    for (const [size, partSize] of [
      [1, 1],
      [5 * MiB, 5 * MiB],
      [5 * MiB + 1, 5 * MiB],
      [64 * MiB + 12_345, 5 * MiB],
      [7, 3],
    ] as const)
      assertCovers(size, partSize);
  });

  it('splits 64 MiB + 12,345 bytes into 13 parts of 5 MiB, the last one short', () => {
    const plan = planParts(64 * MiB + 12_345, 5 * MiB);
    assert.equal(plan.length, 13);
    assert.deepEqual(plan[0], { number: 1, start: 0, end: 5 * MiB - 1 });
    assert.deepEqual(plan.at(-1), { number: 13, start: 60 * MiB, end: 64 * MiB + 12_344 });
  });

  it('gives an empty object one empty part', () => {
    assert.deepEqual(planParts(0, 5 * MiB), [{ number: 1, start: 0, end: -1 }]);
    assert.equal(partLength(planParts(0, 5 * MiB)[0]!), 0);
  });

  it('rejects negative, fractional and unsafe sizes and part sizes', () => {
    assert.throws(() => planParts(-1, 5), RangeError);
    assert.throws(() => planParts(1.5, 5), RangeError);
    assert.throws(() => planParts(2 ** 53, 5), RangeError);
    assert.throws(() => planParts(10, 0), RangeError);
  });

  it('is reproducible from (size, partSize) alone, which is what a checkpoint stores', () => {
    assert.deepEqual(planParts(123_456_789, 5 * MiB), planParts(123_456_789, 5 * MiB));
  });
});

describe('strategy per object', () => {
  function ctx(o: { sameDomain: boolean; threshold: number; copyObjectMax?: number }): ObjectCopyContext {
    return {
      limits: () => ({ multipartThreshold: o.threshold, partSize: 5 * MiB, partsInFlight: 4 }),
      sameCopyDomain: async () => o.sameDomain,
      dst: {
        store: {
          capabilities: { ...S3, copyObjectMaxSize: o.copyObjectMax ?? 5 * GiB, wholeObjectCrc64: false },
        },
      },
    } as unknown as ObjectCopyContext;
  }

  it('same account and region: CopyObject below the threshold, multipart copy at and above it', async () => {
    const c = ctx({ sameDomain: true, threshold: 64 * MiB });
    assert.equal(await chooseStrategy(c, 0), 'copy-object');
    assert.equal(await chooseStrategy(c, 64 * MiB - 1), 'copy-object');
    assert.equal(await chooseStrategy(c, 64 * MiB), 'multipart-copy');
    assert.equal(await chooseStrategy(c, 10 * GiB), 'multipart-copy');
  });

  it('never sends a CopyObject above what the destination allows, whatever the threshold', async () => {
    const c = ctx({ sameDomain: true, threshold: 100 * GiB, copyObjectMax: 1 * GiB });
    assert.equal(await chooseStrategy(c, 1 * GiB - 1), 'copy-object');
    assert.equal(await chooseStrategy(c, 1 * GiB), 'multipart-copy');
  });

  it('an OSS Appendable object is never multipart-copied: CopyObject up to the limit without versions, else streamed', async () => {
    const c = ctx({ sameDomain: true, threshold: 64 * MiB, copyObjectMax: 1 * GiB });
    const appendable = { appendable: true };
    assert.equal(await chooseStrategy(c, 500 * MiB, appendable), 'copy-object');
    assert.equal(await chooseStrategy(c, 1 * GiB, appendable), 'copy-object');
    assert.equal(await chooseStrategy(c, 1 * GiB + 1, appendable), 'stream');
    assert.equal(await chooseStrategy(c, 10, { appendable: true, versionId: 'v1' }), 'stream');
    assert.equal(
      await chooseStrategy(ctx({ sameDomain: false, threshold: 64 * MiB }), 10, appendable),
      'stream',
    );
  });

  it('another account, region or provider streams, whatever the size', async () => {
    const c = ctx({ sameDomain: false, threshold: 64 * MiB });
    assert.equal(await chooseStrategy(c, 10), 'stream');
    assert.equal(await chooseStrategy(c, 10 * GiB), 'stream');
  });

  it('a streamed copy goes through a multipart upload from the threshold on', () => {
    const c = ctx({ sameDomain: false, threshold: 8 * MiB });
    assert.equal(usesMultipart(c, 8 * MiB - 1), false);
    assert.equal(usesMultipart(c, 8 * MiB), true);
  });
});
