"""The instance collection: the filtered, paged list (with counts per status), a start, and batch actions."""

from zoneinfo import ZoneInfo

from flask.views import MethodView

from app.api.auth import actor, config, runtime
from app.api.instances import blp
from app.api.instances.list_schemas import (
    CountsSchema,
    InstanceBatchResultSchema,
    InstanceBatchSchema,
    InstanceQuerySchema,
    ListedInstanceSchema,
)
from app.api.instances.schemas import InstanceSchema, StartSchema
from app.errors import DomainError
from app.extensions import db
from app.messages import label, msg
from app.workflow import instances as ops
from app.workflow import operating, queries
from app.workflow.instance_list import InstanceFilter, filter_counts, instance_list
from app.workflow.models import ProcessInstance


def list_filter(query):
    """The query's filters (the API names the business key `business_key`, the list `key`)."""
    values = dict(query)
    return InstanceFilter(key=values.pop("business_key", None), **values)


def zone():
    return ZoneInfo(config().TIMEZONE)


@blp.route("")
class Instances(MethodView):
    @blp.arguments(InstanceQuerySchema, location="query")
    @blp.response(200, ListedInstanceSchema(many=True))
    @blp.paginate(page_size=20, max_page_size=200)
    def get(self, query, pagination_parameters):
        """Instances the caller may see, newest first, under the console's filters (see /counts for the tabs)."""
        page = pagination_parameters
        rows, page.item_count, _ = instance_list(db.session, actor(), list_filter(query), zone(), page.page,
                                                 page.page_size)
        return rows

    @blp.arguments(StartSchema)
    @blp.response(201, InstanceSchema)
    def post(self, body):
        instance = ops.start_instance(db.session, runtime(), actor(), body["process_id"], body["data"],
                                      body["business_key"])
        return queries.instance_summary(instance)


@blp.route("/counts")
class Counts(MethodView):
    @blp.arguments(InstanceQuerySchema, location="query")
    @blp.response(200, CountsSchema)
    def get(self, query):
        """How many instances of each status the filters find (the status filter itself is left out)."""
        counts, total = filter_counts(db.session, actor(), list_filter(query), zone())
        return {"counts": counts, "total": total}


@blp.route("/batch")
class Batch(MethodView):
    @blp.arguments(InstanceBatchSchema)
    @blp.response(200, InstanceBatchResultSchema(many=True))
    def post(self, body):
        """One action on each selected instance, each in its own savepoint: a refusal does not stop the rest."""
        who = actor()
        operating.require_operator(who)
        reason = operating.require_reason(body["reason"])
        return [run_one(who, instance_id, body["action"], reason) for instance_id in dict.fromkeys(body["ids"])]


def run_one(who, instance_id, action, reason):
    """The action on one instance inside a savepoint; its result (done, or refused with the Chinese reason)."""
    try:
        with db.session.begin_nested():
            instance = operating.run_instance_action(db.session, runtime(), who, instance_id, action, reason)
    except DomainError as refused:
        current = db.session.get(ProcessInstance, instance_id)
        return {"id": instance_id, "ok": False, "message": refused.message,
                "status": current.status if current else None,
                "status_label": label("instance_status", current.status) if current else None}
    return {"id": instance_id, "ok": True, "status": instance.status,
            "status_label": label("instance_status", instance.status),
            "message": msg("console_list.batch.done", action=label("batch_action", action),
                           status=label("instance_status", instance.status))}
