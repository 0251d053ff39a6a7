"""Command groups (`flask --app app …` or `tianchang …`); each command owns its transaction."""


def register_cli(app):
    from app.cli.assessment import assessment_cli
    from app.cli.audit import audit_cli
    from app.cli.demo import demo_cli
    from app.cli.instances import instances_cli
    from app.cli.lists import lists_cli
    from app.cli.processes import processes_cli
    from app.cli.serve import serve_command
    from app.cli.timers import timers_cli
    from app.cli.users import users_cli

    for group in (processes_cli, timers_cli, instances_cli, audit_cli, demo_cli, users_cli, lists_cli,
                  assessment_cli):
        app.cli.add_command(group)
    app.cli.add_command(serve_command)
