/**
 * @module
 * The windows touched by one group of ingestion calls. Each window is loaded once (from the store's cache
 * when the stored revision matches, else decoded), receives the group's operations in order — consecutive
 * predictions column by column — and is written back once, with the next revision, before COMMIT.
 */
import type { FeedbackEvent, Output, PredictionEvent, Scalar } from '../../core/contract/index.js';
import type { Timed } from '../store.js';
import type { WindowState } from '../window-state.js';
import { addFeedback, addJoinedLabel, addPredictions } from '../window-state.js';

export interface ModelKey {
  id: number;
  bucketMs: number;
}

type WindowOp =
  | { kind: 'prediction'; event: Timed<PredictionEvent> }
  | { kind: 'label'; join: { id: string; output: Output | null; value: Scalar; timeToLabelMs: number } }
  | { kind: 'feedback'; event: Timed<FeedbackEvent> };

/** A window being updated by the current transaction. */
export interface OpenWindow {
  key: string;
  modelId: number;
  version: string;
  startMs: number;
  bucketMs: number;
  /** Revision the window was read at (0 when new). */
  rev: number;
  state: WindowState;
  ops: WindowOp[];
}

/** Loads a window for update (the store's cache-or-decode). */
export type WindowLoader = (key: string, m: ModelKey, version: string, startMs: number) => OpenWindow;

export class WindowBatch {
  readonly open = new Map<string, OpenWindow>();
  constructor(private readonly load: WindowLoader) {}

  private window(m: ModelKey, version: string, startMs: number): OpenWindow {
    const key = `${m.id}\u0000${version}\u0000${startMs}`;
    let w = this.open.get(key);
    if (!w) {
      w = this.load(key, m, version, startMs);
      this.open.set(key, w);
    }
    return w;
  }

  prediction(m: ModelKey, version: string, startMs: number, event: Timed<PredictionEvent>): void {
    this.window(m, version, startMs).ops.push({ kind: 'prediction', event });
  }

  label(
    m: ModelKey,
    version: string,
    startMs: number,
    join: { id: string; output: Output | null; value: Scalar; timeToLabelMs: number },
  ): void {
    this.window(m, version, startMs).ops.push({ kind: 'label', join });
  }

  feedback(m: ModelKey, version: string, startMs: number, event: Timed<FeedbackEvent>): void {
    this.window(m, version, startMs).ops.push({ kind: 'feedback', event });
  }

  /** Applies every window's queued operations in order; returns the windows. */
  settle(): OpenWindow[] {
    for (const w of this.open.values()) {
      let run: Timed<PredictionEvent>[] = [];
      const flush = () => {
        if (run.length > 0) addPredictions(w.state, run);
        run = [];
      };
      for (const op of w.ops) {
        if (op.kind === 'prediction') {
          run.push(op.event);
          continue;
        }
        flush();
        if (op.kind === 'label') addJoinedLabel(w.state, op.join);
        else addFeedback(w.state, op.event);
      }
      flush();
      w.ops = [];
    }
    return [...this.open.values()];
  }
}
