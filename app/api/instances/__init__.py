"""Process instances: start, list and filter, show (tasks, data, history), suspend, resume, terminate, retry."""

from flask.views import MethodView

from app.api.auth import actor, runtime
from app.api.instances.schemas import (
    InstanceDetailSchema,
    InstanceSchema,
    ReasonSchema,
)
from app.api.paging import Blueprint
from app.extensions import db
from app.messages import msg
from app.workflow import operating, queries

blp = Blueprint("instances", __name__, url_prefix="/api/instances", description=msg("api.instances.blueprint"))


@blp.route("/<int:instance_id>")
class InstanceDetail(MethodView):
    @blp.response(200, InstanceDetailSchema)
    def get(self, instance_id):
        """The instance with its tasks, data and history; another party sees its own tasks and no data."""
        return queries.instance_detail(db.session, runtime(), actor(), instance_id)


def _action(name):
    def post(self, body, instance_id):
        instance = operating.ACTION_FUNCTIONS[name](db.session, runtime(), actor(), instance_id, body["reason"])
        return queries.instance_summary(instance)
    post.__doc__ = msg(f"api.instances.{name}")
    return post


for _name in operating.INSTANCE_ACTIONS:
    _view = type(_name.title(), (MethodView,),
                 {"post": blp.arguments(ReasonSchema)(blp.response(200, InstanceSchema)(_action(_name)))})
    blp.route(f"/<int:instance_id>/{_name}")(_view)


from app.api.instances import collection, interventions  # noqa: E402,F401 - their routes on this blueprint
