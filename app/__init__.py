"""天长协同治理: the application factory. It wires; it does no I/O."""


def create_app(config=None):
    from app import extensions as ext
    from app.config import Config
    from app.db import configure_engine
    from app.domain.audit import bind_audit_key
    from app.edge import Platform, register_edge
    from app.engine.runner import Engine, RunLimits
    from app.governance.host_operations import register_operations
    from app.governance.record_tellers import register_tellers
    from app.messages import msg
    from app.workflow.deploy_requests import register_design_operations
    from app.workflow.runtime import Runtime, Settings
    from app.workflow.services import registry

    config = config or Config.from_env()
    config.require_keys()
    app = Platform(__name__, instance_relative_config=False)
    app.config.update(config.flask_settings())
    app.extensions["tianchang.config"] = config
    app.extensions["tianchang.runtime"] = Runtime(Engine(RunLimits.from_config(config)), Settings.from_config(config))

    ext.db.init_app(app)
    ext.migrate.init_app(app, ext.db)
    ext.login_manager.init_app(app)
    ext.csrf.init_app(app)
    ext.api.init_app(app, spec_kwargs={"info": {"description": msg("api.description")}})

    from app import models  # noqa: F401 - every table on the metadata, for Alembic and relationships
    from app.api import register_api
    from app.cli import register_cli
    from app.web import register_web

    with app.app_context():
        configure_engine(ext.db.engine, config)
        bind_audit_key(ext.db.engine, config.AUDIT_KEY)
    register_operations(registry)
    register_tellers()
    register_design_operations(registry)
    register_edge(app, ext.api)
    register_api(app, ext.api)
    register_web(app)
    register_cli(app)
    return app
