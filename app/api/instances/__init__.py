"""Process instances: start, list and filter, show (tasks, data, history), suspend, resume, terminate, retry."""

from flask.views import MethodView

from app.api.auth import actor, runtime
from app.api.instances.schemas import (
    InstanceDetailSchema,
    InstanceQuerySchema,
    InstanceSchema,
    StartSchema,
    TerminateSchema,
)
from app.api.paging import Blueprint
from app.extensions import db
from app.messages import msg
from app.workflow import instances as ops
from app.workflow import queries

blp = Blueprint("instances", __name__, url_prefix="/api/instances", description=msg("api.instances.blueprint"))


@blp.route("")
class Instances(MethodView):
    @blp.arguments(InstanceQuerySchema, location="query")
    @blp.response(200, InstanceSchema(many=True))
    @blp.paginate(page_size=20, max_page_size=200)
    def get(self, query, pagination_parameters):
        page = pagination_parameters
        rows, page.item_count = queries.instance_page(db.session, actor(), page.page, page.page_size, **query)
        return rows

    @blp.arguments(StartSchema)
    @blp.response(201, InstanceSchema)
    def post(self, body):
        instance = ops.start_instance(db.session, runtime(), actor(), body["process_id"], body["data"],
                                      body["business_key"])
        return queries.instance_summary(instance)


@blp.route("/<int:instance_id>")
class InstanceDetail(MethodView):
    @blp.response(200, InstanceDetailSchema)
    def get(self, instance_id):
        """The instance with its tasks, data and history; another party sees its own tasks and no data."""
        return queries.instance_detail(db.session, runtime(), actor(), instance_id)


def _action(name):
    def post(self, instance_id):
        instance = getattr(ops, f"{name}_instance")(db.session, runtime(), actor(), instance_id)
        return queries.instance_summary(instance)
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
        return queries.instance_summary(instance)
