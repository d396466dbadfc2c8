"""The jobs table: history, progress, per-item errors."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Mapping
from typing import Any

from .names import to_db
from .records import ItemErrorRecord, JobRecord
from .schema import Job, JobError

QUEUED, RUNNING = "queued", "running"
FINISHED_STATES = ("done", "cancelled", "failed", "interrupted", "resumed")
RESUMABLE_STATES = ("interrupted", "cancelled")


def create_job(kind: str, options: Mapping[str, Any], state: str = QUEUED) -> int:
    now = time.time()
    return Job.insert(kind=kind, options=json.dumps(dict(options), sort_keys=True),
                      state=state, pid=os.getpid(), started_at=now, updated_at=now).execute()


def set_running(job_id: int) -> None:
    now = time.time()
    Job.update(state=RUNNING, started_at=now, updated_at=now).where(Job.id == job_id).execute()


def update_progress(job_id: int, done: int, total: int, errors: int) -> None:
    (Job.update(done=done, total=total, errors=errors, updated_at=time.time())
     .where(Job.id == job_id).execute())


def add_item_errors(job_id: int, errors: Iterable[tuple[int | None, str, str]]) -> None:
    """Record (image id or None, path, one-line reason) rows for a job (a path that is not
    UTF-8 is kept as its readable text)."""
    now = time.time()
    rows = [{"job": job_id, "image": iid, "path": to_db(path)[0], "reason": to_db(reason)[0],
             "at": now} for iid, path, reason in errors]
    for start in range(0, len(rows), 100):
        JobError.insert_many(rows[start:start + 100]).execute()


def finish_job(job_id: int, state: str, message: str | None = None) -> None:
    now = time.time()
    text = to_db(message)[0] if message is not None else None   # it may quote a file name
    (Job.update(state=state, message=text, finished_at=now, updated_at=now)
     .where(Job.id == job_id).execute())


def mark_resumed(job_ids: Iterable[int], new_job_id: int) -> None:
    """Interrupted or cancelled jobs that ``new_job_id`` continues: never resumed again."""
    (Job.update(state="resumed", message=f"resumed as job #{new_job_id}",
                updated_at=time.time())
     .where(Job.id.in_(list(job_ids)) & Job.state.in_(RESUMABLE_STATES)).execute())


def mark_interrupted() -> list[int]:
    """Jobs left running or queued by a process that no longer exists become 'interrupted'."""
    stale = [jid for jid, pid in Job.select(Job.id, Job.pid)
             .where(Job.state.in_([QUEUED, RUNNING])).tuples() if not _alive(pid)]
    if stale:
        (Job.update(state="interrupted", message="the process running it stopped",
                    finished_at=Job.updated_at).where(Job.id.in_(stale)).execute())
    return stale


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _record(row: Job) -> JobRecord:
    return JobRecord(row.id, row.kind, json.loads(row.options), row.state, row.done, row.total,
                     row.errors, row.message, row.started_at, row.finished_at)


def get_job(job_id: int) -> JobRecord | None:
    row = Job.get_or_none(Job.id == job_id)
    return _record(row) if row else None


def recent_jobs(limit: int = 20, kind: str | None = None) -> list[JobRecord]:
    query = Job.select()
    if kind is not None:
        query = query.where(Job.kind == kind)
    return [_record(r) for r in query.order_by(Job.id.desc()).limit(limit)]


def job_errors(job_id: int, limit: int | None = None) -> list[ItemErrorRecord]:
    query = JobError.select().where(JobError.job == job_id).order_by(JobError.id)
    if limit is not None:
        query = query.limit(limit)
    return [ItemErrorRecord(job_id, r.path, r.reason, r.at) for r in query]
