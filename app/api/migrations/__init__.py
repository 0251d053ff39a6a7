"""Version migrations of running instances: dry run, run a batch, read a report, revert.

The dry run is a GET (it changes nothing), so the read-all roles, 人大 among them, may see it.
"""

from flask.views import MethodView

from app.api.auth import actor, runtime
from app.api.migrations.schemas import (
    BatchSchema,
    CandidateSchema,
    DryRunQuerySchema,
    MoveSchema,
    ReportSchema,
    RevertSchema,
    RunSchema,
)
from app.api.paging import Blueprint
from app.extensions import db
from app.messages import msg
from app.workflow import version_migration as vm

blp = Blueprint("migrations", __name__, url_prefix="/api/migrations", description=msg("api.migrations.blueprint"))


@blp.route("/dry-run")
class DryRun(MethodView):
    @blp.doc(summary=msg("api.migrations.dry_run"))
    @blp.arguments(DryRunQuerySchema, location="query")
    @blp.response(200, CandidateSchema(many=True))
    def get(self, body):
        """Every open instance of the process on the source versions, can move or why not."""
        return vm.dry_run(db.session, runtime(), actor(), body["process_id"], body["from_versions"],
                          body["to_version"])


@blp.route("")
class Batches(MethodView):
    @blp.doc(summary=msg("api.migrations.list"))
    @blp.response(200, BatchSchema(many=True))
    def get(self):
        """The batches, newest first."""
        return vm.list_batches(db.session, actor())

    @blp.doc(summary=msg("api.migrations.run"))
    @blp.arguments(RunSchema)
    @blp.response(201, ReportSchema)
    def post(self, body):
        """Move the chosen instances, each on its own; the batch's report."""
        return vm.migrate(db.session, runtime(), actor(), body["process_id"], body["to_version"], body["ids"],
                          body["reason"])


@blp.route("/<int:batch_id>")
class Report(MethodView):
    @blp.doc(summary=msg("api.migrations.report"))
    @blp.response(200, ReportSchema)
    def get(self, batch_id):
        """A batch's report: each instance's result."""
        return vm.get_batch(db.session, actor(), batch_id)


@blp.route("/moves/<int:move_id>/revert")
class Revert(MethodView):
    @blp.doc(summary=msg("api.migrations.revert"))
    @blp.arguments(RevertSchema)
    @blp.response(200, MoveSchema)
    def post(self, body, move_id):
        """Put a moved instance back on its old version and state."""
        return vm.revert(db.session, runtime(), actor(), move_id, body["reason"])
