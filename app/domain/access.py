"""The one access policy: may this user read, work on or administer this object? Every edge asks here.

Objects are taken as they are (duck-typed: this room may not import the workflow models); where a rule
needs facts from other rooms (the organisations involved in an instance), the caller passes them.
docs/architecture.md lists the rule for each kind. `require(allowed)` turns a "no" into 403.
"""

from sqlalchemy import and_, not_, or_, true

from app.errors import Forbidden
from app.messages import msg

READ_ONLY_ROLES = frozenset({"congress"})
# Roles that read every instance, call, case and record of the county (supervision, 编办, leaders, 人大, admins).
READ_ALL_ROLES = frozenset({"congress", "admin", "supervisor", "bianban", "leader"})
# Read-all roles that oversee the county rather than operate the platform: their home is the overview (概览).
OVERSEER_ROLES = frozenset({"congress", "supervisor", "bianban", "leader"})
DESIGNER_ROLES = frozenset({"designer", "admin"})
# Who works on a human task whose diagram names nobody, besides the initiator (docs/bpmn.md).
DEFAULT_TASK_ROLES = tuple(sorted(DESIGNER_ROLES))
LIST_EDITOR_ROLES = frozenset({"bianban", "admin"})
ASSESSMENT_MANAGER_ROLES = frozenset({"bianban", "admin"})  # compute, publish, formulas, appeals decided
APPEALING_ROLES = frozenset({"dept_staff", "dept_leader", "town_staff", "town_leader"})
ADMIN_ROLES = frozenset({"admin"})
ANY = "*"  # a task candidate's role or organisation that every role or organisation matches


def require(allowed, message_key="auth.forbidden"):
    if not allowed:
        raise Forbidden(msg(message_key))


def _any(user, roles):
    return bool(user.roles & roles)


def reads_everything(user):
    """Read-all roles see every organisation's instances, calls, cases, evaluations and the record."""
    return _any(user, READ_ALL_ROLES)


def is_read_only(user):
    return bool(user.roles) and user.roles <= READ_ONLY_ROLES


# Processes and instances -----------------------------------------------------------------------------------------

def may_start(user, process):
    """Only the roles a start event names in `start_roles` may start it; none named means nobody (called and
    message-started processes are started by the engine, never by a person)."""
    allowed = set(process.start_roles or [])
    return bool(allowed) and not is_read_only(user) and bool(user.roles & allowed)


def may_read_instance(user, instance, involved_orgs, is_task_candidate=False):
    """Read-all roles, the initiator, the organisations its tasks went to, and a candidate of any of its tasks
    (`is_task_candidate`: the caller asks the candidate table with `candidate_clause`)."""
    return (reads_everything(user) or instance.started_by == user.username or user.org.code in involved_orgs
            or is_task_candidate)


def may_read_instance_data(user, instance):
    """The whole data of an instance: read-all roles and the starting organisation; other parties see their tasks."""
    return reads_everything(user) or instance.org_code == user.org.code


def may_administer_instances(user):
    """Operate running instances (suspend, retry, edit data, reassign, migrate…): the admin alone."""
    return _any(user, ADMIN_ROLES)


def may_read_console(user):
    """The operations console (流程实例: the instance list, an instance's diagram, data and record, migrations,
    the operator's overview) is read by the read-all roles; only `may_administer_instances` acts in it."""
    return reads_everything(user)


# Human tasks ---------------------------------------------------------------------------------------------------------

def matches_candidate(user, candidate):
    """A candidate names a role (or ANY), an organisation (or ANY) and, optionally, one user: all must fit."""
    return ((candidate.role == ANY or candidate.role in user.roles)
            and (candidate.org_code == ANY or candidate.org_code == user.org.code)
            and candidate.username in (None, user.username))


def candidate_clause(candidate, user):
    """The same rule as SQL over the candidate table's columns (`candidate` is its mapped class): the inbox's."""
    return and_(or_(candidate.role == ANY, candidate.role.in_(sorted(user.roles))),
                or_(candidate.org_code == ANY, candidate.org_code == user.org.code),
                or_(candidate.username.is_(None), candidate.username == user.username))


def is_candidate(user, task):
    return any(matches_candidate(user, c) for c in task.candidates)


def may_read_task(user, task):
    return is_candidate(user, task) or reads_everything(user) or task.completed_by == user.username


def work_refusal(user, task):
    """Why the user may not act on the task (a catalogue key), or None: candidate, writable, not someone else's."""
    if is_read_only(user):
        return "auth.readonly"
    if not is_candidate(user, task):
        return "task.forbidden"
    if task.claimed_by and task.claimed_by != user.username:
        return "task.claimed_by_other"
    return None


def holder_refusal(user):
    """Why a task may not be given to this user (an admin's reassignment; a catalogue key), or None: an active
    account that may work on tasks, not a read-only one that would hold it and never finish it."""
    if not user.active:
        return "console.user_inactive"
    return "console.user_read_only" if is_read_only(user) else None


def release_refusal(user, task):
    """Why the user may not hand the task back to its candidates (unclaim), or None: whoever holds it may, and an
    admin may release anyone's claim (a colleague who left, a task stuck with someone on leave)."""
    if is_read_only(user):
        return "auth.readonly"
    if _any(user, ADMIN_ROLES):
        return None
    return work_refusal(user, task) or (None if task.claimed_by == user.username else "task.not_claimed_by_you")


def may_read_draft(user, task):
    """A draft is its organisation's unfinished work: only candidates see it."""
    return is_candidate(user, task)


# Calls, evaluations, supervision cases ---------------------------------------------------------------------------

def call_orgs(call):
    return {call.caller_org} | {p.org_code for p in call.parties}


def may_read_call(user, call):
    """A call, and its story told whole (decisions, reasons, results, files): read-all roles, the caller and every
    party — each party sees why another rejected or how it handled, which is the point of the mechanism."""
    return reads_everything(user) or user.org.code in call_orgs(call)


def may_urge(user, call):
    return not is_read_only(user) and user.org.code == call.caller_org


def may_read_evaluation(user, evaluation):
    """A rating is seen by the organisation that gave it, the one it is about, and read-all roles."""
    return may_read_rating(user, evaluation.rater_org, evaluation.ratee_org)


def may_read_rating(user, rater_org, ratee_org):
    """The rule of `may_read_evaluation` by the two organisations (a rating's event on the record names them: its
    organisation the rater, its stream `org:<ratee>`): a department never reads another's rating of a shared call."""
    return reads_everything(user) or user.org.code in (rater_org, ratee_org)


def may_read_event_of_rating(user, event):
    """An audit event told whole, as far as ratings go: a rating's event (its organisation the rater, its stream
    `org:<ratee>`) only to those who may read the rating; every other event is no rating."""
    return event.action != "evaluation" or may_read_rating(user, event.org, event.stream.partition(":")[2])


def may_read_case(user, case):
    return reads_everything(user) or case.target_org == user.org.code


def may_read_overview(user):
    """The county's month at a glance (概览: every call and case counted) is read by the read-all roles."""
    return reads_everything(user)


def lands_on_overview(user):
    """Whose home page (`/`) is the overview when no task waits for them: those who oversee the county (leaders,
    人大, 编办, 督查); not the admin, who operates the platform, nor those who work on calls."""
    return may_read_overview(user) and bool(user.roles & OVERSEER_ROLES)


# The assessment (考核) ---------------------------------------------------------------------------------------------

def may_read_assessment(user):
    """Every organisation's figures, ranks and cards: 编办, leaders, 人大, 督查 (and the admin)."""
    return reads_everything(user)


def may_read_assessment_card(user, org_code):
    """One organisation's card and rank: the overseers, and that organisation's own people."""
    return may_read_assessment(user) or (user.org is not None and user.org.code == org_code)


def may_manage_assessment(user):
    """Compute and publish a period, save a formula version, decide an appeal: 编办."""
    return _any(user, ASSESSMENT_MANAGER_ROLES) and not is_read_only(user)


def may_appeal_assessment(user, org_code):
    """Appeal (申诉) a published figure: the organisation's own staff or leader."""
    return user.org is not None and user.org.code == org_code and _any(user, APPEALING_ROLES)


# Attachments -------------------------------------------------------------------------------------------------------

def may_read_attachment(user, attachment, instance_readable):
    """Before an instance names it, only the uploader; afterwards whoever may read that instance."""
    if attachment.uploaded_by == user.username:
        return True
    return attachment.instance_id is not None and instance_readable


def may_attach(user, attachment, instance_id):
    """A user may name in their data only files they uploaded, not yet given to another instance."""
    return attachment.uploaded_by == user.username and attachment.instance_id in (None, instance_id)


# Lists, definitions, the record -------------------------------------------------------------------------------------

def may_edit_lists(user):
    return _any(user, LIST_EDITOR_ROLES)


def may_deploy(user):
    """Validate and deploy bundles from the command line (the edge that `make run` uses)."""
    return _any(user, DESIGNER_ROLES)


def may_design(user):
    """Edit drafts, run scenario tests and ask for a deploy in the studio (流程设计)."""
    return _any(user, DESIGNER_ROLES) and not is_read_only(user)


def may_publish_directly(user, approval_required):
    """Publish without a second person's approval: only an admin, only where approval is switched off."""
    return not approval_required and _any(user, ADMIN_ROLES)


def may_read_deploy_requests(user):
    """Designers and whoever reviews their requests (编办) or reads everything."""
    return _any(user, DESIGNER_ROLES) or reads_everything(user)


def may_read_audit(user):
    return reads_everything(user)


# The record as 记录仪 searches it: the streams of people's accounts (sign-ins, tokens, uploads) are read by the
# read-all roles alone, whichever organisation the person belongs to.
ACCOUNT_STREAMS = ("users",)
ACCOUNT_STREAM_PREFIX = "user:"


def may_read_record(user, event, party=False):
    """One event of the record: read-all roles read every event; anyone else their own organisation's work (what
    it did, what is about it: `org:<its code>`, never its people's accounts) and every event of a call their
    organisation made or is a party to (`party`: the caller knows the calls, see `record_clause`)."""
    if reads_everything(user) or party:
        return True
    account = event.stream in ACCOUNT_STREAMS or event.stream.startswith(ACCOUNT_STREAM_PREFIX)
    return not account and user.org.code in (event.org, event.stream.partition("org:")[2] or None)


def record_clause(event, user, party_streams, party_instances):
    """`may_read_record` as SQL over the audit table (`event` is its mapped class), so a search filters in the
    database: `party_streams` and `party_instances` are subqueries of the stream names and instance ids of the
    calls the user's organisation is party to (the caller builds them; this room knows no calls)."""
    if reads_everything(user):
        return true()
    code = user.org.code
    own = and_(or_(event.org == code, event.stream == f"org:{code}"), event.stream.not_in(ACCOUNT_STREAMS),
               not_(event.stream.startswith(ACCOUNT_STREAM_PREFIX)))
    return or_(own, event.stream.in_(party_streams), event.instance_id.in_(party_instances))


def may_verify_record(user):
    """Run a verification of the record from 记录仪 (it writes an `audit.verify` event): whoever reads the whole
    record and may write. 人大 (read-only) sees the last verification and anchor and verifies an exported archive
    offline (`flask audit verify-package`): the edge's rule that read-only roles never write has no exception."""
    return reads_everything(user) and not is_read_only(user)


def may_verify_call_record(user, call):
    """Verify one call's chains from its timeline: who may read the call and may write."""
    return may_read_call(user, call) and not is_read_only(user)


# People, tokens, notifications -------------------------------------------------------------------------------------

def may_list_users(user, org_code):
    """Colleagues of one's own organisation; every organisation's people for the read-all roles."""
    return org_code == user.org.code or reads_everything(user)


def may_administer_users(user):
    """Create, edit, deactivate users, reset their passwords, see and revoke their tokens: the admin alone."""
    return _any(user, ADMIN_ROLES)


def may_administer_orgs(user):
    """Create, rename, move and deactivate organisations, import them and users from Excel: the admin alone."""
    return _any(user, ADMIN_ROLES)


def may_read_people(user):
    """The pages 用户与组织 (the organisation tree, every user's account) are read by the read-all roles."""
    return reads_everything(user)


def may_manage_token(user, token):
    return token.user_id == user.id or may_administer_users(user)


def may_read_notification(user, note):
    return note.org_code == user.org.code and (note.role is None or note.role in user.roles)
