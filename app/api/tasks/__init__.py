"""Human tasks: inbox (mine, group), show, claim, unclaim, delegate, save draft, complete."""

from flask.views import MethodView

from app.api.auth import actor, runtime
from app.api.paging import Blueprint
from app.api.tasks.schemas import (
    CompletedTaskSchema,
    DataSchema,
    DelegateSchema,
    InboxQuerySchema,
    TaskDetailSchema,
    TaskSchema,
)
from app.extensions import db
from app.messages import msg
from app.workflow import queries
from app.workflow import tasks as ops

blp = Blueprint("tasks", __name__, url_prefix="/api/tasks", description=msg("api.tasks.blueprint"))


@blp.route("")
class Inbox(MethodView):
    @blp.arguments(InboxQuerySchema, location="query")
    @blp.response(200, TaskSchema(many=True))
    @blp.paginate(page_size=20, max_page_size=200)
    def get(self, query, pagination_parameters):
        """Open tasks of the caller: claimed by them (`mine`), unclaimed in their organisation (`group`), or both."""
        page = pagination_parameters
        rows, page.item_count = queries.inbox_page(db.session, actor(), page.page, page.page_size, **query)
        return rows


@blp.route("/<int:task_id>")
class TaskDetail(MethodView):
    @blp.response(200, TaskDetailSchema)
    def get(self, task_id):
        return queries.task_detail(db.session, runtime(), actor(), task_id)


@blp.route("/<int:task_id>/claim")
class Claim(MethodView):
    @blp.response(200, TaskSchema)
    def post(self, task_id):
        return queries.task_summary(ops.claim_task(db.session, actor(), task_id))


@blp.route("/<int:task_id>/unclaim")
class Unclaim(MethodView):
    @blp.response(200, TaskSchema)
    def post(self, task_id):
        return queries.task_summary(ops.unclaim_task(db.session, actor(), task_id))


@blp.route("/<int:task_id>/delegate")
class Delegate(MethodView):
    @blp.arguments(DelegateSchema)
    @blp.response(200, TaskSchema)
    def post(self, body, task_id):
        return queries.task_summary(ops.delegate_task(db.session, actor(), task_id, body["username"]))


@blp.route("/<int:task_id>/draft")
class Draft(MethodView):
    @blp.arguments(DataSchema)
    @blp.response(200, TaskSchema)
    def put(self, body, task_id):
        return queries.task_summary(ops.save_draft(db.session, runtime(), actor(), task_id, body["data"]))


@blp.route("/<int:task_id>/complete")
class Complete(MethodView):
    @blp.arguments(DataSchema)
    @blp.response(200, CompletedTaskSchema)
    def post(self, body, task_id):
        """Complete with form data: 422 with per-field Chinese messages, 409 if someone completed it first.

        `next_task` names the instance's next open task that the caller may work on, so a page can go on to it.
        """
        return queries.completion(*ops.complete_task(db.session, runtime(), actor(), task_id, body["data"]))
