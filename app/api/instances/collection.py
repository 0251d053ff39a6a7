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
from app.extensions import db
from app.workflow import instances as ops
from app.workflow import operating, queries
from app.workflow.instance_list import InstanceFilter, filter_counts, instance_list


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
        return operating.run_batch(db.session, runtime(), actor(), body["ids"], body["action"], body["reason"])
