"""Process instances: start, list and filter, show (tasks, data, history), suspend, resume, terminate, retry."""

from flask.views import MethodView
from sqlalchemy import select

from app.api.auth import actor, runtime
from app.api.instances.schemas import (
    EventSchema,
    InstanceDetailSchema,
    InstanceQuerySchema,
    InstanceSchema,
    StartSchema,
    TerminateSchema,
)
from app.api.paging import Blueprint
from app.domain import access
from app.domain.audit import AuditEvent
from app.extensions import db
from app.workflow import instances as ops
from app.workflow.models import HumanTask

blp = Blueprint("instances", __name__, url_prefix="/api/instances", description="流程实例")


@blp.route("")
class Instances(MethodView):
    @blp.arguments(InstanceQuerySchema, location="query")
    @blp.response(200, InstanceSchema(many=True))
    @blp.paginate(page_size=20, max_page_size=200)
    def get(self, query, pagination_parameters):
        page = pagination_parameters
        rows, page.item_count = ops.list_instances(db.session, actor(), page=page.page, per_page=page.page_size,
                                                   **query)
        return rows

    @blp.arguments(StartSchema)
    @blp.response(201, InstanceSchema)
    def post(self, body):
        instance = ops.start_instance(db.session, runtime(), actor(), body["process_id"], body["data"],
                                      body["business_key"])
        return instance


@blp.route("/<int:instance_id>")
class InstanceDetail(MethodView):
    @blp.response(200, InstanceDetailSchema)
    def get(self, instance_id):
        user = actor()
        instance = ops.get_instance(db.session, instance_id)
        ops.require_instance_view(db.session, user, instance)
        whole = access.may_read_instance_data(user, instance)  # other parties see their own tasks, not others' data
        tasks = db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id).order_by(HumanTask.id))
        instance.tasks = [t for t in tasks if whole or access.may_read_task(user, t)]
        instance.data = ops.instance_data(db.session, runtime(), instance) if whole else {}
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.stream == f"instance:{instance.id}").order_by(AuditEvent.seq))
        instance.history = [e if whole else {**{name: getattr(e, name) for name in EventSchema().fields},
                                             "payload": {"task": e.payload.get("task")}} for e in events]
        return instance


def _action(name):
    def post(self, instance_id):
        instance = getattr(ops, f"{name}_instance")(db.session, runtime(), actor(), instance_id)
        return instance
    return post


@blp.route("/<int:instance_id>/suspend")
class Suspend(MethodView):
    post = blp.response(200, InstanceSchema)(_action("suspend"))


@blp.route("/<int:instance_id>/resume")
class Resume(MethodView):
    post = blp.response(200, InstanceSchema)(_action("resume"))


@blp.route("/<int:instance_id>/retry")
class Retry(MethodView):
    post = blp.response(200, InstanceSchema)(_action("retry"))


@blp.route("/<int:instance_id>/terminate")
class Terminate(MethodView):
    @blp.arguments(TerminateSchema)
    @blp.response(200, InstanceSchema)
    def post(self, body, instance_id):
        instance = ops.terminate_instance(db.session, runtime(), actor(), instance_id, body["reason"])
        return instance
