/**
 * @module
 * Which expectations apply to a model, from three sources in order of precedence:
 * 1. expectations set for the model through the API (`PUT /v1/models/:model/expectations`, kept in the store);
 * 2. the model's entry in the expectations file (`faultline serve --expectations FILE`, reloaded on change);
 * 3. the defaults (integrity, operational and ML expectations), for every model nobody configured.
 * The file's top-level `useDefaults` also applies to models it does not name; an API-set entry stands alone.
 */

import { expectationsFor } from '../../core/expectations/defaults.js';
import type { Expectation } from '../../core/expectations/expectation.js';
import type { ExpectationsFile } from '../../core/expectations/schema.js';
import type { EngineStateStore } from '../../store/store.js';

export type ExpectationSourceKind = 'api' | 'file' | 'defaults';

export interface ModelExpectations {
  model: string;
  source: ExpectationSourceKind;
  expectations: Expectation[];
}

/** The expectations file as last loaded: where it is, when it was read, and the error of the last bad read. */
export interface ExpectationsFileState {
  path: string;
  /** When the file in use was read (epoch ms); null when no good version was ever read. */
  loadedAtMs: number | null;
  /** The located problems of the latest read, when it failed (the previous expectations stay in force). */
  error: string | null;
}

export interface ExpectationRegistry {
  /** The expectations of one model now, with where they come from. */
  forModel(project: string, model: string): Promise<ModelExpectations>;
  /** Replaces the file's expectations (null: no file). */
  setFile(file: ExpectationsFile | null, state: ExpectationsFileState | null): void;
  /** Records a failed read of the file; the previous expectations stay in force. */
  setFileError(error: string): void;
  fileState(): ExpectationsFileState | null;
}

export function createExpectationRegistry(store: EngineStateStore): ExpectationRegistry {
  let file: ExpectationsFile | null = null;
  let state: ExpectationsFileState | null = null;
  return {
    async forModel(project, model) {
      const own = (await store.listModelExpectations(project)).find((r) => r.model === model);
      if (own !== undefined)
        return {
          model,
          source: 'api',
          expectations: expectationsFor({ version: 1, models: { [model]: own.input } }, model),
        };
      const named = file?.models?.[model] !== undefined;
      return {
        model,
        source: named || (file !== null && file.useDefaults === false) ? 'file' : 'defaults',
        expectations: expectationsFor(file, model),
      };
    },
    setFile(next, nextState) {
      file = next;
      state = nextState;
    },
    setFileError(error) {
      state = state === null ? null : { ...state, error };
    },
    fileState: () => state,
  };
}
