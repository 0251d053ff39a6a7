"""The REST API under /api: one flask-smorest blueprint per resource."""

from app.api.errors import register_error_handlers
from app.api.spec import install_spec


def register_api(app, api):
    from app.api.attachments import blp as attachments_blp
    from app.api.audit import blp as audit_blp
    from app.api.calls import blp as calls_blp
    from app.api.console import blp as console_blp
    from app.api.design import blp as design_blp
    from app.api.instances import blp as instances_blp
    from app.api.lists import blp as lists_blp
    from app.api.migrations import blp as migrations_blp
    from app.api.orgs import blp as orgs_blp
    from app.api.overview import blp as overview_blp
    from app.api.processes import blp as processes_blp
    from app.api.tasks import blp as tasks_blp
    from app.api.users import blp as users_blp

    install_spec(api)
    for blueprint in (processes_blp, instances_blp, tasks_blp, audit_blp, orgs_blp, users_blp, lists_blp,
                      calls_blp, attachments_blp, design_blp, migrations_blp, console_blp,
                      overview_blp):
        api.register_blueprint(blueprint)
    register_error_handlers(app)
