import { type FaultKind, type FaultSpec, formatFaultSpec } from "./fault-spec.js";

/** A fault in force. */
export interface ActiveFault {
  /** Its id ("1", "2", ...), for removing it. */
  readonly id: string;
  readonly spec: FaultSpec;
  /** The spec in the grammar, e.g. `drop@after=20`. */
  readonly text: string;
  /** How often it has acted. */
  fired: number;
  /** True once `times` firings happened; a spent fault no longer acts. */
  spent: boolean;
}

/** Where a fault might act: a room (when known) and a connection (when there is one). */
export interface FaultScope {
  room?: { uniqueId: string; roomId: string };
  conn?: string;
}

/** The faults of one simulator: added from options, the CLI, the control endpoint or the API. */
export class FaultRegistry {
  private seq = 0;
  private readonly faults = new Map<string, ActiveFault>();
  private readonly listeners = new Set<(fault: ActiveFault, change: "added" | "removed") => void>();

  /** Adds a fault; returns it with its id. */
  add(spec: FaultSpec): ActiveFault {
    this.seq += 1;
    const fault: ActiveFault = {
      id: String(this.seq),
      spec,
      text: formatFaultSpec(spec),
      fired: 0,
      spent: false,
    };
    this.faults.set(fault.id, fault);
    for (const listener of this.listeners) listener(fault, "added");
    return fault;
  }

  /** Removes a fault; false when there is none with that id. */
  remove(id: string): boolean {
    const fault = this.faults.get(id);
    if (fault === undefined) return false;
    this.faults.delete(id);
    for (const listener of this.listeners) listener(fault, "removed");
    return true;
  }

  /** Removes every fault. */
  clear(): void {
    for (const id of [...this.faults.keys()]) this.remove(id);
  }

  /** Every fault, spent ones included, in the order they were added. */
  list(): ActiveFault[] {
    return [...this.faults.values()];
  }

  /** Calls `listener` when a fault is added or removed. Returns the unsubscribe function. */
  onChange(listener: (fault: ActiveFault, change: "added" | "removed") => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The unspent faults of these kinds whose `room` and `conn` scope matches. */
  matching(kinds: readonly FaultKind[], scope: FaultScope): ActiveFault[] {
    const out: ActiveFault[] = [];
    for (const fault of this.faults.values()) {
      if (fault.spent || !kinds.includes(fault.spec.kind)) continue;
      if (fault.spec.room !== undefined) {
        const room = scope.room;
        if (room === undefined) continue;
        const wanted = fault.spec.room.replace(/^@/, "").toLowerCase();
        if (room.uniqueId.toLowerCase() !== wanted && room.roomId !== wanted) continue;
      }
      if (fault.spec.conn !== undefined && fault.spec.conn !== scope.conn) continue;
      out.push(fault);
    }
    return out;
  }

  /** Records that a fault acted once. False (and nothing recorded) when it was already spent. */
  fire(fault: ActiveFault): boolean {
    if (fault.spent) return false;
    fault.fired += 1;
    if (fault.spec.times !== undefined && fault.fired >= fault.spec.times) fault.spent = true;
    return true;
  }
}
