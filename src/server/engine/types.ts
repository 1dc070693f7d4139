/**
 * @module
 * The seam between window analysis (reading a closed window out of the store and running every detector on it)
 * and the evaluation pipeline (expectations → diagnosis → incidents → alerts). The analyser produces, for one
 * model and one event-time window, the figures expectations are evaluated on and every detector's outcome;
 * the pipeline decides when a window is due (the watermark) and what follows from it.
 */
import type { WindowFigures } from '../../core/expectations/window-figures.js';
import type { DetectorOutcome, TimeWindow } from '../../core/findings/finding.js';

export interface WindowAnalysis {
  project: string;
  model: string;
  window: TimeWindow;
  /** The figures expectations read: operational, realised and estimated performance, drift share, exposure… */
  figures: WindowFigures;
  /** Every detector's outcome for this window, findings and explicit "clear" / "can't tell" results alike. */
  outcomes: DetectorOutcome[];
}

export interface WindowAnalyzer {
  /** Analyses one closed window of one model. Pure with respect to the store: reads, never writes. */
  analyze(project: string, model: string, window: TimeWindow): Promise<WindowAnalysis>;
}
