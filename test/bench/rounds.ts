/** Rounds of a case: every tool once per round, in an order rotated each round, within a time budget. */
import { elapsed, log } from './common';
import { record, type CaseResult, type ToolName } from './report';
import type { Timed } from './timed';

export function ok(t: Timed, what: string): Timed {
  if (t.code !== 0) throw new Error(`${what} exited with ${t.code}: ${t.stderr.slice(-2000)}`);
  return t;
}

/** Alternating rounds: in round i the tools run in an order rotated by i. */
export async function rounds(
  c: CaseResult,
  count: number,
  budgetSeconds: number,
  tools: Partial<Record<ToolName, (dst: string) => Promise<Timed>>>,
  after: (tool: ToolName, dst: string) => Promise<void>,
): Promise<void> {
  const names = Object.keys(tools) as ToolName[];
  let lastRound = 0;
  for (let round = 0; round < count; round++) {
    // A round is expected to take as long as the one before; one that would end past the budget is skipped.
    if (round > 0 && elapsed() + lastRound > budgetSeconds) {
      c.problems.push(
        `ran ${round} of ${count} rounds: another would have passed the time budget of ${budgetSeconds} s`,
      );
      break;
    }
    const roundStart = elapsed();
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    for (const tool of order) {
      const dst = `${c.id}-${tool}-${round}`;
      const t = ok(await tools[tool]!(dst), `${c.id}: ${tool}`);
      record(c, tool, t);
      await after(tool, dst);
    }
    c.rounds = round + 1;
    lastRound = elapsed() - roundStart;
    log(
      `${c.id} round ${round + 1}: ${order.map((t) => `${t} ${c.seconds[t]!.at(-1)!.toFixed(2)} s`).join(', ')}`,
    );
  }
}
