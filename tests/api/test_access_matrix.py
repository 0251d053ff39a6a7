"""Every operation of the generated API description × every demo role and the anonymous, with objects of other
organisations: who is refused (401, 403, 404) and who succeeds, as the access policy (app/domain/access.py) says.

Each case builds its world through the real operations, as much of it as the case needs: the real procedures
deployed, a fishing call started by the grid worker with a photo (so that 农业农村局 and 公安局 each hold a
签收响应 task), an instance of the constructs bundle started by 铜城镇, an unbound file of 铜城镇, a spare token of
公安局. Users of organisations that take no part (秦栏镇, 水利局) are created so that every rule is tested both
ways. Within a case the refusals are sent before the successes, and every write that changes state admits one
user per object, so no success can turn a later refusal into a conflict.
"""

import io
import json
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.db import utcnow
from app.domain.people import create_user, get_user, issue_token
from app.edge import PERSONAL_WRITES
from app.workflow.deployments import deploy_files, read_bundle_dir
from app.workflow.models import HumanTask
from tests.api.test_attachments import JPEG
from tests.conftest import HERE, PASSWORD, bundle_files
from tests.helpers import bundle, definitions, process, script_task

# People of organisations that take part in no object of the world, and the colleague a task is delegated to.
STRANGERS = {"qinlan1": ("秦栏镇办事员", "qinlan", "town_staff"), "shuili1": ("水利局办事员", "shuili", "dept_staff")}
EXTRAS = {**STRANGERS, "nongye2": ("农业农村局二号", "nongye", "dept_staff"), "leaver": ("离职人员", "shuili", "dept_staff")}
USERS = ["anonymous", "wangge", "zhenjie", "zhenzhang", "nongye", "nongyezhang", "gongan", "bianban", "sheji", "ducha",
         "renda", "lingdao", "admin", *STRANGERS]
EVERYONE = frozenset(USERS)
SIGNED_IN = EVERYONE - {"anonymous"}
READ_ALL = frozenset({"bianban", "ducha", "renda", "lingdao", "admin"})
WRITERS = SIGNED_IN - {"renda"}
DESIGNERS, LIST_EDITORS, ADMINS = frozenset({"sheji", "admin"}), frozenset({"bianban", "admin"}), frozenset({"admin"})
# The fishing call's organisations: the calling village (高邮湖社区) and the two departments it calls.
CALL_PARTIES = frozenset({"wangge", "nongye", "nongyezhang", "gongan"})
TOWN = frozenset({"zhenjie", "zhenzhang"})  # 铜城镇, which started the constructs instance
# Writes that change only the caller's own account: 人大 (read-only) may make them (app/edge.py PERSONAL_WRITES).
PERSONAL = {("POST", "/api/users/me/password"), ("POST", "/api/users/me/tokens"),
            ("DELETE", "/api/users/me/tokens/{token_id}")}
FISHING = {"item_code": "P-0001", "location": "高邮湖铜城段", "description": "夜间有人电鱼", "urgency": "normal",
           "extra_departments": []}
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Row:
    """One operation (and which object it is asked about): the users it admits, the answers, what each sends.

    `url` and `body` are format strings / values, or callables of (world, username); `{w.x}` in a URL builds
    the part `x` of the world, as does each name in `needs`. `later`: sent a month later, when every deadline
    of the world has passed.
    """

    method: str
    path: str
    allowed: frozenset
    ok: int = 200
    denied: int = 403
    url: object = None
    body: object = None
    variant: str = ""
    later: bool = False
    needs: tuple = ()

    def expected(self):
        return {u: self.ok if u in self.allowed else 401 if u == "anonymous" else self.denied for u in USERS}

    def request(self, world, username):
        for part in self.needs:
            getattr(world, part)
        url = self.url or self.path
        url = url(world, username) if callable(url) else url.format(w=world)
        body = self.body(world, username) if callable(self.body) else self.body
        return url, body

    @property
    def id(self):
        return f"{self.method} {self.path}" + (f" [{self.variant}]" if self.variant else "")



@dataclass
class Multipart:
    fields: dict = field(default_factory=dict)


def constructs_files(world, username):
    """The constructs bundle as JSON, its start form relabelled per user: a designer's deploy is a new version."""
    files = {name: content.decode() for name, content in bundle_files("constructs").items()}
    files["start_form.json"] = files["start_form.json"].replace('"事项"', f'"事项（{username}）"')
    return {"files": files, "note": f"矩阵 {username}"}


def photo(world, username):
    return Multipart({"file": (io.BytesIO(JPEG), "photo.jpg")})


def workbook(world, username):
    return Multipart({"file": (io.BytesIO(world.workbook), "lists.xlsx"), "reason": "矩阵导入"})


def revision(world, username):
    return {"reason": f"矩阵测试 {username}", "changes": {"handle_days": 3 + USERS.index(username)}}


def new_user(world, username):
    return {"username": f"new_{username}", "display_name": "新用户", "password": "password1", "org": "nongye",
            "roles": ["dept_staff"]}


def password_change(world, username):
    return {"old_password": "password1" if username in EXTRAS else PASSWORD, "new_password": "newpassword1"}


def own_spare_token(world, username):
    return f"/api/users/me/tokens/{world.spare_tokens.get(username, 1)}"


def studio_form(username):
    return json.dumps({"type": "default", "id": f"m_{username}", "schemaVersion": 19, "components": [
        {"type": "textfield", "id": "f_note", "key": "note", "label": "备注"}]}, ensure_ascii=False)


def new_draft(world, username):
    return {"content": studio_form(username), "base_version": None, "revision": None}


def form_upload(world, username):
    return Multipart({"files": (io.BytesIO(studio_form(f"up_{username}").encode()), f"up_{username}.json")})


def draft_url(prefix):
    def url(world, username):
        assert world.drafts
        return f"/api/design/drafts/{prefix}_{username}.json"
    return url


def request_body(world, username):
    assert world.drafts
    return {"reason": f"矩阵 {username}", "files": [f"ask_{username}.json"]}


DEADLINE_INPUTS = {"inputs": {"urgency": "urgent", "call": {"response_hours": 4, "handle_days": 5}}}
DESIGN_READERS = DESIGNERS | READ_ALL
STUDIO = [
    # The studio (流程设计): designers keep drafts, test and ask; 编办 and read-all roles read the requests.
    Row("GET", "/api/design/drafts", DESIGNERS),
    Row("GET", "/api/design/drafts/{name}", DESIGNERS, url=draft_url("keep")),
    Row("PUT", "/api/design/drafts/{name}", DESIGNERS, url=lambda w, u: f"/api/design/drafts/m_{u}.json", body=new_draft),
    Row("DELETE", "/api/design/drafts/{name}", DESIGNERS, ok=204, url=draft_url("spare")),
    Row("POST", "/api/design/processes", DESIGNERS, ok=201,
        body=lambda w, u: {"process_id": f"matrix_{u}", "name": "矩阵流程", "copy_of": None}),
    Row("POST", "/api/design/forms", DESIGNERS, ok=201, body=lambda w, u: {"form_id": f"mf_{u}", "name": "矩阵表单"}),
    Row("POST", "/api/design/upload", DESIGNERS, ok=201, body=form_upload),
    Row("POST", "/api/design/validate", DESIGNERS, body={"files": {}}),
    Row("POST", "/api/design/tests/run", DESIGNERS, body={"process": "town_opinion"}, needs=("studio",)),
    Row("GET", "/api/design/instances/{instance_id}/scenario", DESIGNERS,
        url="/api/design/instances/{w.call.instance_id}/scenario"),
    Row("GET", "/api/design/processes/{process_id}/diff", DESIGNERS,
        url="/api/design/processes/call_response/diff?from=1&to=2", needs=("deployed",)),
    Row("GET", "/api/design/processes/{process_id}/versions", DESIGNERS,
        url="/api/design/processes/call_response/versions", needs=("deployed",)),
    Row("POST", "/api/design/processes/{process_id}/rollback", DESIGNERS, ok=400,
        url="/api/design/processes/call_response/rollback", body={"version": 1, "reason": "矩阵"}, needs=("deployed",),
        variant="whose called process the latest bundle dropped: refused by validation"),
    Row("GET", "/api/design/requests", DESIGN_READERS),
    Row("POST", "/api/design/requests", DESIGNERS, ok=201, body=request_body),
    Row("GET", "/api/design/requests/{request_id}", DESIGN_READERS, url="/api/design/requests/{w.deploy_request}"),
    Row("POST", "/api/design/preview", DESIGNERS, body={"markdown": "**{{ x }}**", "data": {"x": "矩阵"}}),
    Row("POST", "/api/design/decisions/{decision_id}/evaluate", DESIGNERS,
        url="/api/design/decisions/call_deadlines/evaluate", body=DEADLINE_INPUTS, needs=("studio",)),
    Row("POST", "/api/design/forms/{form_id}/keys", DESIGNERS, url="/api/design/forms/call_form/keys",
        body={"schema": {"type": "default", "components": []}}, needs=("studio",)),
]

ROWS = [
    *STUDIO,
    Row("GET", "/api/openapi.json", EVERYONE),  # public, as is the page that shows it
    Row("GET", "/api/docs", EVERYONE),
    # Definitions: every signed-in user reads them, designers validate and deploy.
    Row("GET", "/api/processes", SIGNED_IN, needs=("deployed",)),
    Row("GET", "/api/processes/{process_id}/versions", SIGNED_IN,
        url="/api/processes/call_response/versions", needs=("deployed",)),
    Row("GET", "/api/processes/{process_id}/xml", SIGNED_IN, url="/api/processes/call_response/xml", needs=("deployed",)),
    Row("POST", "/api/processes/validate", DESIGNERS, body=constructs_files),
    Row("POST", "/api/processes/deploy", ADMINS, ok=201, body=constructs_files),
    Row("GET", "/api/deployments", SIGNED_IN, needs=("deployed",)),
    Row("GET", "/api/deployments/{number}", SIGNED_IN, url="/api/deployments/1", needs=("deployed",)),
    Row("GET", "/api/deployments/diff", SIGNED_IN, url="/api/deployments/diff?from=1&to=2", needs=("deployed",)),
    Row("GET", "/api/forms/{form_id}", SIGNED_IN, url="/api/forms/respond_form", needs=("deployed",)),
    Row("GET", "/api/services", SIGNED_IN),
    # Instances: read by read-all roles and the organisations involved; started by the start event's roles;
    # steered by admins only.
    Row("GET", "/api/instances", SIGNED_IN, needs=("call",)),
    Row("POST", "/api/instances", {"wangge", "zhenjie", "qinlan1"}, ok=201, needs=("deployed",),
        body={"process_id": "call_response", "data": FISHING}, variant="start_roles grid, town_staff"),
    Row("GET", "/api/instances/{instance_id}", READ_ALL | CALL_PARTIES, url="/api/instances/{w.call.instance_id}",
        variant="a village's call to two departments"),
    Row("GET", "/api/instances/{instance_id}", READ_ALL | TOWN, url="/api/instances/{w.town_instance}",
        variant="a town's instance"),
    Row("POST", "/api/instances/{instance_id}/suspend", ADMINS, url="/api/instances/{w.town_instance}/suspend",
        body={"reason": "矩阵测试"}),
    Row("POST", "/api/instances/{instance_id}/resume", ADMINS, url="/api/instances/{w.suspended_instance}/resume",
        body={"reason": "矩阵测试"}),
    Row("POST", "/api/instances/{instance_id}/retry", ADMINS, url="/api/instances/{w.failed_instance}/retry",
        body={"reason": "矩阵测试"}),
    Row("POST", "/api/instances/{instance_id}/terminate", ADMINS, url="/api/instances/{w.call.instance_id}/terminate",
        body={"reason": "矩阵测试"}),
    # Tasks: candidates (role and organisation) work on them; read-all roles read them too.
    Row("GET", "/api/tasks", SIGNED_IN, needs=("call",)),
    Row("GET", "/api/tasks/{task_id}", READ_ALL | {"nongye"}, url="/api/tasks/{w.department_task}",
        variant="农业农村局's task"),
    Row("GET", "/api/tasks/{task_id}", READ_ALL | {"zhenjie"}, url="/api/tasks/{w.town_task}", variant="铜城镇's task"),
    Row("POST", "/api/tasks/{task_id}/claim", {"nongye"}, url="/api/tasks/{w.department_task}/claim"),
    Row("POST", "/api/tasks/{task_id}/unclaim", {"nongye"} | ADMINS, url="/api/tasks/{w.claimed_task}/unclaim"),
    Row("POST", "/api/tasks/{task_id}/delegate", {"nongye"}, url="/api/tasks/{w.department_task}/delegate",
        body={"username": "nongye2"}),
    Row("PUT", "/api/tasks/{task_id}/draft", {"nongye"}, url="/api/tasks/{w.department_task}/draft",
        body={"data": {"decision": "reject", "reason": "草稿"}}),
    Row("POST", "/api/tasks/{task_id}/complete", {"nongye"}, url="/api/tasks/{w.department_task}/complete",
        body={"data": {"decision": "accept"}}),
    Row("POST", "/api/tasks/{task_id}/complete", {"zhenjie"}, url="/api/tasks/{w.town_task}/complete",
        body={"data": {"amount": 10, "reviewers": []}}, variant="铜城镇's task"),
    # The record: read-all roles.
    Row("GET", "/api/audit/events", READ_ALL),
    Row("GET", "/api/audit/verify", READ_ALL),
    Row("GET", "/api/orgs", SIGNED_IN),
    # People and tokens: one's own organisation and account; admins administer; read-all roles list every organisation.
    Row("GET", "/api/users/me", SIGNED_IN),
    Row("GET", "/api/users", SIGNED_IN, variant="my organisation"),
    Row("GET", "/api/users", {"nongye", "nongyezhang"} | READ_ALL, url="/api/users?org=nongye",
        variant="农业农村局"),
    Row("POST", "/api/users", ADMINS, ok=201, body=new_user),
    Row("POST", "/api/users/{username}/deactivate", ADMINS, url="/api/users/leaver/deactivate"),
    Row("POST", "/api/users/me/password", SIGNED_IN, ok=204, body=password_change),
    Row("GET", "/api/users/me/tokens", SIGNED_IN),
    Row("POST", "/api/users/me/tokens", SIGNED_IN, ok=201, body={"name": "矩阵"}),
    Row("DELETE", "/api/users/me/tokens/{token_id}", SIGNED_IN, ok=204, url=own_spare_token, variant="my own"),
    Row("DELETE", "/api/users/me/tokens/{token_id}", {"gongan"}, ok=204, denied=404,
        url="/api/users/me/tokens/{w.spare_tokens[gongan]}", variant="公安局's"),
    Row("GET", "/api/users/{username}/tokens", ADMINS, url="/api/users/gongan/tokens"),
    Row("DELETE", "/api/users/{username}/tokens/{token_id}", ADMINS, ok=204,
        url="/api/users/gongan/tokens/{w.spare_tokens[gongan]}"),
    # Lists: everyone reads, 编办 and admins edit.
    Row("GET", "/api/lists", SIGNED_IN),
    Row("GET", "/api/lists/export", SIGNED_IN, url="/api/lists/export?kind=assigned"),
    Row("POST", "/api/lists/import", LIST_EDITORS, body=workbook),
    Row("GET", "/api/lists/{code}", SIGNED_IN, url="/api/lists/P-0001"),
    Row("GET", "/api/lists/{code}/versions", SIGNED_IN, url="/api/lists/P-0001/versions"),
    Row("POST", "/api/lists/{code}/revise", LIST_EDITORS, ok=201, url="/api/lists/P-0001/revise", body=revision),
    # Calls: the caller's and the parties' organisations and read-all roles read; only the caller urges.
    Row("GET", "/api/calls", SIGNED_IN, needs=("call",)),
    Row("GET", "/api/calls/{number}", READ_ALL | CALL_PARTIES, url="/api/calls/{w.call.number}"),
    Row("POST", "/api/calls/{number}/urge", {"wangge"}, url="/api/calls/{w.call.number}/urge",
        body={"org": "nongye", "note": "请尽快响应"}, later=True),
    Row("GET", "/api/supervision", SIGNED_IN),
    Row("GET", "/api/evaluations", SIGNED_IN),
    # Files: anyone who writes uploads; a file is read by its uploader, and through the instance it belongs to.
    Row("POST", "/api/attachments", WRITERS, ok=201, body=photo),
    Row("GET", "/api/attachments/{attachment_id}", READ_ALL | CALL_PARTIES, url="/api/attachments/{w.call.photo}",
        variant="the photo of the call"),
    Row("GET", "/api/attachments/{attachment_id}", {"zhenjie"}, url="/api/attachments/{w.private_file}",
        variant="铜城镇's unbound file"),
    Row("GET", "/api/attachments/{attachment_id}/thumbnail", READ_ALL | CALL_PARTIES,
        url="/api/attachments/{w.call.photo}/thumbnail", variant="the thumbnail of the call's photo"),
    Row("GET", "/api/attachments/{attachment_id}/thumbnail", {"zhenjie"},
        url="/api/attachments/{w.private_file}/thumbnail", variant="the thumbnail of 铜城镇's unbound file"),
    Row("GET", "/api/attachments/{attachment_id}/info", READ_ALL | CALL_PARTIES,
        url="/api/attachments/{w.call.photo}/info", variant="what the call's photo tells"),
    # The console's list (counts per status under the filters, as the list) and its batch; the operator's overview.
    Row("GET", "/api/instances/counts", SIGNED_IN, needs=("call",)),
    Row("POST", "/api/instances/batch", ADMINS, needs=("town_instance",),
        body=lambda w, u: {"ids": [w.town_instance], "action": "suspend", "reason": "矩阵测试"}),
    Row("GET", "/api/console/overview", READ_ALL),
    # 概览: the month at a glance, for the read-all roles (人大 included: it only reads).
    Row("GET", "/api/overview", READ_ALL, url="/api/overview?month=2026-01", needs=("call",)),
]
# Version migrations: read-all roles see dry runs and reports; admins move and revert.
ROWS.extend([
    Row("GET", "/api/migrations/dry-run", READ_ALL, url="/api/migrations/dry-run?process_id=call_response&to_version=1",
        needs=("call",)),
    Row("GET", "/api/migrations", READ_ALL),
    Row("POST", "/api/migrations", ADMINS, ok=201, needs=("call",), body=lambda w, u: {
        "process_id": "call_response", "to_version": 1, "ids": [w.call.instance_id], "reason": "矩阵测试"}),
    Row("GET", "/api/migrations/{batch_id}", READ_ALL, url=lambda w, u: f"/api/migrations/{migration_batch(w)}"),
    Row("POST", "/api/migrations/moves/{move_id}/revert", ADMINS, ok=404, needs=("call",),
        url=lambda w, u: f"/api/migrations/moves/{migration_batch(w, move=True)}/revert", body={"reason": "矩阵测试"},
        variant="a refused move: nothing to revert"),
])


def migration_batch(world, move=False):
    """A batch that tried to move the call to the version it is on (refused): its id, or its one move's."""
    from app.workflow.version_migration import migrate

    if not hasattr(world, "_migration_batch"):
        world.call  # noqa: B018 - builds the call
        batch = migrate(world.session, world.runtime, get_user(world.session, "admin"), "call_response", 1,
                        [world.call.instance_id], "矩阵测试")
        world._migration_batch = (batch.id, batch.moves[0].id)
        world.session.commit()
    return world._migration_batch[1 if move else 0]


# The console's hand on an instance's elements: the read-all roles read where it stands, the admin acts.
def console_point(world, what):
    """An engine task of the fishing call for an element action: a completed step (rewind) or a waiting timer."""
    from app.workflow.execution import begin_run
    from app.workflow.instances import get_instance

    world.call  # noqa: B018 - builds the call
    where = begin_run(world.session, world.runtime, get_instance(world.session, world.call.instance_id), None).run.where()
    world.session.rollback()
    if what == "step":
        return where.rewinds[0][0]
    return next(t.task_id for e in where.elements for t in e.tasks if t.state == "waiting" and t.timer_due)


def department_task_uuid(world):
    return world.session.get(HumanTask, world.department_task).task_uuid


ROWS.extend([
    Row("GET", "/api/instances/{instance_id}/elements", READ_ALL, url="/api/instances/{w.town_instance}/elements"),
    Row("POST", "/api/instances/{instance_id}/tasks/{task_id}/reassign", ADMINS,
        url="/api/instances/{w.town_instance}/tasks/{w.town_task}/reassign", body={"org_code": "qinlan",
                                                                                 "reason": "矩阵测试"}),
    Row("POST", "/api/instances/{instance_id}/skip", ADMINS, url="/api/instances/{w.call.instance_id}/skip",
        body=lambda w, u: {"task_id": department_task_uuid(w), "data": {"decision": "accept"}, "reason": "矩阵测试"}),
    Row("POST", "/api/instances/{instance_id}/rewind", ADMINS, url="/api/instances/{w.call.instance_id}/rewind",
        body=lambda w, u: {"task_id": console_point(w, "step"), "reason": "矩阵测试"}),
    Row("POST", "/api/instances/{instance_id}/fire-timer", ADMINS, url="/api/instances/{w.call.instance_id}/fire-timer",
        body=lambda w, u: {"task_id": console_point(w, "timer"), "reason": "矩阵测试"}),
    Row("POST", "/api/instances/{instance_id}/deliver-message", ADMINS, ok=409,
        url="/api/instances/{w.call.instance_id}/deliver-message", body={"name": "矩阵", "reason": "矩阵测试"},
        variant="a message the call does not wait for"),
    Row("PUT", "/api/instances/{instance_id}/data", ADMINS, url="/api/instances/{w.suspended_instance}/data",
        body={"data": {"subject": "矩阵"}, "reason": "矩阵测试"}),
])


# People and organisations: read-all roles read any account, everyone the organisations; the admin changes them.
ROWS.extend([
    Row("GET", "/api/orgs/{code}", SIGNED_IN, url="/api/orgs/tongcheng"),
    Row("POST", "/api/orgs", ADMINS, ok=201, body=lambda w, u: {"code": f"m_{u}", "name": f"矩阵村 {u}",
                                                             "kind": "village", "parent": "tongcheng"}),
    Row("PATCH", "/api/orgs/{code}", ADMINS, url="/api/orgs/qinlan_qinlan", body={"name": "秦栏镇秦栏社区（矩阵）"}),
    Row("POST", "/api/orgs/{code}/deactivate", ADMINS, url="/api/orgs/datong_datong/deactivate"),
    Row("POST", "/api/orgs/{code}/activate", ADMINS, url=lambda w, u: f"/api/orgs/{people_world(w)['org']}/activate"),
    Row("POST", "/api/orgs/import", ADMINS, body=lambda w, u: people_workbook(
        ["单位编码", "单位名称", "类别", "上级单位编码"], [f"mi_{u}", f"导入村 {u}", "村（社区）", "tongcheng"])),
    Row("GET", "/api/orgs/import/template", ADMINS),
    Row("GET", "/api/users/{username}", {"nongye", "nongyezhang"} | READ_ALL, url="/api/users/nongye",
        variant="农业农村局's"),
    Row("PATCH", "/api/users/{username}", ADMINS, url="/api/users/shuili1", body={"display_name": "水利局一号"}),
    Row("POST", "/api/users/{username}/reactivate", ADMINS,
        url=lambda w, u: f"/api/users/{people_world(w)['user']}/reactivate"),
    Row("POST", "/api/users/{username}/reset-password", ADMINS, url="/api/users/shuili1/reset-password"),
    Row("POST", "/api/users/import", ADMINS, body=lambda w, u: people_workbook(
        ["用户名", "姓名", "单位编码", "角色", "初始密码"], [f"mi_{u}", "导入用户", "tongcheng", "镇街工作人员", "password1"])),
    Row("GET", "/api/users/import/template", ADMINS),
])


def people_workbook(header, row):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(header)
    book.active.append(row)
    content = io.BytesIO()
    book.save(content)
    content.seek(0)
    return Multipart({"file": (content, "people.xlsx")})


def people_world(world):
    """A deactivated organisation (石梁镇, empty) and a deactivated user, built once per case."""
    from app.domain.actors import Actor
    from app.domain.org_admin import set_org_active
    from app.domain.people import deactivate_user

    if not hasattr(world, "_people"):
        assert world.clients
        admin = Actor.of(get_user(world.session, "admin"))
        set_org_active(world.session, admin, "shiliang", False)
        deactivate_user(world.session, admin, "leaver")
        world.session.commit()
        world._people = {"org": "shiliang", "user": "leaver"}
    return world._people


@dataclass
class FishingCall:
    instance_id: int
    number: str
    photo: int


class World:
    """The objects a case asks about, each built on first use through the real operations, and committed."""

    def __init__(self, app, session, runtime):
        self.app, self.session, self.runtime = app, session, runtime

    @cached_property
    def clients(self):
        """{username: (test client, headers)}: a bearer token for every user, none for the anonymous."""
        for username, (display_name, org, role) in EXTRAS.items():
            create_user(self.session, "admin", username, display_name, "password1", org, [role], "pbkdf2:sha256:1000")
        tokens = {u: issue_token(self.session, get_user(self.session, u), "matrix")[0] for u in SIGNED_IN}
        self.session.commit()
        clients = {u: (self.app.test_client(), {"Authorization": f"Bearer {t}"}) for u, t in tokens.items()}
        return {"anonymous": (self.app.test_client(), {}), **clients}

    def send(self, username, method, url, body=None):
        client, headers = self.clients[username]
        if isinstance(body, Multipart):
            return client.open(url, method=method, headers=headers, data=body.fields, content_type="multipart/form-data")
        if method in ("GET", "DELETE"):
            return client.open(url, method=method, headers=headers)
        return client.open(url, method=method, headers=headers, json=body if body is not None else {})

    def ok(self, username, method, url, body=None):
        response = self.send(username, method, url, body)
        assert response.status_code < 300, (url, response.status_code, response.get_json())
        self.session.expire_all()
        return response.get_json()

    @cached_property
    def deployed(self):
        """The real procedures (deployment 1), then the constructs bundle (deployment 2)."""
        admin = get_user(self.session, "admin")
        deploy_files(self.session, self.runtime, admin, read_bundle_dir(HERE.parent / "processes", HERE.parent / "forms"))
        deploy_files(self.session, self.runtime, admin, bundle_files("constructs"))
        self.session.commit()
        return "deployed"

    @cached_property
    def studio(self):
        """The real procedures laid over the constructs bundle (deployment 3): the studio's drafts start from it."""
        assert self.deployed
        deploy_files(self.session, self.runtime, get_user(self.session, "admin"),
                     read_bundle_dir(HERE.parent / "processes", HERE.parent / "forms"), overlay=True)
        self.session.commit()
        return "studio"

    @cached_property
    def drafts(self):
        """Each designer's drafts: one kept, one to discard, one to ask to publish."""
        assert self.studio
        for username in DESIGNERS:
            for prefix in ("keep", "spare", "ask"):
                self.ok(username, "PUT", f"/api/design/drafts/{prefix}_{username}.json", new_draft(self, username))
        return "drafts"

    @cached_property
    def deploy_request(self):
        assert self.studio
        self.ok("admin", "PUT", "/api/design/drafts/req.json", new_draft(self, "req"))
        return self.ok("admin", "POST", "/api/design/requests", {"reason": "矩阵", "files": ["req.json"]})["id"]

    @cached_property
    def call(self):
        """The grid worker's fishing call with a photo: 农业农村局 leads, 公安局 cooperates."""
        assert self.deployed
        picture = self.ok("wangge", "POST", "/api/attachments", photo(self, "wangge"))["id"]
        started = self.ok("wangge", "POST", "/api/instances",
                          {"process_id": "call_response", "data": {**FISHING, "photos": [picture]}})
        return FishingCall(started["id"], started["business_key"], picture)

    def open_task(self, instance_id, org):
        tasks = self.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                             HumanTask.status == "open"))
        (task,) = [t for t in tasks if org in t.orgs]
        return task.id

    @cached_property
    def department_task(self):
        """农业农村局's 签收响应 (its only candidates: dept_staff and town_staff of 农业农村局)."""
        return self.open_task(self.call.instance_id, "nongye")

    @cached_property
    def claimed_task(self):
        self.ok("nongye", "POST", f"/api/tasks/{self.department_task}/claim")
        return self.department_task

    @cached_property
    def town_instance(self):
        assert self.deployed
        return self.ok("zhenjie", "POST", "/api/instances", {"process_id": "main_flow", "data": {"subject": "矩阵"}})["id"]

    @cached_property
    def town_task(self):
        return self.open_task(self.town_instance, "tongcheng")

    @cached_property
    def suspended_instance(self):
        self.ok("admin", "POST", f"/api/instances/{self.town_instance}/suspend", {"reason": "矩阵测试"})
        return self.town_instance

    @cached_property
    def failed_instance(self):
        """An instance in error: its script divides by a name nobody set."""
        failing = process(pid="probe", middle=script_task("divide", "ratio = 10 / count"))
        deploy_files(self.session, self.runtime, get_user(self.session, "admin"),
                     bundle(definitions(failing), name="probe.bpmn"))
        self.session.commit()
        started = self.ok("zhenjie", "POST", "/api/instances", {"process_id": "probe", "data": {}})
        assert started["status"] == "error", started
        return started["id"]

    @cached_property
    def private_file(self):
        return self.ok("zhenjie", "POST", "/api/attachments", photo(self, "zhenjie"))["id"]

    @cached_property
    def spare_tokens(self):
        """{username: id} of a second token of every signed-in user (the first one authenticates the case)."""
        assert self.clients
        spare = {u: issue_token(self.session, get_user(self.session, u), "spare")[1] for u in SIGNED_IN}
        self.session.commit()
        return {u: token.id for u, token in spare.items()}

    @cached_property
    def workbook(self):
        return self.send("admin", "GET", "/api/lists/export?kind=assigned").data


def error_body_problems(response):
    body = response.get_json(silent=True)
    if not isinstance(body, dict) or set(body) != {"code", "message", "errors"}:
        return f"not an error body: {body!r}"
    if not CJK.search(body["message"] or ""):
        return f"message not in Chinese: {body['message']!r}"
    return None


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_access_matrix(app, session, runtime, row):
    world = World(app, session, runtime)
    expected = row.expected()
    assert world.clients
    requests = {u: row.request(world, u) for u in USERS}  # builds the world before any clock moves
    order = sorted(USERS, key=lambda u: expected[u] < 400)  # refusals first: a success may change the object
    got, messages = {}, {}
    with freeze_time(utcnow() + timedelta(days=30)) if row.later else nullcontext():
        for username in order:
            url, body = requests[username]
            response = world.send(username, row.method, url, body)
            got[username] = response.status_code
            if response.status_code >= 400:
                messages[username] = (response.get_json(silent=True) or {}).get("message")
                assert error_body_problems(response) is None, (username, error_body_problems(response))
    assert got == expected, messages
    if "anonymous" not in row.allowed:
        assert messages["anonymous"] == "请先登录"
    if row.method != "GET" and (row.method, row.path) not in PERSONAL:
        assert messages["renda"] == "只读角色不能修改数据"


def spec_operations(client):
    paths = client.get("/api/openapi.json").json["paths"]
    return {(method.upper(), path) for path, item in paths.items() for method in item
            if method in ("get", "put", "post", "delete", "patch")}


def routed_api_operations(app):
    """(METHOD, path) of every route under /api, in the description's spelling (`<int:x>` -> `{x}`)."""
    operations = set()
    for rule in app.url_map.iter_rules():
        if rule.rule == "/api" or rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            operations |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return operations


def test_the_matrix_covers_exactly_the_described_and_routed_operations(app, client):
    described, routed = spec_operations(client), routed_api_operations(app)
    assert described <= routed, described - routed
    in_matrix = {(r.method, r.path) for r in ROWS}
    assert not routed - in_matrix, f"operations without a matrix row: {sorted(routed - in_matrix)}"
    assert not in_matrix - routed, f"matrix rows for no operation: {sorted(in_matrix - routed)}"


def test_personal_writes_are_the_edges(app):
    """The writes 人大 may make here are exactly those app/edge.py lets through for the API."""
    adapter = app.url_map.bind("localhost")
    endpoints = {adapter.match(path.replace("{token_id}", "1"), method=method)[0] for method, path in PERSONAL}
    api_endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    assert endpoints == PERSONAL_WRITES & api_endpoints


def test_lists_show_each_user_only_what_the_policy_lets_them_read(app, session, runtime):
    """The lists filter by the same rules: instances and calls by organisation, the inbox by candidacy."""
    world = World(app, session, runtime)
    call, town = world.call, world.town_instance
    inboxes = {"nongye": world.department_task, "gongan": world.open_task(call.instance_id, "gongan"),
               "zhenjie": world.town_task}
    for username in SIGNED_IN:
        instances = {i["id"] for i in world.ok(username, "GET", "/api/instances")}
        assert instances == ({call.instance_id} if username in READ_ALL | CALL_PARTIES else set()) | (
            {town} if username in READ_ALL | TOWN else set()), username
        inbox = {t["id"] for t in world.ok(username, "GET", "/api/tasks")}
        assert inbox == ({inboxes[username]} if username in inboxes else set()), username
        calls = {c["number"] for c in world.ok(username, "GET", "/api/calls")}
        assert calls == ({call.number} if username in READ_ALL | CALL_PARTIES else set()), username


def test_a_draft_is_read_by_the_candidates_only(app, session, runtime):
    """Read-all roles read a department's task, never its unfinished draft."""
    world = World(app, session, runtime)
    task = world.department_task
    world.ok("nongye", "PUT", f"/api/tasks/{task}/draft", {"data": {"decision": "reject", "reason": "草稿理由"}})
    assert world.ok("nongye", "GET", f"/api/tasks/{task}")["data"]["reason"] == "草稿理由"
    for username in READ_ALL:
        shown = world.ok(username, "GET", f"/api/tasks/{task}")
        assert "草稿理由" not in str(shown), username


def test_a_party_reads_its_own_tasks_of_an_instance_not_the_whole_of_it(app, session, runtime):
    """Another department's completed submission stays out of the instance as a party reads it."""
    world = World(app, session, runtime)
    theirs = world.open_task(world.call.instance_id, "gongan")
    world.ok("gongan", "POST", f"/api/tasks/{theirs}/complete", {"data": {"decision": "reject", "reason": "公安内部意见"}})
    detail = world.ok("nongye", "GET", f"/api/instances/{world.call.instance_id}")
    assert world.department_task in {t["id"] for t in detail["tasks"]}
    assert theirs not in {t["id"] for t in detail["tasks"]}, "another department's task"
    assert "公安内部意见" not in str(detail), "another department's submitted data"
    assert FISHING["location"] not in str(detail), "the whole data, which only the starting organisation reads"


def test_a_valid_completion_is_never_a_server_error(app, session, runtime):
    """Leaving an optional taglist out makes the diagram's multi-instance iterate null: the instance waits in error."""
    world = World(app, session, runtime)
    response = world.send("zhenjie", "POST", f"/api/tasks/{world.town_task}/complete", {"data": {"amount": 10}})
    assert response.status_code == 200, response.get_json()
    instance = world.send("admin", "GET", f"/api/instances/{response.get_json()['instance_id']}").get_json()
    assert instance["status"] == "error" and "流程数据不符合流程的要求" in instance["error"]["message"]
