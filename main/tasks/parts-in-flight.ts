/**
 * Bytes of parts still being copied, which the checkpointed counters cannot see (a part counts there
 * only once it is done). Streamed parts report their bytes as they flow. A server-side part copy
 * reports nothing until its answer, so its bytes are estimated from the measured rate of part copies
 * that finished before it on the same destination account — and marked as an estimate. Memory only:
 * nothing here is needed to resume, and a restart simply starts measuring again.
 */

import type { PartFlow } from '../copy/context';

export type { PartFlow };

/** How far an estimate may go before the part's answer confirms it. */
const ESTIMATE_CAP = 0.95;
/** Finished server-side parts remembered per destination, for the rate. */
const RATE_SAMPLES = 32;

interface Flight {
  size: number;
  started: number;
  bytes: number;
  serverSide: boolean;
}

/** Measured server-side part-copy throughput, per destination account, shared by every task. */
export class PartRates {
  private readonly samples = new Map<string, { bytes: number; ms: number }[]>();

  record(destination: string, bytes: number, ms: number): void {
    const list = this.samples.get(destination) ?? [];
    list.push({ bytes, ms: Math.max(1, ms) });
    if (list.length > RATE_SAMPLES) list.shift();
    this.samples.set(destination, list);
  }

  /** Bytes per millisecond for one part copy, or null before any was measured. */
  perPart(destination: string): number | null {
    const list = this.samples.get(destination);
    if (!list?.length) return null;
    const bytes = list.reduce((n, s) => n + s.bytes, 0);
    const ms = list.reduce((n, s) => n + s.ms, 0);
    return bytes / ms;
  }
}

export interface InFlightSnapshot {
  bytes: number;
  parts: number;
  estimated: boolean;
}

/** The parts of one task that are in flight now. */
export class PartsInFlight {
  private readonly flights = new Set<Flight>();

  constructor(
    private readonly rates: PartRates,
    private readonly destination: string,
    private readonly changed: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  begin(size: number, serverSide: boolean): PartFlow {
    const flight: Flight = { size, started: this.now(), bytes: 0, serverSide };
    this.flights.add(flight);
    this.changed();
    return {
      flowed: (bytes) => {
        if (!this.flights.has(flight)) return;
        flight.bytes = Math.min(flight.size, flight.bytes + bytes);
        this.changed();
      },
      end: (ok) => {
        if (!this.flights.delete(flight)) return;
        if (ok && flight.serverSide)
          this.rates.record(this.destination, flight.size, this.now() - flight.started);
      },
    };
  }

  snapshot(): InFlightSnapshot {
    const rate = this.rates.perPart(this.destination);
    const t = this.now();
    let bytes = 0;
    let estimated = false;
    for (const f of this.flights) {
      if (!f.serverSide) bytes += f.bytes;
      else if (rate !== null) {
        bytes += Math.min(f.size * ESTIMATE_CAP, (t - f.started) * rate);
        estimated = true;
      }
    }
    return { bytes: Math.floor(bytes), parts: this.flights.size, estimated };
  }
}
