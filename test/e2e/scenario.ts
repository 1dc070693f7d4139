/**
 * A scripted day for the dashboard's end-to-end tests, sent to a running collector through its HTTP API:
 *
 * 1. Two models: `churn` (a classifier served by three instances) and `recs` (a recommender on one instance).
 * 2. Versions: churn v1 (old) and v2 (intended, validated in a recorded environment); recs r1.
 * 3. A day of predictions ending now, labels arriving two hours late, heartbeats every five minutes.
 * 4. The injected fault, from `onsetMs` on: instance pod-3 of churn starts in a changed environment (an upgraded
 *    scikit-learn and lock file), a quarter of its requests fail with `dependency_error`, its latency quadruples
 *    and its answers are right only 55 % of the time while its scores stay confident.
 * 5. A campaign brings newer customers in the last eight hours: churn's tenure drifts down on every instance,
 *    and the model, less sure of them, scores them with less confidence (still calibrated), so its accuracy
 *    estimated from scores (CBPE, fitted on v2's reference data set) falls.
 * 6. recs concentrates its exposure on fewer items as the day goes on (a feedback loop forming).
 *
 * One feature name and one category value are HTML, to check that the dashboard shows them as text.
 *
 * `configureExpectations` then sets what each model is held to, and `evaluateAll` has the collector evaluate
 * every closed window: churn's error rate breaks from the fault on (top cause: the dependency change on pod-3),
 * its estimated accuracy falls under its limit once the campaign runs (with tenure flagged as drifted), and recs'
 * exposure concentration passes its limit during the day (a feedback loop).
 */
import { type Rng, seededRng } from '../../src/core/rng.js';

export const HOUR = 3_600_000;
export const HTML_FEATURE = '<img src=x onerror=alert(1)>';
export const HTML_CATEGORY = '<b>gold</b>';

export interface Scenario {
  startMs: number;
  endMs: number;
  onsetMs: number;
  faultyInstance: string;
  counts: { predictions: number; labels: number; heartbeats: number; feedback: number };
}

export const VALIDATED_FINGERPRINT = {
  runtime: 'python 3.11.9',
  os: 'linux',
  arch: 'x86_64',
  lockfileHash: 'sha256:1f0c2a9e77d4',
  packages: { 'scikit-learn': '1.3.2', numpy: '1.26.4', pandas: '2.1.4' },
};

const BROKEN_FINGERPRINT = {
  ...VALIDATED_FINGERPRINT,
  lockfileHash: 'sha256:9b44e0c1d2aa',
  packages: { 'scikit-learn': '1.5.0', numpy: '2.0.0', pandas: '2.1.4' },
};

type Post = (path: string, body: unknown, method?: 'POST' | 'PUT') => Promise<unknown>;

/** A poster for `base` with an admin token; throws with the collector's answer on failure. */
export function poster(base: string, token: string): Post {
  return async (path, body, method = 'POST') => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
    const json = text ? (JSON.parse(text) as { rejected?: unknown[] }) : null;
    if (json && Array.isArray(json.rejected) && json.rejected.length > 0)
      throw new Error(`${path}: rejected ${JSON.stringify(json.rejected.slice(0, 3))}`);
    return json;
  };
}

async function postBatches(post: Post, path: string, events: unknown[], size = 5000): Promise<void> {
  for (let i = 0; i < events.length; i += size) await post(path, events.slice(i, i + size));
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.nextInt(xs.length)]!;
const normal = (rng: Rng) => {
  const u = Math.max(1e-12, rng.next());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
};

const PLANS = ['basic', 'plus', 'premium'];
const REGIONS = ['north', 'south', 'east', 'west'];

/** Churn's features as customers arrive before the campaign (`campaign` false) or during it. */
function churnFeatures(rng: Rng, campaign: boolean): Record<string, number | string | null> {
  const tenure = Math.max(0, Math.round((campaign ? 14 : 24) + (campaign ? 10 : 14) * normal(rng)));
  const charges = Math.round((55 + 18 * normal(rng)) * 100) / 100;
  const plan = rng.next() < 0.01 ? HTML_CATEGORY : pick(rng, PLANS);
  const features: Record<string, number | string | null> = {
    tenure_months: tenure,
    monthly_charges: charges,
    plan,
    region: pick(rng, REGIONS),
    support_calls: Math.min(9, Math.floor(-Math.log(Math.max(1e-9, rng.next())) * 1.5)),
    [HTML_FEATURE]: Math.round(rng.next() * 10),
  };
  if (rng.next() < 0.02) features.monthly_charges = null;
  return features;
}

/**
 * One answer of churn: the truth, the class chosen and its probability. The probability is calibrated (the answer
 * is right that often) unless `faulty`, when it stays as confident while being right only 55 % of the time.
 */
function churnAnswer(
  rng: Rng,
  campaign: boolean,
  faulty: boolean,
): { truth: string; cls: string; confidence: number } {
  const truth = rng.next() < 0.3 ? 'yes' : 'no';
  const u = rng.next();
  const confidence = campaign ? 0.55 + 0.2 * u : 0.8 + 0.18 * u;
  const right = rng.next() < (faulty ? 0.55 : confidence);
  return { truth, cls: right ? truth : truth === 'yes' ? 'no' : 'yes', confidence };
}

/** v2's reference data set: 1000 labelled rows from before the campaign, with the model's outputs. */
function churnReference(): Record<string, unknown>[] {
  const rng = seededRng(20250302);
  return Array.from({ length: 1000 }, () => {
    const features = churnFeatures(rng, false);
    const { truth, cls, confidence } = churnAnswer(rng, false, false);
    const pYes = cls === 'yes' ? confidence : 1 - confidence;
    return { ...features, class: cls, 'probability.yes': pYes, 'probability.no': 1 - pYes, label: truth };
  });
}

/** Sends the whole scenario; returns its times and counts. */
export async function runScenario(base: string, adminToken: string, endMs: number): Promise<Scenario> {
  const post = poster(base, adminToken);
  const rng = seededRng(20250301);
  // The day starts on the hour, so the first hourly window is whole.
  const startMs = Math.ceil((endMs - 24 * HOUR) / HOUR) * HOUR;
  const onsetMs = endMs - 5 * HOUR;
  const labelDelayMs = 2 * HOUR;
  const counts = { predictions: 0, labels: 0, heartbeats: 0, feedback: 0 };

  // 1–2. Models and versions.
  await post('/v1/models', {
    name: 'churn',
    task: 'classification',
    description: 'Will the customer leave this month?',
  });
  await post('/v1/models', { name: 'recs', task: 'ranking', description: 'Home page recommendations' });
  await post('/v1/models/churn/versions', {
    version: 'v1',
    artifactHash: 'sha256:aa01',
    validationMetrics: { accuracy: 0.88 },
  });
  await post('/v1/models/churn/versions', {
    version: 'v2',
    artifactHash: 'sha256:bb02',
    validationMetrics: { accuracy: 0.91, roc_auc: 0.95 },
    fingerprint: VALIDATED_FINGERPRINT,
    intended: true,
  });
  const ref = await fetch(`${base}/v1/models/churn/versions/v2/reference`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/x-ndjson' },
    body: churnReference()
      .map((r) => JSON.stringify(r))
      .join('\n'),
  });
  if (!ref.ok) throw new Error(`reference of churn v2 → ${ref.status}: ${await ref.text()}`);
  await post('/v1/models/recs/versions', { version: 'r1', artifactHash: 'sha256:cc03', intended: true });
  await post('/v1/events', [
    {
      id: 'deploy-v2',
      kind: 'deploy',
      timestamp: startMs + HOUR,
      model: 'churn',
      version: 'v2',
      message: 'v2 rolled out',
    },
  ]);

  // 3–4. Churn predictions and labels.
  const instances = ['pod-1', 'pod-2', 'pod-3'];
  const predictions: unknown[] = [];
  const labels: unknown[] = [];
  let n = 0;
  for (let t = startMs; t < endMs; t += 15_000) {
    const instance = instances[n % 3]!;
    n += 1;
    const faulty = instance === 'pod-3' && t >= onsetMs;
    // v1 still serves a little traffic early in the day, then v2 takes over.
    const version = t < startMs + 2 * HOUR && n % 4 === 0 ? 'v1' : 'v2';
    // A campaign brings in newer customers over the last eight hours: tenure shifts down (covariate shift).
    const campaign = t >= endMs - 8 * HOUR;
    const features = churnFeatures(rng, campaign);
    const { truth, cls, confidence } = churnAnswer(rng, campaign, faulty);
    const error = faulty && rng.next() < 0.25;
    const latency = Math.max(3, (40 + 12 * normal(rng)) * (faulty ? 4 : 1));
    const id = `c-${t}-${instance}`;
    predictions.push({
      id,
      timestamp: t,
      version,
      artifactHash: version === 'v1' ? 'sha256:aa01' : 'sha256:bb02',
      instance,
      features,
      ...(error
        ? { status: 'error', errorKind: 'dependency_error' }
        : {
            output: {
              class: cls,
              probabilities: { [cls]: confidence, [cls === 'yes' ? 'no' : 'yes']: 1 - confidence },
            },
          }),
      latencyMs: Math.round(latency * 10) / 10,
    });
    if (!error && t < endMs - labelDelayMs && rng.next() < 0.9)
      labels.push({
        predictionId: id,
        value: truth,
        timestamp: Math.round(t + labelDelayMs * (0.5 + rng.next() / 2)),
      });
  }
  await postBatches(post, '/v1/models/churn/predictions', predictions);
  await postBatches(post, '/v1/models/churn/labels', labels);
  counts.predictions += predictions.length;
  counts.labels += labels.length;

  // Heartbeats every five minutes from every instance.
  const beats: unknown[] = [];
  for (let t = startMs; t < endMs; t += 5 * 60_000)
    for (const instance of [...instances, 'recs-1']) {
      const faulty = instance === 'pod-3' && t >= onsetMs;
      beats.push({
        instance,
        model: instance === 'recs-1' ? 'recs' : 'churn',
        version: instance === 'recs-1' ? 'r1' : 'v2',
        artifactHash: instance === 'recs-1' ? 'sha256:cc03' : 'sha256:bb02',
        timestamp: t + instances.indexOf(instance) * 1000,
        intervalMs: 300_000,
        fingerprint: faulty ? BROKEN_FINGERPRINT : VALIDATED_FINGERPRINT,
        host: {
          cpuPercent: Math.round((faulty ? 85 : 35) + 8 * normal(rng)),
          memoryUsedBytes: 2.1e9 + 1e8 * rng.next(),
        },
        checks: [
          { name: 'model_readable', ok: true },
          { name: 'cache_writable', ok: true },
        ],
      });
    }
  await postBatches(post, '/v1/heartbeats', beats);
  counts.heartbeats = beats.length;

  // 6. Recommender: exposure concentrates over the day (the popularity exponent grows).
  const catalogue = Array.from({ length: 200 }, (_, i) => `item-${i}`);
  const draw = (s: number) => {
    const w = catalogue.map((_, i) => (i + 1) ** -s);
    const total = w.reduce((a, b) => a + b, 0);
    let u = rng.next() * total;
    for (let i = 0; i < w.length; i++) if ((u -= w[i]!) <= 0) return catalogue[i]!;
    return catalogue[catalogue.length - 1]!;
  };
  const recPredictions: unknown[] = [];
  const recLabels: unknown[] = [];
  const feedback: unknown[] = [];
  for (let t = startMs; t < endMs; t += 60_000) {
    const s = 0.5 + (1.3 * (t - startMs)) / (endMs - startMs);
    const items = new Set<string>();
    while (items.size < 10) items.add(draw(s));
    const list = [...items];
    const id = `r-${t}`;
    const wanted = draw(0.7);
    recPredictions.push({
      id,
      timestamp: t,
      version: 'r1',
      artifactHash: 'sha256:cc03',
      instance: 'recs-1',
      features: { user_segment: pick(rng, ['new', 'casual', 'loyal']), hour: new Date(t).getUTCHours() },
      output: { items: list },
      latencyMs: Math.round(20 + 5 * rng.next()),
    });
    if (t < endMs - labelDelayMs) recLabels.push({ predictionId: id, value: wanted, timestamp: t + HOUR });
    feedback.push({
      id: `${id}-shown`,
      predictionId: id,
      item: list[0]!,
      position: 0,
      action: 'shown',
      timestamp: t + 1000,
    });
    const pos = list.indexOf(wanted);
    if (pos >= 0 && pos < 3)
      feedback.push({
        id: `${id}-click`,
        predictionId: id,
        item: wanted,
        position: pos,
        action: 'clicked',
        timestamp: t + 5000,
      });
  }
  await postBatches(post, '/v1/models/recs/predictions', recPredictions);
  await postBatches(post, '/v1/models/recs/labels', recLabels);
  await postBatches(post, '/v1/models/recs/feedback', feedback);
  counts.predictions += recPredictions.length;
  counts.labels += recLabels.length;
  counts.feedback = feedback.length;

  return { startMs, endMs, onsetMs, faultyInstance: 'pod-3', counts };
}

/** What each model is held to in the scenario (the defaults are off, so only these can open incidents). */
export async function configureExpectations(base: string, adminToken: string): Promise<void> {
  const post = poster(base, adminToken);
  await post(
    '/v1/models/churn/expectations',
    {
      useDefaults: false,
      expectations: [
        {
          id: 'error_rate',
          metric: 'error_rate',
          comparator: '<',
          threshold: 0.01,
          over: '1h',
          decideOn: 'interval',
        },
        { id: 'latency_p99', metric: 'latency_p99_ms', comparator: '<', threshold: 1000, over: '1h' },
        {
          id: 'estimated_accuracy',
          metric: 'estimated_accuracy',
          comparator: '>=',
          threshold: 0.8,
          over: '1h',
        },
        {
          id: 'drifted_features',
          metric: 'drifted_feature_share',
          comparator: '<=',
          threshold: 0.2,
          over: '1h',
        },
        { kind: 'heartbeat', id: 'heartbeat', every: '5m', missedBeats: 1, over: '1h' },
      ],
    },
    'PUT',
  );
  await post(
    '/v1/models/recs/expectations',
    {
      useDefaults: false,
      expectations: [
        { id: 'exposure_gini', metric: 'exposure_gini', comparator: '<', threshold: 0.75, over: '1h' },
      ],
    },
    'PUT',
  );
}

/** Evaluates every window the watermarks have closed (as the scheduler would), until nothing is left. */
export async function evaluateAll(base: string, adminToken: string): Promise<void> {
  const post = poster(base, adminToken);
  for (let round = 0; round < 100; round++) {
    const r = (await post('/v1/evaluate', {})) as { runs: { more: boolean }[] };
    if (!r.runs.some((x) => x.more)) return;
  }
  throw new Error('evaluation did not finish in 100 rounds');
}
