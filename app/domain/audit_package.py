"""An archive package of part of the record, and its offline check; and the check of chosen streams in the database.

A package is a ZIP: the members its maker adds (a PDF, the files), `events.json` (the events exactly as stored),
`chain.json` (for a stream of which only some events are included, the links — seq, prev_hash, hash — of every
event up to the last included one, so the chain is continuous without the others' content) and `manifest.json`
(the SHA-256 of every member, each stream's head and whether the package holds it whole, keyed with the audit key).

`verify_package` needs no database: member sums, file names against their content and the upload events that name
them, each stream's chain, and — with the audit key that signed it — the manifest's MAC and every event's HMAC
(app.domain.audit's own hashing). Without the key it checks the structure only and says so.
"""

import hashlib
import hmac
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import func, select

from app.db import utcnow
from app.domain.audit import FIELDS, GENESIS, AuditEvent, VerifyResult, audit_key, canonical, event_body, keyed_hash, link_problem
from app.messages import msg

PACKAGE_KIND = "tianchang-record-package"
MANIFEST, EVENTS, CHAIN = "manifest.json", "events.json", "chain.json"
UPLOAD = "attachment.upload"
COLUMNS = ("id", *FIELDS, "hash")


def stored(event):
    """An event exactly as stored, as JSON data (its time in ISO 8601 with microseconds, as its hash covers it)."""
    values = {name: getattr(event, name) for name in COLUMNS}
    values["at"] = event.at.isoformat(timespec="microseconds")
    return values


def key_id(key):
    """A public name of an audit key (not the key): tells a verifier whether it holds the key that signed."""
    return keyed_hash(key, b"tianchang-audit-key-id")[:16]


def _json(value):
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode()


def stream_heads(session, streams):
    """{stream: seq of its newest event}."""
    rows = session.execute(select(AuditEvent.stream, func.max(AuditEvent.seq)).where(AuditEvent.stream.in_(streams))
                           .group_by(AuditEvent.stream))
    return dict(rows.all())


def build_package(session, events, members, subject):
    """The ZIP (bytes) of these events (rows) with the maker's `members` ({name: bytes}) and `subject` (plain data)."""
    key = audit_key(session)
    included = {}
    for event in events:
        included.setdefault(event.stream, set()).add(event.seq)
    heads = stream_heads(session, list(included))
    streams, chain = {}, {}
    for stream, seqs in sorted(included.items()):
        whole = seqs == set(range(1, heads[stream] + 1))
        streams[stream] = {"whole": True, "head": heads[stream]} if whole else {
            "whole": False, "head": max(seqs), "seqs": sorted(seqs)}
        if not whole:
            chain[stream] = [list(row) for row in session.execute(
                select(AuditEvent.seq, AuditEvent.prev_hash, AuditEvent.hash)
                .where(AuditEvent.stream == stream, AuditEvent.seq <= max(seqs)).order_by(AuditEvent.seq))]
    ordered = sorted(events, key=lambda e: (e.at, e.id))
    content = {**members, EVENTS: _json([stored(e) for e in ordered]), CHAIN: _json(chain)}
    manifest = {"kind": PACKAGE_KIND, "version": 1, "created_at": utcnow().isoformat(timespec="seconds"),
                "subject": subject, "key_id": key_id(key), "streams": streams,
                "files": {name: hashlib.sha256(body).hexdigest() for name, body in sorted(content.items())}}
    manifest["mac"] = keyed_hash(key, canonical("package", manifest))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in sorted(content.items()):
            archive.writestr(name, body)
        archive.writestr(MANIFEST, _json(manifest))
    return out.getvalue()


# The offline check -------------------------------------------------------------------------------------------------

@dataclass
class PackageReport:
    problems: list = field(default_factory=list)
    events: int = 0
    streams: int = 0
    files: int = 0
    signed: bool = False

    @property
    def ok(self):
        return not self.problems

    @property
    def message(self):
        if self.problems:
            return "\n".join([msg("package.broken", count=len(self.problems))] + [f"  - {p}" for p in self.problems])
        text = msg("package.ok", events=self.events, streams=self.streams, files=self.files)
        return text + msg("package.signed" if self.signed else "package.unsigned")


def verify_package(blob, key=None):
    """Check an archive package (bytes) without a database; with `key`, also the MAC of its manifest and events."""
    report = PackageReport()
    try:
        archive = zipfile.ZipFile(io.BytesIO(blob))
        contents = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, OSError, EOFError):
        report.problems.append(msg("package.not_zip"))
        return report
    manifest = _load(contents, MANIFEST, dict, report)
    if manifest is None or manifest.get("kind") != PACKAGE_KIND:
        if manifest is not None:
            report.problems.append(msg("package.not_ours"))
        return report
    _check_members(contents, manifest, report)
    if key is not None:
        _check_signature(manifest, key, report)
    events = _load(contents, EVENTS, list, report) or []
    chain = _load(contents, CHAIN, dict, report) or {}
    report.events, report.streams = len(events), len(manifest.get("streams") or {})
    _check_chains(events, chain, manifest.get("streams") or {}, report)
    if report.signed:
        for entry in events:
            if not _event_signed(entry, key):
                report.problems.append(msg("package.event_forged", stream=entry.get("stream"), seq=entry.get("seq")))
    _check_files(contents, events, report)
    return report


def _load(contents, name, kind, report):
    if name not in contents:
        report.problems.append(msg("package.member_missing", name=name))
        return None
    try:
        value = json.loads(contents[name])
    except ValueError:
        value = None
    if not isinstance(value, kind):
        report.problems.append(msg("package.member_unreadable", name=name))
        return None
    return value


def _check_members(contents, manifest, report):
    listed = manifest.get("files") or {}
    for name, digest in sorted(listed.items()):
        if name not in contents:
            report.problems.append(msg("package.member_missing", name=name))
        elif hashlib.sha256(contents[name]).hexdigest() != digest:
            report.problems.append(msg("package.member_changed", name=name))
    for name in sorted(set(contents) - set(listed) - {MANIFEST}):
        report.problems.append(msg("package.member_extra", name=name))


def _check_signature(manifest, key, report):
    if manifest.get("key_id") != key_id(key):
        report.problems.append(msg("package.other_key"))
        return
    body = {name: value for name, value in manifest.items() if name != "mac"}
    if not hmac.compare_digest(keyed_hash(key, canonical("package", body)), str(manifest.get("mac", ""))):
        report.problems.append(msg("package.manifest_forged"))
    report.signed = True


def _event_signed(entry, key):
    try:
        event = SimpleNamespace(**{name: entry[name] for name in FIELDS}, hash=entry["hash"])
        event.at = datetime.fromisoformat(entry["at"])
        return hmac.compare_digest(keyed_hash(key, event_body(event)), str(entry["hash"]))
    except (KeyError, TypeError, ValueError):
        return False


def _check_chains(events, chain, streams, report):
    by_stream = {}
    for entry in events:
        by_stream.setdefault(entry.get("stream"), []).append(entry)
    for stream in sorted(set(by_stream) - set(streams), key=str):
        report.problems.append(msg("package.stream_unlisted", stream=stream))
    for stream, info in sorted(streams.items()):
        entries = sorted(by_stream.get(stream, []), key=lambda e: e.get("seq") or 0)
        if info.get("whole"):
            links = [[e.get("seq"), e.get("prev_hash"), e.get("hash")] for e in entries]
        else:
            links = chain.get(stream) or []
            known = {link[0]: link for link in links if isinstance(link, list) and len(link) == 3}
            for entry in entries:
                if known.get(entry.get("seq")) != [entry.get("seq"), entry.get("prev_hash"), entry.get("hash")]:
                    report.problems.append(msg("package.link_differs", stream=stream, seq=entry.get("seq")))
            for seq in sorted(set(info.get("seqs") or []) - {e.get("seq") for e in entries}):
                report.problems.append(msg("package.event_missing", stream=stream, seq=seq))
        problem = chain_problem(links, info.get("head"))
        if problem:
            report.problems.append(msg("package.chain_broken", stream=stream, **problem))


def chain_problem(links, head):
    """The first break in [[seq, prev_hash, hash]] from the first event to `head`: {"seq", "reason"}, or None."""
    expected, prev = 1, GENESIS
    for link in links:
        seq, prev_hash, own = (link + [None, None, None])[:3] if isinstance(link, list) else (None, None, None)
        if seq != expected:
            reason = "audit.reason.gap" if isinstance(seq, int) and seq > expected else "audit.reason.duplicate"
            return {"seq": expected, "reason": msg(reason)}
        if prev_hash != prev:
            return {"seq": seq, "reason": msg("audit.reason.prev")}
        expected, prev = seq + 1, own
    if head != expected - 1:
        return {"seq": expected, "reason": msg("package.reason.short", head=head)}
    return None


def _check_files(contents, events, report):
    named = {}
    for entry in events:
        payload = entry.get("payload") if isinstance(entry.get("payload"), dict) else {}
        if entry.get("action") == UPLOAD and payload.get("sha256"):
            named[payload["sha256"]] = entry
    files = {name: body for name, body in contents.items() if name.startswith("files/")}
    report.files = len(files)
    for name, body in sorted(files.items()):
        stem = name[len("files/"):].partition(".")[0]
        if hashlib.sha256(body).hexdigest() != stem:
            report.problems.append(msg("package.file_changed", name=name))
        elif stem not in named:
            report.problems.append(msg("package.file_unnamed", name=name))
    present = {name[len("files/"):].partition(".")[0] for name in files}
    for digest in sorted(set(named) - present):
        report.problems.append(msg("package.file_missing", sha=digest[:12]))


# Chosen streams, in the database -------------------------------------------------------------------------------------

def verify_streams(session, streams):
    """Walk these streams link by link (each from its first event) and check every keyed hash: the whole chains
    of one call's record. Returns app.domain.audit.VerifyResult (no checkpoints: `verify_chains` walks those)."""
    key, count = audit_key(session), 0
    for stream in sorted(streams):
        expected, prev = 1, GENESIS
        for event in session.scalars(select(AuditEvent).where(AuditEvent.stream == stream).order_by(AuditEvent.seq)):
            count += 1
            problem = link_problem(event, expected, prev, key)
            if problem:
                return VerifyResult(False, len(streams), count, 0, stream=stream, seq=expected, reason=msg(problem))
            expected, prev = event.seq + 1, event.hash
    return VerifyResult(True, len(streams), count, 0)

