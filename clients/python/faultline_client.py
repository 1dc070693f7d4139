"""Faultline client for Python: report predictions, labels, feedback, events and heartbeats to a collector.

A single file using only the standard library (urllib, json, threading). Copy it next to your serving
code. Like the Node SDK it never raises into the caller and never blocks it: ``log()`` appends to a bounded
buffer, a daemon thread sends batches with retries (exponential back-off with full jitter), and what cannot
be buffered or delivered is counted and reported with every heartbeat.

    from faultline_client import Monitor

    monitor = Monitor(url="http://127.0.0.1:7070", token="flt_...", model="churn",
                      version="v3", artifact_hash="sha256:...")
    pid = monitor.log({"age": 41, "plan": "pro"}, output={"class": "churn", "score": 0.71}, latency_ms=4.2)
    monitor.label(pid, "churn")            # later, when the truth is known
    monitor.close()                        # flushes (also done at interpreter exit)

The HTTP contract is described in docs/http-api.md and at GET /openapi.json.
"""

from __future__ import annotations

import atexit
import collections
import glob
import hashlib
import json
import os
import platform
import random
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, Callable, Dict, List, Optional

__all__ = ["Monitor", "SendOutcome", "send_batch", "SDK_NAME", "SDK_VERSION"]

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


def send_batch(url: str, token: str, events: List[dict], max_retries: int = 6, base_delay: float = 0.2,
               max_delay: float = 30.0, timeout: float = 10.0) -> SendOutcome:
    """POSTs ``events`` as a JSON array; retries network errors, timeouts, 408, 429 and 5xx; splits on 413."""
    retries = 0
    problem = None
    body = json.dumps(events, separators=(",", ":")).encode("utf-8")
    attempt = 0
    while True:
        req = urllib.request.Request(url, data=body, method="POST", headers={
            "authorization": "Bearer " + token, "content-type": "application/json"})
        status = None
        try:
            with urllib.request.urlopen(req, timeout=timeout) as res:
                answer = json.loads(res.read().decode("utf-8"))
                rejected = answer.get("rejected") or []
                first = rejected[0] if rejected else None
                return SendOutcome(
                    delivered=answer.get("accepted", 0) + answer.get("duplicates", 0),
                    rejected=len(rejected),
                    retries=retries,
                    problem=("event rejected: %s: %s" % (first.get("field"), first.get("reason"))) if first else None,
                )
        except urllib.error.HTTPError as e:
            status = e.code
            raw = e.read()
            if status == 413 and len(events) > 1:
                half = (len(events) + 1) // 2
                a = send_batch(url, token, events[:half], max_retries, base_delay, max_delay, timeout)
                b = send_batch(url, token, events[half:], max_retries, base_delay, max_delay, timeout)
                return SendOutcome(a.delivered + b.delivered, a.rejected + b.rejected, a.failed + b.failed,
                                   retries + a.retries + b.retries, b.problem or a.problem)
            problem = _describe(status, raw)
            if not (status in (408, 429) or status >= 500):
                return SendOutcome(rejected=len(events), retries=retries, problem=problem)
        except Exception as e:  # network errors, timeouts, bad answers
            problem = "%s: %s" % (type(e).__name__, e)
        if attempt >= max_retries:
            return SendOutcome(failed=len(events), retries=retries, problem=problem)
        retries += 1
        time.sleep(random.random() * min(max_delay, base_delay * (2 ** attempt)))
        attempt += 1


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


class Monitor:
    """Reports one model version's traffic to a Faultline collector. Never raises into the caller."""

    def __init__(self, url: str, token: str, model: str, version: str, artifact_hash: str,
                 instance: Optional[str] = None, max_buffer_events: int = 10000, max_batch_events: int = 500,
                 flush_interval: float = 1.0, heartbeat_interval: float = 30.0, max_retries: int = 6,
                 retry_base_delay: float = 0.2, retry_max_delay: float = 30.0, timeout: float = 10.0,
                 packages: Optional[List[str]] = None, lockfile: Optional[str] = None,
                 model_path: Optional[str] = None, writable_paths: Optional[List[str]] = None,
                 checks: Optional[Dict[str, Callable[[], bool]]] = None,
                 on_error: Optional[Callable[[str], None]] = None):
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
        self._on_error = on_error
        self._buffer: collections.deque = collections.deque()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._idle = threading.Condition(self._lock)
        self._in_flight = 0
        self._dropped: Dict[str, int] = {}
        self._drop_lock = threading.Lock()
        self._flush_requested = False
        self._sent = 0
        self._retries = 0
        self._closed = False
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

    def _push(self, kind: str, body: dict) -> None:
        with self._lock:
            if self._closed:
                self._drop("closed")
            elif len(self._buffer) >= self._max_buffer:
                self._drop("bufferFull")
            else:
                self._buffer.append((kind, body))
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

    def _send(self, entries: List[tuple]) -> None:
        by_kind: Dict[str, List[dict]] = collections.OrderedDict()
        for kind, body in entries:
            by_kind.setdefault(kind, []).append(body)
        for kind, bodies in by_kind.items():
            path = "/v1/events" if kind == "events" else "/v1/models/%s/%s" % (
                urllib.parse.quote(self._model, safe=""), kind)
            r = send_batch(self._base + path, self._token, bodies, **self._retry)
            with self._lock:
                self._sent += r.delivered
                self._retries += r.retries
                if r.rejected:
                    self._drop("rejected", r.rejected)
                if r.failed:
                    self._drop("sendFailed", r.failed)
            self._report(r.problem and "faultline %s: %s" % (kind, r.problem))

    def heartbeat(self) -> None:
        """Sends a heartbeat now: fingerprint, host metrics, self-checks and the send/drop counts."""
        try:
            beat = {"id": str(uuid.uuid4()), "instance": self._instance, "model": self._model,
                    "version": self._version, "artifactHash": self._artifact_hash, "timestamp": _now_ms(),
                    "intervalMs": int(self._heartbeat_interval * 1000), "fingerprint": self._fingerprint,
                    "host": _host_metrics(), "checks": self._checks,
                    "sdk": dict(name=SDK_NAME, version=SDK_VERSION, **self.stats())}
            r = send_batch(self._base + "/v1/heartbeats", self._token, [beat], **self._retry)
            with self._lock:
                self._retries += r.retries
            self._report(r.problem and "faultline heartbeat: " + r.problem)
        except Exception as e:
            self._report("faultline heartbeat: %s" % e)

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._closed and not self._flush_requested and len(self._buffer) < self._max_batch:
                    self._wake.wait(self._flush_interval)
                self._flush_requested = False
                if self._closed and not self._buffer:
                    self._idle.notify_all()
                    return
                n = min(self._max_batch, len(self._buffer))
                entries = [self._buffer.popleft() for _ in range(n)]
                self._in_flight = n
            try:
                if entries:
                    self._send(entries)
                if self._heartbeat_interval > 0 and time.time() - self._last_heartbeat >= self._heartbeat_interval:
                    self._last_heartbeat = time.time()
                    self.heartbeat()
            except Exception as e:  # the thread must survive anything
                self._report("faultline: %s" % e)
            with self._lock:
                self._in_flight = 0
                if not self._buffer:
                    self._idle.notify_all()

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Waits until everything buffered so far has been sent (or given up on); True when done."""
        deadline = None if timeout is None else time.time() + timeout
        with self._lock:
            while self._buffer or self._in_flight:
                self._flush_requested = True
                self._wake.notify()
                remaining = None if deadline is None else deadline - time.time()
                if remaining is not None and remaining <= 0:
                    return False
                self._idle.wait(min(remaining, 0.5) if remaining is not None else 0.5)
        return True

    def close(self, timeout: Optional[float] = 30.0) -> None:
        """Flushes, sends a last heartbeat, and stops; later calls are dropped and counted."""
        with self._lock:
            if self._closed:
                return
        self.flush(timeout)
        if self._heartbeat_interval > 0:
            self.heartbeat()
        with self._lock:
            self._closed = True
            self._wake.notify()
        self._thread.join(timeout)
        try:
            atexit.unregister(self.close)
        except Exception:
            pass

    def stats(self) -> Dict[str, Any]:
        """Buffered, sent, retries and dropped counts (by reason) since start."""
        with self._drop_lock:
            dropped = dict(self._dropped)
        return {"buffered": len(self._buffer), "sent": self._sent, "retries": self._retries, "dropped": dropped}


if __name__ == "__main__":  # pragma: no cover - a smoke test: python3 faultline_client.py URL TOKEN
    if len(sys.argv) != 3:
        sys.stderr.write("usage: python3 faultline_client.py URL TOKEN\n")
        sys.exit(2)
    m = Monitor(sys.argv[1], sys.argv[2], model="smoke", version="v1", artifact_hash="none", heartbeat_interval=0)
    m.log({"x": 1.0}, output={"score": 0.5}, latency_ms=1.0)
    m.close()
    print(json.dumps(m.stats()))
