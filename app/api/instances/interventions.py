"""An admin's hand on an instance's elements: where it stands, reassign, skip, rewind, fire a timer, deliver a
message, edit the data (each with a reason, audited; refused with a Chinese reason when the state does not allow)."""

from flask.views import MethodView

from app.api.auth import actor, runtime
from app.api.instances import blp
from app.api.instances.intervention_schemas import (
    DataEditSchema,
    ElementsSchema,
    MessageDeliverySchema,
    ReassignSchema,
    SkipSchema,
    TaskActionSchema,
)
from app.api.instances.schemas import InstanceSchema, TaskBriefSchema
from app.extensions import db
from app.workflow import console_view, queries
from app.workflow import interventions as ops


@blp.route("/<int:instance_id>/elements")
class Elements(MethodView):
    @blp.arguments(ElementsSchema, location="query", as_kwargs=True)
    @blp.response(200, ElementsSchema)
    def get(self, instance_id, workflow="top"):
        """Where one workflow of the instance stands: each element's state and tasks, its sub-workflows, the
        completed steps it may be rewound to, and the actions its state allows (the console's diagram)."""
        view = console_view.instance_console(db.session, runtime(), actor(), instance_id, workflow)
        return console_view.elements_data(view)


@blp.route("/<int:instance_id>/tasks/<int:task_id>/reassign")
class Reassign(MethodView):
    @blp.arguments(ReassignSchema)
    @blp.response(200, TaskBriefSchema)
    def post(self, body, instance_id, task_id):
        """Give an open task to one user (who then holds it) or to an organisation."""
        task = ops.reassign_task(db.session, runtime(), actor(), instance_id, task_id, body["reason"],
                                 username=body.get("username"), org_code=body.get("org_code"))
        return queries.task_summary(task)


@blp.route("/<int:instance_id>/skip")
class Skip(MethodView):
    @blp.arguments(SkipSchema)
    @blp.response(200, InstanceSchema)
    def post(self, body, instance_id):
        """Complete a stuck task (a ready human task, or one in error) with the data given, without running it."""
        instance = ops.skip_task(db.session, runtime(), actor(), instance_id, body["task_id"], body["reason"],
                                 body["data"])
        return queries.instance_summary(instance)


@blp.route("/<int:instance_id>/rewind")
class Rewind(MethodView):
    @blp.arguments(TaskActionSchema)
    @blp.response(200, InstanceSchema)
    def post(self, body, instance_id):
        """Go back to a completed step: it is to be done again, and what followed it is undone."""
        instance = ops.rewind_instance(db.session, runtime(), actor(), instance_id, body["task_id"], body["reason"])
        return queries.instance_summary(instance)


@blp.route("/<int:instance_id>/fire-timer")
class FireTimer(MethodView):
    @blp.arguments(TaskActionSchema)
    @blp.response(200, InstanceSchema)
    def post(self, body, instance_id):
        """Fire a waiting timer now instead of at its due time."""
        instance = ops.fire_timer(db.session, runtime(), actor(), instance_id, body["task_id"], body["reason"])
        return queries.instance_summary(instance)


@blp.route("/<int:instance_id>/deliver-message")
class DeliverMessage(MethodView):
    @blp.arguments(MessageDeliverySchema)
    @blp.response(200, InstanceSchema)
    def post(self, body, instance_id):
        """Deliver a message the instance waits for, by hand, with its payload."""
        instance = ops.deliver_message(db.session, runtime(), actor(), instance_id, body["name"], body["reason"],
                                       body["payload"])
        return queries.instance_summary(instance)


@blp.route("/<int:instance_id>/data")
class Data(MethodView):
    @blp.arguments(DataEditSchema)
    @blp.response(200, InstanceSchema)
    def put(self, body, instance_id):
        """Replace the data of a suspended instance; the record keeps each change's before and after."""
        instance = ops.edit_data(db.session, runtime(), actor(), instance_id, body["data"], body["reason"])
        return queries.instance_summary(instance)
