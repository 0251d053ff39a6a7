"""Drafts (DESIGN.md §12): a designer's unpublished copies of bundle files, with an owner and a base version.

A designer's draft bundle is the latest deployment's files with that designer's drafts laid over them. A draft
names the deployment it started from; once a newer deployment changed the same file, saving over it is refused
(the designer would silently undo someone's published change). Each save names the revision it replaces, so two
tabs (or two people sharing a login) cannot overwrite each other either.
"""

import hashlib

from sqlalchemy import select

from app.db import utcnow
from app.definitions.files import base_name, file_kind
from app.definitions.models import DeployedFile, Deployment, Draft, DraftRevision
from app.definitions.operations import latest_files
from app.errors import Conflict, InvalidState, NotFound, ValidationFailed
from app.messages import msg

EDITABLE = ("editing", "returned")


def sha256(content):
    return hashlib.sha256(content).hexdigest()


def file_history(session, name):
    """[(deployment number, sha256)] of every deployment holding the file, oldest first."""
    rows = session.execute(select(Deployment.number, DeployedFile.sha256).join(DeployedFile)
                           .where(DeployedFile.name == name).order_by(Deployment.number))
    return [tuple(r) for r in rows]


def file_at(session, name, number):
    """The file's bytes in deployment `number`, or None."""
    return session.scalar(select(DeployedFile.content).join(Deployment)
                          .where(DeployedFile.name == name, Deployment.number == number))


def changed_since(session, name, base_number):
    """The deployment number that changed the file after `base_number` (None: nothing did, the base is current).

    With no base (a new file), any deployment holding a file of that name is a change the draft would overwrite.
    """
    history = file_history(session, name)
    if base_number is None:
        return history[-1][0] if history else None
    base = next((sha for number, sha in history if number == base_number), None)
    return next((number for number, sha in history if number > base_number and sha != base), None)


def my_drafts(session, owner):
    return list(session.scalars(select(Draft).where(Draft.owner == owner).order_by(Draft.file_name)))


def drafts_of(session, name):
    """Everyone's drafts of one file, newest first (a designer is warned of the others')."""
    return list(session.scalars(select(Draft).where(Draft.file_name == name).order_by(Draft.updated_at.desc())))


def find_draft(session, owner, name):
    return session.scalar(select(Draft).where(Draft.owner == owner, Draft.file_name == base_name(name)))


def get_draft(session, owner, name):
    draft = find_draft(session, owner, name)
    if draft is None:
        raise NotFound(msg("design.no_draft", name=name))
    return draft


def save_draft(session, actor, name, content, base_version, revision, max_bytes):
    """Create or replace the actor's draft of `name`; returns it. Refused (409) over a newer base or revision."""
    name = base_name(name)
    kind = file_kind(name)
    if kind is None:
        raise ValidationFailed(msg("def.file_kind", name=name), {"file": [msg("def.file_kind", name=name)]})
    if len(content) > max_bytes:
        raise ValidationFailed(msg("design.draft_too_big", name=name, limit=max_bytes // 1024),
                               {"content": [msg("design.draft_too_big", name=name, limit=max_bytes // 1024)]})
    draft = find_draft(session, actor.username, name)
    now = utcnow()
    if draft is None:
        _refuse_stale(session, name, base_version)
        draft = Draft(file_name=name, kind=kind, owner=actor.username, content=content, base_number=base_version,
                      revision=0, status="editing", comment="", created_at=now, updated_at=now)
        session.add(draft)
    else:
        if draft.status not in EDITABLE:
            raise InvalidState(msg("design.draft_submitted", name=name))
        if revision is not None and revision != draft.revision:
            raise Conflict(msg("design.draft_revision_moved", name=name, revision=draft.revision,
                               at=draft.updated_at.isoformat(timespec="minutes")))
        _refuse_stale(session, name, draft.base_number)
        draft.content, draft.updated_at, draft.status = content, now, "editing"
    draft.revision += 1
    session.flush()
    session.add(DraftRevision(draft_id=draft.id, revision=draft.revision, saved_by=actor.username, saved_at=now,
                              sha256=sha256(content), size=len(content)))
    session.flush()
    return draft


def _refuse_stale(session, name, base_number):
    newer = changed_since(session, name, base_number)
    if newer is None:
        return
    if base_number is None:
        raise Conflict(msg("design.draft_name_taken", name=name, number=newer))
    raise Conflict(msg("design.draft_stale", name=name, base=base_number, number=newer))


def discard_draft(session, actor, name):
    draft = get_draft(session, actor.username, name)
    if draft.status == "submitted":
        raise InvalidState(msg("design.draft_submitted", name=draft.file_name))
    session.delete(draft)
    session.flush()


def draft_bundle(session, owner, extra=None, only=None):
    """{name: bytes}: the latest deployment with the owner's drafts (those named in `only`, else all) and `extra`
    (unsaved content the page sends) laid over it."""
    files = latest_files(session)
    for draft in my_drafts(session, owner):
        if only is None or draft.file_name in only:
            files[draft.file_name] = draft.content
    for name, content in (extra or {}).items():
        files[base_name(name)] = content
    return files


def base_for_new(session, name):
    """The base version a new draft of `name` starts from: the latest deployment that holds it (None: a new file)."""
    history = file_history(session, name)
    return history[-1][0] if history else None
