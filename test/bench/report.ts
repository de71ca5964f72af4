/**
 * The benchmark's results: medians per case, the figures against their targets, and the table
 * written to bench-results/latest.md and .json and into the README between its bench markers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { elapsed, root } from './common';
import { median, type Timed } from './timed';

export type PeerName = 'rclone16' | 'rcloneTuned' | 'aws' | 'awsTuned';
export type ToolName = 'ferry' | PeerName | 'ceiling';
export const PEERS: readonly PeerName[] = ['rclone16', 'rcloneTuned', 'aws', 'awsTuned'];
const PEER_TITLES: Record<PeerName, string> = {
  rclone16: 'rclone 16',
  rcloneTuned: 'rclone tuned',
  aws: 'aws',
  awsTuned: 'aws tuned',
};

export interface CaseResult {
  id: string;
  title: string;
  what: string;
  rounds: number;
  seconds: Partial<Record<ToolName, number[]>>;
  peakRssMiB: Partial<Record<ToolName, number[]>>;
  problems: string[];
}

export function newCase(id: string, title: string, what: string): CaseResult {
  return { id, title, what, rounds: 0, seconds: {}, peakRssMiB: {}, problems: [] };
}

export function record(c: CaseResult, tool: ToolName, t: Timed): void {
  (c.seconds[tool] ??= []).push(Number(t.seconds.toFixed(3)));
  (c.peakRssMiB[tool] ??= []).push(Number(t.peakRssMiB.toFixed(1)));
}

interface Row {
  figure: string;
  ferry: string;
  peers: Record<PeerName, string>;
  ratios: Record<PeerName, string>;
  target: string;
  met: boolean | null;
}

export interface Report {
  date: string;
  durationSeconds: number;
  machine: Record<string, string>;
  config: object;
  only: string[] | null;
  cases: (CaseResult & { median: Partial<Record<ToolName, number>> })[];
  resume: Partial<Record<ToolName, number>>;
  targets: { name: string; value: string; met: boolean | null }[];
  rows: Row[];
  notes: string[];
}

export interface ReportInput {
  cases: CaseResult[];
  resume: Partial<Record<ToolName, number>>;
  versions: { rclone: string; aws: string };
  endpoint: string;
  loadBefore: number[];
  notes: string[];
  config: { bigMiB: number; smallObjects: number; folderObjects: number };
  only: string[] | null;
}

const secs = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : `${v.toFixed(2)} s`);
const speed = (ferry?: number, other?: number) => (ferry && other ? `${(other / ferry).toFixed(2)}×` : '–');
const perPeer = (f: (p: PeerName) => string) =>
  Object.fromEntries(PEERS.map((p) => [p, f(p)])) as Record<PeerName, string>;

export function buildReport(input: ReportInput): Report {
  const { resume, config } = input;
  const withMedians = input.cases.map((c) => ({
    ...c,
    median: Object.fromEntries(Object.entries(c.seconds).map(([k, v]) => [k, median(v)])) as Partial<
      Record<ToolName, number>
    >,
  }));
  const get = (id: string) => withMedians.find((c) => c.id === id);
  const rows: Row[] = [];
  const targets: Report['targets'] = [];
  for (const id of ['small', 'folder', 'list']) {
    const c = get(id);
    if (!c) continue;
    const m = c.median;
    const small = id === 'small' && m.ferry !== undefined;
    rows.push({
      figure: `${c.title} (${c.rounds} round${c.rounds === 1 ? '' : 's'})`,
      ferry: secs(m.ferry),
      peers: perPeer((p) => secs(m[p])),
      ratios: perPeer((p) => speed(m.ferry, m[p])),
      target: id === 'small' ? '≥ 1.5× rclone 16, > 1× tuned' : '–',
      met: small ? m.rclone16! / m.ferry! >= 1.5 && m.rcloneTuned! / m.ferry! > 1 : null,
    });
    if (small) {
      targets.push({
        name: 'small objects: ≥ 1.5× rclone --transfers 16',
        value: speed(m.ferry, m.rclone16),
        met: m.rclone16! / m.ferry! >= 1.5,
      });
      targets.push({
        name: 'small objects: ahead of tuned rclone',
        value: speed(m.ferry, m.rcloneTuned),
        met: m.rcloneTuned! / m.ferry! > 1,
      });
    }
  }
  const big = get('multipart');
  if (big) {
    const m = big.median;
    const ofCeiling = (v?: number) => (v && m.ceiling ? v / m.ceiling : NaN);
    rows.push({
      figure: `${big.title} (${big.rounds} round${big.rounds === 1 ? '' : 's'}); server ceiling ${secs(m.ceiling)}`,
      ferry: `${secs(m.ferry)} (${ofCeiling(m.ferry).toFixed(2)}× ceiling)`,
      peers: perPeer((p) => `${secs(m[p])} (${ofCeiling(m[p]).toFixed(2)}× ceiling)`),
      ratios: perPeer((p) => speed(m.ferry, m[p])),
      target: 'Ferry ≤ 1.1× server ceiling',
      met: ofCeiling(m.ferry) <= 1.1,
    });
    targets.push({
      name: 'multipart copy within 1.1× of the server ceiling',
      value: `${ofCeiling(m.ferry).toFixed(2)}×`,
      met: ofCeiling(m.ferry) <= 1.1,
    });
  }
  for (const id of ['upload', 'download', 'cross']) {
    const c = get(id);
    if (!c) continue;
    const m = c.median;
    const ofCeiling = (v?: number) => (v && m.ceiling ? v / m.ceiling : NaN);
    const rss = Math.max(...(c.peakRssMiB.ferry ?? [NaN]));
    const vs16 = m.ferry && m.rclone16 ? m.rclone16 / m.ferry : NaN;
    const vsTuned = m.ferry && m.rcloneTuned ? m.rcloneTuned / m.ferry : NaN;
    const met = vs16 >= 1.3 && vsTuned >= 1.1 && ofCeiling(m.ferry) <= 1.2 && rss < 300;
    rows.push({
      figure: `${c.title} (${c.rounds} round${c.rounds === 1 ? '' : 's'}); bare ceiling ${secs(m.ceiling)}; Ferry's peak RSS ${rss.toFixed(0)} MiB`,
      ferry: `${secs(m.ferry)} (${ofCeiling(m.ferry).toFixed(2)}× ceiling)`,
      peers: perPeer((p) =>
        m[p] === undefined ? '–' : `${secs(m[p])} (${ofCeiling(m[p]).toFixed(2)}× ceiling)`,
      ),
      ratios: perPeer((p) => speed(m.ferry, m[p])),
      target: '≥ 1.3× rclone 16, ≥ 1.1× tuned, ≤ 1.2× ceiling, RSS < 300 MiB',
      met: m.ferry === undefined ? null : met,
    });
    if (m.ferry === undefined) continue;
    targets.push(
      { name: `${id}: ≥ 1.3× rclone's default`, value: speed(m.ferry, m.rclone16), met: vs16 >= 1.3 },
      { name: `${id}: ≥ 1.1× tuned rclone`, value: speed(m.ferry, m.rcloneTuned), met: vsTuned >= 1.1 },
      {
        name: `${id}: within 1.2× of the bare ceiling`,
        value: `${ofCeiling(m.ferry).toFixed(2)}×`,
        met: ofCeiling(m.ferry) <= 1.2,
      },
      { name: `${id}: Ferry's peak RSS under 300 MiB`, value: `${rss.toFixed(0)} MiB`, met: rss < 300 },
    );
  }
  if (resume.ferry !== undefined) {
    rows.push({
      figure: `resume: ${config.bigMiB} MiB killed at 50 %, bytes copied ÷ size`,
      ferry: `${resume.ferry.toFixed(2)}×`,
      peers: perPeer((p) => (resume[p] !== undefined ? `${resume[p]!.toFixed(2)}×` : '–')),
      ratios: perPeer(() => '–'),
      target: '≤ 1.1× object size',
      met: resume.ferry <= 1.1,
    });
    targets.push({
      name: 'resume total ≤ 1.1× object size',
      value: `${resume.ferry.toFixed(2)}×`,
      met: resume.ferry <= 1.1,
    });
  }
  const folder = get('folder');
  const smallCase = get('small');
  if (folder?.peakRssMiB.ferry && smallCase?.peakRssMiB.ferry) {
    const f = Math.max(...folder.peakRssMiB.ferry);
    const sm = Math.max(...smallCase.peakRssMiB.ferry);
    const peak = (p: PeerName) => Math.max(...(folder.peakRssMiB[p] ?? [NaN]));
    const growth = f / sm;
    rows.push({
      figure: `peak RSS, ${config.folderObjects.toLocaleString('en')}-object copy (Ferry at ${config.smallObjects.toLocaleString('en')} objects: ${sm.toFixed(0)} MiB)`,
      ferry: `${f.toFixed(0)} MiB`,
      peers: perPeer((p) => (Number.isNaN(peak(p)) ? '–' : `${peak(p).toFixed(0)} MiB`)),
      ratios: perPeer((p) => (Number.isNaN(peak(p)) ? '–' : `${(f / peak(p)).toFixed(2)}× theirs`)),
      target: `flat in objects (${growth.toFixed(2)}× from ${config.smallObjects} to ${config.folderObjects})`,
      met: growth <= 1.25,
    });
    targets.push({
      name: `memory flat in the number of objects (peak RSS ${config.smallObjects} → ${config.folderObjects} objects; ≤ 1.25× counted as flat)`,
      value: `${sm.toFixed(0)} → ${f.toFixed(0)} MiB (${growth.toFixed(2)}×)`,
      met: growth <= 1.25,
    });
  }
  const cpus = os.cpus();
  const ceph = spawnSync('radosgw', ['--version'], { encoding: 'utf8' });
  return {
    date: new Date().toISOString(),
    durationSeconds: Math.round(elapsed()),
    machine: {
      os: `${os.type()} ${os.release()} (${readOsRelease()})`,
      cpu: `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
      memory: `${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB`,
      node: process.version,
      rclone: input.versions.rclone,
      aws: input.versions.aws,
      server: `Ceph RGW ${(ceph.stdout || '').trim().split(' ').slice(2, 3).join('') || '?'} (in-memory OSD) at ${input.endpoint}, same machine`,
      loadBefore: input.loadBefore.map((l) => l.toFixed(2)).join(' '),
      loadAfter: os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
    },
    config,
    only: input.only,
    cases: withMedians,
    resume,
    targets,
    rows,
    notes: input.notes,
  };
}

function readOsRelease(): string {
  try {
    return /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    return '';
  }
}

function machineLine(r: Report): string {
  const m = r.machine;
  return `Machine: ${m.cpu}, ${m.memory}, ${m.os}, Node ${m.node}; ${m.rclone}; ${m.aws}; ${m.server}. Load average before/after: ${m.loadBefore} / ${m.loadAfter}.`;
}

function table(r: Report): string[] {
  const head = [
    'figure',
    'Ferry',
    ...PEERS.map((p) => PEER_TITLES[p]),
    ...PEERS.map((p) => `vs ${PEER_TITLES[p]}`),
  ];
  return [
    `| ${[...head, 'target', 'met'].join(' | ')} |`,
    `| ${[...head, 'target', 'met'].map(() => '---').join(' | ')} |`,
    ...r.rows.map((row) => {
      const cells = [
        row.figure,
        row.ferry,
        ...PEERS.map((p) => row.peers[p]),
        ...PEERS.map((p) => row.ratios[p]),
        row.target,
        row.met === null ? '–' : row.met ? 'yes' : 'no',
      ];
      return `| ${cells.join(' | ')} |`;
    }),
  ];
}

export function markdown(r: Report): string {
  const lines = [
    `Ferry vs rclone and awscli on Ceph RGW — ${r.date}, ${r.durationSeconds} s${r.only ? ` (only: ${r.only.join(', ')})` : ''}`,
    '',
    machineLine(r),
    '',
    'Ratios are the peer\'s time ÷ Ferry\'s time (above 1: Ferry is faster). "rclone 16": `--transfers 16`; "rclone tuned": `--transfers 32 --checkers 32 --no-check-dest` (`--s3-copy-cutoff 64M` for the large object, `--fast-list` for listing). "aws": `aws s3 cp --recursive` with its defaults; "aws tuned": `max_concurrent_requests` 64 and `multipart_chunksize` 64 MiB. Each figure is the median of the rounds shown; tools alternate within every round.',
    '',
    ...table(r),
    '',
  ];
  const problems = r.cases.flatMap((c) => c.problems.map((p) => `${c.id}: ${p}`));
  if (problems.length || r.notes.length) {
    lines.push('Notes:', '', ...[...problems, ...r.notes].map((p) => `- ${p}`), '');
  }
  return lines.join('\n');
}

const README_START = '<!-- bench:start -->';
const README_END = '<!-- bench:end -->';

/** The README's table is the latest full run's; a run of some cases (`--only`) leaves it alone. */
async function writeReadme(r: Report): Promise<boolean> {
  const readmePath = path.join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (r.only || start < 0 || end < start) return false;
  const when = `${r.date.slice(0, 10)}, ${r.date.slice(11, 16)} UTC`;
  const block = [README_START, `Latest run (${when}):`, '', ...table(r), '', machineLine(r), ''].join('\n');
  const next = readme.slice(0, start) + block + readme.slice(end);
  const options = (await resolveConfig(readmePath)) ?? {};
  writeFileSync(readmePath, await format(next, { ...options, filepath: readmePath }));
  return true;
}

export async function writeResults(r: Report): Promise<void> {
  const dir = path.join(root, 'bench-results');
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const name = r.only ? `only-${r.only.join('-')}` : 'latest';
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(r, null, 2)}\n`);
  const md = markdown(r);
  writeFileSync(path.join(dir, `${name}.md`), md);
  process.stdout.write(`\n${md}\n`);
  for (const t of r.targets) process.stdout.write(`${t.met ? 'MET    ' : 'MISSED '} ${t.name}: ${t.value}\n`);
  const readme = await writeReadme(r);
  process.stdout.write(
    `\nwritten: bench-results/${name}.json, bench-results/${name}.md${readme ? ', README.md (table)' : ''}\n`,
  );
}
