"""Drive the real procedures through the service layer or the REST API: find a task by its BPMN id, complete it."""

from sqlalchemy import select

from app.errors import DomainError, ValidationFailed
from app.governance import calls
from app.workflow import instances, tasks
from app.workflow.models import HumanTask

USERS = {("tongcheng", "town_staff"): "zhenjie", ("tongcheng", "town_leader"): "zhenzhang",
         ("tongcheng_gaoyouhu", "grid"): "wangge", ("nongye", "dept_staff"): "nongye",
         ("nongye", "dept_leader"): "nongyezhang", ("gongan", "dept_staff"): "gongan",
         ("bianban", "bianban"): "bianban", ("ducha", "supervisor"): "ducha", ("gov", "leader"): "lingdao"}


class Driver:
    """`api_as` given: every start and completion goes over HTTP with the user's token (else the service layer)."""

    def __init__(self, session, runtime, user, api_as=None):
        self.session, self.runtime, self.user, self.api_as = session, runtime, user, api_as
        self._clients = {}

    def client(self, username):
        if username not in self._clients:
            self._clients[username] = self.api_as(username)
        return self._clients[username]

    def start(self, username, process_id, data):
        if self.api_as:
            response = self.client(username).post("/api/instances", {"process_id": process_id, "data": data})
            assert response.status_code == 201, response.json
            self.session.expire_all()
            instance = instances.get_instance(self.session, response.json["id"])
        else:
            instance = instances.start_instance(self.session, self.runtime, self.user(username), process_id, data)
            self.session.commit()
        assert instance.status == "running", instance.error
        return instance

    def open(self, bpmn_id=None, org=None):
        self.session.expire_all()
        query = select(HumanTask).where(HumanTask.status == "open").order_by(HumanTask.id)
        if bpmn_id:
            query = query.where(HumanTask.bpmn_id == bpmn_id)
        rows = list(self.session.scalars(query))
        if org:
            rows = [t for t in rows if org in t.orgs]
        return rows

    def one(self, bpmn_id, org=None):
        rows = self.open(bpmn_id, org)
        assert len(rows) == 1, (bpmn_id, org, [(t.bpmn_id, t.orgs) for t in self.open()])
        return rows[0]

    def who(self, task):
        for c in task.candidates:
            if (c.org_code, c.role) in USERS:
                return USERS[(c.org_code, c.role)]
        raise AssertionError(f"no demo user for {[(c.org_code, c.role) for c in task.candidates]}")

    def complete(self, bpmn_id, data, org=None, as_user=None):
        task = self.one(bpmn_id, org)
        username = as_user or self.who(task)
        if self.api_as:
            response = self.client(username).post(f"/api/tasks/{task.id}/complete", {"data": data})
            assert response.status_code == 200, response.json
            self.session.expire_all()
        else:
            tasks.complete_task(self.session, self.runtime, self.user(username), task.id, data)
            self.session.commit()
        assert task.instance.status != "error", task.instance.error
        return task

    def refuse_start(self, username, process_id, data):
        """Start with data the procedure must refuse; returns the per-field errors (422 over HTTP)."""
        if self.api_as:
            response = self.client(username).post("/api/instances", {"process_id": process_id, "data": data})
            assert response.status_code == 422, response.json
            return response.json["errors"]
        try:
            instances.start_instance(self.session, self.runtime, self.user(username), process_id, data)
        except ValidationFailed as refused:
            self.session.rollback()
            return refused.errors
        raise AssertionError(f"{process_id} started with {data}")

    def urge(self, username, number, org, note=""):
        """催办 as `username`; returns "ok" or the refusal's code (the HTTP body's code over the API)."""
        if self.api_as:
            response = self.client(username).post(f"/api/calls/{number}/urge", {"org": org, "note": note})
            return "ok" if response.status_code == 200 else response.json["code"]
        try:
            calls.urge(self.session, self.user(username), number, org, note)
        except DomainError as refused:
            self.session.rollback()
            return refused.code
        self.session.commit()
        return "ok"
