"""Faultline client for Python: report predictions, labels, feedback, events and heartbeats to a collector.

A single file using only the standard library (urllib, json, threading). Copy it next to your serving
code. Like the Node SDK it never raises into the caller and never blocks it: ``log()`` appends to a bounded
buffer and a daemon thread sends batches, one request at a time, oldest first. A batch the collector could
not take for a reason that may pass (network error, 408, 429, 5xx) stays buffered and goes again first,
after exponential back-off with full jitter and never sooner than the collector's ``Retry-After``; there is
no retry limit while the buffer has room. The waiting batch counts in the buffer's bound like new events;
beyond the bound the oldest events are dropped, and every drop is counted and reported with each heartbeat.

    from faultline_client import Monitor

    monitor = Monitor(url="http://127.0.0.1:7070", token="flt_...", model="churn",
                      version="v3", artifact_hash="sha256:...")
    pid = monitor.log({"age": 41, "plan": "pro"}, output={"class": "churn", "score": 0.71}, latency_ms=4.2)
    monitor.label(pid, "churn")            # later, when the truth is known
    monitor.heartbeat(checks=[{"name": "gpu", "ok": False, "detail": "CUDA unavailable"}])  # also sent on its own
    monitor.close()                        # flushes (also done at interpreter exit)

The HTTP contract is described in docs/http-api.md and at GET /openapi.json.
"""

from __future__ import annotations

import atexit
import collections
import datetime
import email.utils
import glob
import hashlib
import json
import math
import os
import platform
import random
import re
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, Callable, Dict, List, Optional

__all__ = ["Monitor", "Attempt", "SendOutcome", "post_batch", "send_batch", "parse_retry_after", "SDK_NAME",
           "SDK_VERSION"]

SDK_NAME = "faultline-python"
SDK_VERSION = "0.1.0"
_LOCKFILES = ("requirements.txt", "poetry.lock", "uv.lock", "Pipfile.lock", "pdm.lock", "package-lock.json")


def _now_ms() -> int:
    return int(time.time() * 1000)


class SendOutcome:
    """What happened to one batch: delivered (stored or duplicate), rejected (by the collector), failed."""

    __slots__ = ("delivered", "rejected", "failed", "retries", "problem")

    def __init__(self, delivered=0, rejected=0, failed=0, retries=0, problem=None):
        self.delivered = delivered
        self.rejected = rejected
        self.failed = failed
        self.retries = retries
        self.problem = problem


def _describe(status: int, raw: bytes) -> str:
    try:
        err = json.loads(raw.decode("utf-8")).get("error", {})
        issues = err.get("issues") or []
        detail = ""
        if issues:
            i = issues[0]
            detail = " (event %s: %s: %s)" % (i.get("index", "?"), i.get("field", ""), i.get("reason", ""))
        return "%d %s: %s%s" % (status, err.get("code", ""), err.get("message", ""), detail)
    except Exception:
        return "HTTP %d" % status


def parse_retry_after(header: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """A ``Retry-After`` header in seconds: delay-seconds (fractions are read too) or an HTTP date, relative to
    ``now`` (Unix seconds); None when absent or unreadable."""
    value = (header or "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
        return seconds if seconds >= 0 and seconds != float("inf") else None
    except ValueError:
        pass
    try:
        at = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, at - (time.time() if now is None else now))


def backoff(failures: int, base_delay: float, max_delay: float, retry_after: Optional[float] = None,
            rand: Callable[[], float] = random.random) -> float:
    """The wait before retry number ``failures`` (1 after the first failure): full jitter over
    ``min(max_delay, base_delay * 2 ** (failures - 1))``, but never less than ``retry_after``."""
    cap = min(max_delay, base_delay * (2 ** max(0, failures - 1)))
    return max(rand() * cap, retry_after or 0.0)


class Attempt:
    """What one attempt did with a batch: delivered, rejected, and how many events at its end are to be sent
    again (``unsent``), with the wait the collector asked for (``retry_after``, seconds) if it did."""

    __slots__ = ("delivered", "rejected", "unsent", "retry_after", "problem")

    def __init__(self, delivered=0, rejected=0, unsent=0, retry_after=None, problem=None):
        self.delivered = delivered
        self.rejected = rejected
        self.unsent = unsent
        self.retry_after = retry_after
        self.problem = problem


def post_batch(url: str, token: str, events: List[dict], timeout: float = 10.0) -> Attempt:
    """POSTs ``events`` as a JSON array once. Network errors, timeouts, 408, 429 and 5xx leave the batch to send
    again; other 4xx reject it; a 413 sends each half in turn and stops at the first half that must wait, so
    what is left is always the end of the batch."""
    body = json.dumps(events, separators=(",", ":")).encode("utf-8")
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "authorization": "Bearer " + token, "content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            answer = json.loads(res.read().decode("utf-8"))
            rejected = answer.get("rejected") or []
            first = rejected[0] if rejected else None
            return Attempt(
                delivered=answer.get("accepted", 0) + answer.get("duplicates", 0),
                rejected=len(rejected),
                problem=("event rejected: %s: %s" % (first.get("field"), first.get("reason"))) if first else None,
            )
    except urllib.error.HTTPError as e:
        status = e.code
        raw = e.read()
        if status == 413 and len(events) > 1:
            half = (len(events) + 1) // 2
            a = post_batch(url, token, events[:half], timeout)
            if a.unsent:
                a.unsent += len(events) - half
                return a
            b = post_batch(url, token, events[half:], timeout)
            return Attempt(a.delivered + b.delivered, a.rejected + b.rejected, b.unsent, b.retry_after,
                           b.problem or a.problem)
        problem = _describe(status, raw)
        if not (status in (408, 429) or status >= 500):
            return Attempt(rejected=len(events), problem=problem)
        return Attempt(unsent=len(events), retry_after=parse_retry_after(e.headers.get("retry-after")),
                       problem=problem)
    except Exception as e:  # network errors, timeouts, bad answers
        return Attempt(unsent=len(events), problem="%s: %s" % (type(e).__name__, e))


def send_batch(url: str, token: str, events: List[dict], max_retries: int = 6, base_delay: float = 0.2,
               max_delay: float = 30.0, timeout: float = 10.0) -> SendOutcome:
    """Sends ``events`` with :func:`post_batch`, retrying what is left up to ``max_retries`` times (heartbeats)."""
    delivered = rejected = 0
    rejection = None
    rest = events
    retries = 0
    while True:
        a = post_batch(url, token, rest, timeout)
        delivered += a.delivered
        rejected += a.rejected
        if a.rejected and rejection is None:
            rejection = a.problem
        if a.unsent == 0 or retries >= max_retries:
            return SendOutcome(delivered, rejected, a.unsent, retries, a.problem if a.unsent else rejection)
        rest = rest[len(rest) - a.unsent:]
        retries += 1
        time.sleep(backoff(retries, base_delay, max_delay, a.retry_after))


def _fingerprint(root: str, lockfile: Optional[str], packages: List[str]) -> Dict[str, Any]:
    fp: Dict[str, Any] = {
        "runtime": "python %s" % platform.python_version(),
        "os": "%s %s" % (platform.system().lower(), platform.release()),
        "arch": platform.machine(),
    }
    for path in ([lockfile] if lockfile else [os.path.join(root, f) for f in _LOCKFILES]):
        try:
            with open(path, "rb") as f:
                fp["lockfileHash"] = "sha256:" + hashlib.sha256(f.read()).hexdigest()
            break
        except OSError:
            continue
    if packages:
        try:
            from importlib import metadata
        except ImportError:  # pragma: no cover - Python < 3.8
            metadata = None
        found = {}
        for name in packages:
            try:
                found[name] = metadata.version(name) if metadata else "unknown"
            except Exception:
                found[name] = "missing"
        fp["packages"] = found
    return fp


def read_temperature_c(base: str = "/sys/class/thermal") -> Optional[float]:
    """Highest temperature over the thermal zones in °C, or None where none is readable."""
    best = None
    for path in glob.glob(os.path.join(base, "thermal_zone*", "temp")):
        try:
            with open(path) as f:
                value = int(f.read().strip()) / 1000.0
            best = value if best is None or value > best else best
        except (OSError, ValueError):
            continue
    return best


def _host_metrics() -> Dict[str, Optional[float]]:
    out: Dict[str, Optional[float]] = {"temperatureC": read_temperature_c()}
    try:
        out["load1"] = os.getloadavg()[0]
    except (OSError, AttributeError):
        out["load1"] = None
    try:
        info = {}
        with open("/proc/meminfo") as f:
            for line in f:
                key, value = line.split(":", 1)
                info[key] = int(value.split()[0]) * 1024
        out["memoryTotalBytes"] = info.get("MemTotal")
        if "MemAvailable" in info and "MemTotal" in info:
            out["memoryUsedBytes"] = info["MemTotal"] - info["MemAvailable"]
    except (OSError, ValueError):
        pass
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    out["processRssBytes"] = int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return out


def _self_checks(model_path: Optional[str], writable_paths: List[str],
                 custom: Dict[str, Callable[[], bool]]) -> List[dict]:
    checks = []
    if model_path is not None:
        ok = os.access(model_path, os.R_OK)
        checks.append({"name": "read_model", "ok": ok, "detail": model_path if ok else "not readable: " + model_path})
    for p in writable_paths:
        ok = os.access(p, os.W_OK)
        checks.append({"name": "write:" + p, "ok": ok, "detail": p if ok else "not writable: " + p})
    for name, check in custom.items():
        try:
            checks.append({"name": name, "ok": bool(check())})
        except Exception as e:
            checks.append({"name": name, "ok": False, "detail": str(e)})
    return checks


# The collector's limits on a heartbeat (src/core/contract): names and short texts, details, checks per beat.
_SHORT_CHARS = 200
_DETAIL_CHARS = 10000
_MAX_CHECKS = 100
_MIN_EPOCH_MS = 100000000000  # below this a time is most likely epoch seconds
_MAX_EPOCH_MS = 253402300799999  # the end of the year 9999
_ISO = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$")
_FINGERPRINT_TEXTS = ("runtime", "os", "arch", "lockfileHash")


class _Invalid(Exception):
    """A heartbeat override the collector would refuse: the field (as the caller wrote it) and why."""

    def __init__(self, field: str, reason: str):
        super().__init__("%s: %s" % (field, reason))


def _is_number(v: Any) -> bool:
    # bool is an int in Python but not a number on the wire; NaN and infinities are not JSON.
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _short_text(field: str, v: Any) -> str:
    if not isinstance(v, str) or not 1 <= len(v) <= _SHORT_CHARS:
        raise _Invalid(field, "expected a string of 1-%d characters" % _SHORT_CHARS)
    return v


def _keyed(field: str, v: Any) -> Dict[str, Any]:
    if not isinstance(v, dict):
        raise _Invalid(field, "expected a dict, got %s" % type(v).__name__)
    for key in v:
        _short_text("%s (a key)" % field, key)
    return v


def _check_timestamp(v: Any) -> Any:
    if isinstance(v, str):
        m = _ISO.match(v)
        try:
            if m:
                datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                return v
        except ValueError:
            pass
    elif _is_number(v):
        if v != int(v):
            raise _Invalid("timestamp", "epoch milliseconds must be an integer")
        if v < _MIN_EPOCH_MS:
            raise _Invalid("timestamp", "epoch milliseconds below 1e11 look like epoch seconds; send milliseconds")
        if v > _MAX_EPOCH_MS:
            raise _Invalid("timestamp", "epoch milliseconds beyond the year 9999")
        return int(v)
    raise _Invalid("timestamp", "expected an ISO-8601 date-time with a zone (e.g. 2025-03-01T12:00:00Z) or "
                                "epoch milliseconds")


def _check_host(v: Any) -> Dict[str, Optional[float]]:
    for key, value in _keyed("host", v).items():
        if value is not None and not _is_number(value):
            raise _Invalid("host.%s" % key, "expected a finite number or None, got %r" % (value,))
    return dict(v)


def _check_checks(v: Any) -> List[dict]:
    if not isinstance(v, (list, tuple)) or len(v) > _MAX_CHECKS:
        raise _Invalid("checks", "expected a list of at most %d checks" % _MAX_CHECKS)
    for i, check in enumerate(v):
        field = "checks.%d" % i
        for key in _keyed(field, check):
            if key not in ("name", "ok", "detail"):
                raise _Invalid("%s.%s" % (field, key), "not a field of a check (name, ok, detail)")
        _short_text(field + ".name", check.get("name"))
        if not isinstance(check.get("ok"), bool):
            raise _Invalid(field + ".ok", "expected True or False")
        detail = check.get("detail")
        if "detail" in check and (not isinstance(detail, str) or len(detail) > _DETAIL_CHARS):
            raise _Invalid(field + ".detail", "expected a string of at most %d characters" % _DETAIL_CHARS)
    return [dict(c) for c in v]


def _check_fingerprint(v: Any) -> Dict[str, Any]:
    for key, value in _keyed("fingerprint", v).items():
        field = "fingerprint.%s" % key
        if key in _FINGERPRINT_TEXTS:
            _short_text(field, value)
        elif key == "packages":
            for name, version in _keyed(field, value).items():
                _short_text("%s.%s" % (field, name), version)
        elif key == "extra":
            for name, item in _keyed(field, value).items():
                if not (_is_number(item) or isinstance(item, bool) or
                        (isinstance(item, str) and len(item) <= 2000)):
                    raise _Invalid("%s.%s" % (field, name), "expected a number, a string or a boolean")
        else:
            raise _Invalid(field, "not a field of a fingerprint (%s, packages, extra)"
                           % ", ".join(_FINGERPRINT_TEXTS))
    return dict(v)


class Monitor:
    """Reports one model version's traffic to a Faultline collector. Never raises into the caller.

    ``max_buffer_events`` bounds the events held, the batch waiting for a retry included; while a batch is on
    the wire, events that arrive make room among those behind it, and the batch counts again once answered.
    ``max_retries`` bounds heartbeats only. ``flush()`` and ``close()`` wait while the collector takes batches,
    and give up once it has taken nothing for ``flush_timeout`` seconds (unless told otherwise); ``close()``
    then drops what is left, counted as ``unsent``.
    """

    def __init__(self, url: str, token: str, model: str, version: str, artifact_hash: str,
                 instance: Optional[str] = None, max_buffer_events: int = 10000, max_batch_events: int = 500,
                 flush_interval: float = 1.0, heartbeat_interval: float = 30.0, max_retries: int = 6,
                 retry_base_delay: float = 0.2, retry_max_delay: float = 30.0, timeout: float = 10.0,
                 packages: Optional[List[str]] = None, lockfile: Optional[str] = None,
                 model_path: Optional[str] = None, writable_paths: Optional[List[str]] = None,
                 checks: Optional[Dict[str, Callable[[], bool]]] = None,
                 on_error: Optional[Callable[[str], None]] = None, flush_timeout: float = 10.0):
        self._base = url.rstrip("/")
        self._token = token
        self._model = model
        self._version = version
        self._artifact_hash = artifact_hash
        self._instance = instance or "%s-%d" % (socket.gethostname(), os.getpid())
        self._max_buffer = max(1, int(max_buffer_events))
        self._max_batch = max(1, int(max_batch_events))
        self._flush_interval = flush_interval
        self._heartbeat_interval = heartbeat_interval
        self._retry = dict(max_retries=max_retries, base_delay=retry_base_delay, max_delay=retry_max_delay,
                           timeout=timeout)
        self._flush_timeout = flush_timeout
        self._on_error = on_error
        # Entries are (seq, kind, body); seq orders them for flush() to know when what it waits for has gone.
        self._buffer: collections.deque = collections.deque()
        # The oldest entries, taken from the buffer to be sent and kept until the collector takes them.
        self._pending: collections.deque = collections.deque()
        self._seq = 0
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._idle = threading.Condition(self._lock)
        self._in_flight = False
        self._failures = 0
        self._wait_until = 0.0  # time.monotonic() before which nothing is sent (back-off, Retry-After)
        self._progress_at = 0.0  # time.monotonic() when the collector last took something
        self._dropped: Dict[str, int] = {}
        self._drop_lock = threading.Lock()
        self._flush_requested = False
        self._sent = 0
        self._retries = 0
        self._closed = False
        self._stopped = False  # set once close() has given up: answers still on the way are ignored
        self._fingerprint = _fingerprint(os.getcwd(), lockfile, packages or [])
        self._checks = _self_checks(model_path, writable_paths or [], checks or {})
        self._last_heartbeat = 0.0
        self._thread = threading.Thread(target=self._run, name="faultline-monitor", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    # ── recording (called on the serving path) ─────────────────────────────

    def _drop(self, reason: str, n: int = 1) -> None:
        with self._drop_lock:
            self._dropped[reason] = self._dropped.get(reason, 0) + n

    def _held(self) -> int:
        return len(self._buffer) + len(self._pending)

    def _drop_oldest(self) -> None:
        """Drops the oldest entry held (with the lock); the batch on the wire is left until it is answered."""
        if self._pending and not self._in_flight:
            self._pending.popleft()
        else:
            self._buffer.popleft()
        self._drop("bufferFull")

    def _push(self, kind: str, body: dict) -> None:
        with self._lock:
            if self._closed:
                self._drop("closed")
                return
            room = (len(self._buffer) if self._in_flight else self._held()) < self._max_buffer
            if not room:
                self._drop_oldest()
                self._idle.notify_all()  # a flush may have been waiting for what was dropped
            self._seq += 1
            self._buffer.append((self._seq, kind, body))
            if len(self._buffer) >= self._max_batch:
                self._wake.notify()

    def log(self, features: Dict[str, Any], output: Optional[dict] = None, id: Optional[str] = None,
            latency_ms: Optional[float] = None, status: Optional[str] = None, error_kind: Optional[str] = None,
            timestamp: Any = None) -> str:
        """Records a prediction; returns its id."""
        pid = id or str(uuid.uuid4())
        try:
            body = {"id": pid, "timestamp": timestamp if timestamp is not None else _now_ms(),
                    "version": self._version, "artifactHash": self._artifact_hash, "instance": self._instance,
                    "features": dict(features)}
            if output is not None:
                body["output"] = output
            if latency_ms is not None:
                body["latencyMs"] = latency_ms
            if status is not None:
                body["status"] = status
            if error_kind is not None:
                body["errorKind"] = error_kind
            self._push("predictions", body)
        except Exception:
            self._drop("invalid")
        return pid

    def label(self, prediction_id: str, value: Any, timestamp: Any = None) -> None:
        """Records the true value of an earlier prediction."""
        self._push("labels", {"predictionId": prediction_id, "value": value,
                              "timestamp": timestamp if timestamp is not None else _now_ms()})

    def feedback(self, prediction_id: str, item: Any, action: str, position: Optional[int] = None,
                 id: Optional[str] = None, timestamp: Any = None) -> None:
        """Records what a user did with an item of a ranked output (shown, clicked, ...)."""
        body = {"id": id or str(uuid.uuid4()), "predictionId": prediction_id, "item": item, "action": action,
                "timestamp": timestamp if timestamp is not None else _now_ms(), "instance": self._instance}
        if position is not None:
            body["position"] = position
        self._push("feedback", body)

    def event(self, kind: str, message: Optional[str] = None, attributes: Optional[dict] = None,
              severity: Optional[str] = None, id: Optional[str] = None, timestamp: Any = None) -> None:
        """Records a free-form event: deploy, crash, error, probe, ..."""
        body = {"id": id or str(uuid.uuid4()), "kind": kind, "model": self._model, "version": self._version,
                "instance": self._instance, "timestamp": timestamp if timestamp is not None else _now_ms()}
        if message is not None:
            body["message"] = message
        if attributes is not None:
            body["attributes"] = attributes
        if severity is not None:
            body["severity"] = severity
        self._push("events", body)

    def wrap(self, fn: Callable, features: Optional[Callable] = None, output: Optional[Callable] = None,
             id: Optional[Callable] = None, timeout_ms: Optional[float] = None) -> Callable:
        """Wraps ``fn``: times each call and records it; returns its result and re-raises its exceptions unchanged."""
        monitor = self

        def record(args, kwargs, started, ok, value):
            try:
                latency = (time.perf_counter() - started) * 1000.0
                feats, out = {}, None
                try:
                    if features:
                        feats = features(*args, **kwargs)
                    if ok and output:
                        out = output(value)
                except Exception:
                    monitor._drop("extractorFailed")
                slow = timeout_ms is not None and latency > timeout_ms
                if ok:
                    status, kind = ("timeout", "timeout") if slow else ("ok", None)
                else:
                    status = "timeout" if isinstance(value, TimeoutError) else "error"
                    kind = type(value).__name__
                monitor.log(feats, output=out, id=id(*args, **kwargs) if id else None, latency_ms=latency,
                            status=status, error_kind=kind)
            except Exception:
                monitor._drop("invalid")

        def wrapped(*args, **kwargs):
            started = time.perf_counter()
            try:
                result = fn(*args, **kwargs)
            except BaseException as e:
                record(args, kwargs, started, False, e)
                raise
            record(args, kwargs, started, True, result)
            return result

        wrapped.__name__ = getattr(fn, "__name__", "wrapped")
        wrapped.__doc__ = getattr(fn, "__doc__", None)
        return wrapped

    # ── sending (background thread) ────────────────────────────────────────

    def _report(self, problem: Optional[str]) -> None:
        if problem and self._on_error:
            try:
                self._on_error(problem)
            except Exception:
                pass

    def _send_pending(self) -> None:
        """Sends the entries of the oldest pending kind (one request per kind: they go to separate routes)."""
        with self._lock:
            kind = self._pending[0][1]
            group = [e for e in self._pending if e[1] == kind]
            self._in_flight = True
        path = "/v1/events" if kind == "events" else "/v1/models/%s/%s" % (
            urllib.parse.quote(self._model, safe=""), kind)
        try:
            a = post_batch(self._base + path, self._token, [e[2] for e in group], self._retry["timeout"])
        except Exception as e:  # post_batch reports rather than raises; this keeps the batch if it ever did
            a = Attempt(unsent=len(group), problem="%s: %s" % (type(e).__name__, e))
        with self._lock:
            self._in_flight = False
            if self._stopped:
                return
            # What is left to send again is always the end of the group: the rest is done with.
            done = {e[0] for e in group[:len(group) - a.unsent]}
            self._pending = collections.deque(e for e in self._pending if e[0] not in done)
            self._sent += a.delivered
            if a.delivered or a.rejected:
                self._progress_at = time.monotonic()
            if a.rejected:
                self._drop("rejected", a.rejected)
            if a.unsent:
                self._failures += 1
                self._retries += 1
                self._wait_until = time.monotonic() + backoff(
                    self._failures, self._retry["base_delay"], self._retry["max_delay"], a.retry_after)
            else:
                self._failures = 0
            # The batch is back in the bound: events that came while it was on the wire may leave too many.
            while self._held() > self._max_buffer:
                self._drop_oldest()
            self._idle.notify_all()
        self._report(a.problem and "faultline %s: %s" % (kind, a.problem))

    def heartbeat(self, *, timestamp: Any = None, interval_ms: Optional[int] = None,
                  host: Optional[Dict[str, Optional[float]]] = None, checks: Optional[List[dict]] = None,
                  fingerprint: Optional[Dict[str, Any]] = None, max_retries: Optional[int] = None,
                  **unknown: Any) -> None:
        """Sends a heartbeat now (it is also sent every ``heartbeat_interval``): the fingerprint, host metrics,
        self-checks and the send/drop counts.

        Any of ``timestamp`` (epoch ms or ISO-8601 with a zone), ``interval_ms`` (when the next beat is due),
        ``host`` (metric name to number or None), ``checks`` (dicts with ``name``, ``ok`` and an optional
        ``detail``) and ``fingerprint`` is sent instead of what the monitor measures: a check the serving code
        ran itself, a host's history replayed in event time. They are validated as the collector validates a
        heartbeat; a bad one is reported through ``on_error`` with its field (``faultline heartbeat:
        host.cpuPercent: ...``), counted as ``invalid``, and the beat is not sent. Never raises.
        """
        try:
            given: Dict[str, Any] = {}
            if unknown:
                raise _Invalid(sorted(unknown)[0], "not a heartbeat override (timestamp, interval_ms, host, "
                                                   "checks, fingerprint)")
            if timestamp is not None:
                given["timestamp"] = _check_timestamp(timestamp)
            if interval_ms is not None:
                if not _is_number(interval_ms) or interval_ms != int(interval_ms) or interval_ms < 0:
                    raise _Invalid("interval_ms", "expected a whole number of milliseconds, 0 or more")
                given["intervalMs"] = int(interval_ms)
            if host is not None:
                given["host"] = _check_host(host)
            if checks is not None:
                given["checks"] = _check_checks(checks)
            if fingerprint is not None:
                given["fingerprint"] = _check_fingerprint(fingerprint)
        except Exception as e:  # a bad override, or a dict that failed while read: the caller's mistake
            self._drop("invalid")
            self._report("faultline heartbeat: %s; the heartbeat was not sent" % e)
            return
        try:
            beat = {"id": str(uuid.uuid4()), "instance": self._instance, "model": self._model,
                    "version": self._version, "artifactHash": self._artifact_hash,
                    "timestamp": given.get("timestamp", _now_ms()),
                    "intervalMs": given.get("intervalMs", int(self._heartbeat_interval * 1000)),
                    "fingerprint": given.get("fingerprint", self._fingerprint),
                    "host": given["host"] if "host" in given else _host_metrics(),
                    "checks": given.get("checks", self._checks),
                    "sdk": dict(name=SDK_NAME, version=SDK_VERSION, **self.stats())}
            retry = dict(self._retry)
            if max_retries is not None:
                retry["max_retries"] = max_retries
            r = send_batch(self._base + "/v1/heartbeats", self._token, [beat], **retry)
            with self._lock:
                self._retries += r.retries
            self._report(r.problem and "faultline heartbeat: " + r.problem)
        except Exception as e:
            self._report("faultline heartbeat: %s" % e)

    def _run(self) -> None:
        next_flush = time.monotonic() + self._flush_interval
        tick = False  # the flush interval came round and what was held then is not sent yet
        while True:
            with self._lock:
                while True:
                    if self._stopped:
                        return
                    now = time.monotonic()
                    if now >= next_flush:
                        next_flush = now + self._flush_interval
                        tick = True
                    due = (bool(self._pending) or self._flush_requested or tick
                           or len(self._buffer) >= self._max_batch)
                    send = self._held() > 0 and due and now >= self._wait_until
                    # Heartbeats go out on this thread too: while the collector asks to wait, they wait.
                    beat_in = (self._last_heartbeat + self._heartbeat_interval - time.time()
                               if self._heartbeat_interval > 0 and not self._closed else float("inf"))
                    beat = beat_in <= 0 and now >= self._wait_until
                    if send or beat:
                        break
                    if not self._held():
                        tick = self._flush_requested = False
                    wait = min(next_flush - now, max(beat_in, self._wait_until - now))
                    if self._held() > 0 and due:
                        wait = self._wait_until - now
                    self._wake.wait(max(0.001, wait))
                if send:
                    tick = False
                    self._flush_requested = False
                if send and not self._pending:
                    self._pending = collections.deque(
                        self._buffer.popleft() for _ in range(min(self._max_batch, len(self._buffer))))
            try:
                if send:
                    self._send_pending()
                if beat:
                    self._last_heartbeat = time.time()
                    self.heartbeat(max_retries=0)
            except Exception as e:  # the thread must survive anything
                self._report("faultline: %s" % e)

    def _oldest_held(self) -> Optional[int]:
        if self._pending:
            return self._pending[0][0]
        return self._buffer[0][0] if self._buffer else None

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Waits until everything buffered so far is gone (delivered, rejected or dropped); True when it is,
        False once the collector has taken nothing for ``timeout`` seconds (default ``flush_timeout``): what
        is left then stays buffered."""
        stall = self._flush_timeout if timeout is None else timeout
        started = time.monotonic()
        with self._lock:
            up_to = self._seq
            while True:
                oldest = self._oldest_held()
                if oldest is None or oldest > up_to:
                    return True
                remaining = max(started, self._progress_at) + stall - time.monotonic()
                if remaining <= 0 or self._stopped:
                    return False
                self._flush_requested = True
                self._wake.notify()
                self._idle.wait(min(remaining, 0.5))

    def close(self, timeout: Optional[float] = None) -> None:
        """Stops taking events, sends what is buffered while the collector takes it, and once it has taken
        nothing for ``timeout`` seconds (default ``flush_timeout``) drops what is left (counted as
        ``unsent``); sends a last heartbeat, and stops."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        delivered = self.flush(timeout)
        with self._lock:
            self._stopped = True
            left = self._held()
            self._buffer.clear()
            self._pending.clear()
            if left:
                self._drop("unsent", left)
            self._wake.notify()
            self._idle.notify_all()
        if left:
            self._report("faultline: closed with %d events undelivered" % left)
        # A last heartbeat carries the final counts; one attempt, and only to a collector that answers.
        if delivered and self._heartbeat_interval > 0:
            self.heartbeat(max_retries=0)
        self._thread.join(self._retry["timeout"] if self._in_flight else 1.0)
        try:
            atexit.unregister(self.close)
        except Exception:
            pass

    def stats(self) -> Dict[str, Any]:
        """Buffered, sent, retries and dropped counts (by reason) since start."""
        with self._drop_lock:
            dropped = dict(self._dropped)
        return {"buffered": self._held(), "sent": self._sent, "retries": self._retries, "dropped": dropped}


if __name__ == "__main__":  # pragma: no cover - a smoke test: python3 faultline_client.py URL TOKEN
    if len(sys.argv) != 3:
        sys.stderr.write("usage: python3 faultline_client.py URL TOKEN\n")
        sys.exit(2)
    m = Monitor(sys.argv[1], sys.argv[2], model="smoke", version="v1", artifact_hash="none", heartbeat_interval=0)
    m.log({"x": 1.0}, output={"score": 0.5}, latency_ms=1.0)
    m.close()
    print(json.dumps(m.stats()))
