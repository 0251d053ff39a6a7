"""A version stored under an earlier release's rules still loads and runs when a later release refuses, at deploy,
something it contains (here a link event): the deploy policies judge new bundles, never what is already deployed."""

from sqlalchemy import select, update

from app.config import Config
from app.definitions.models import DeployedFile
from app.engine.runner import Engine, RunLimits
from app.workflow.instances import start_instance
from app.workflow.runtime import Runtime
from tests.helpers import definitions, process

LINK = ('<bpmn:intermediateThrowEvent id="jump" name="跳转"><bpmn:incoming>f1</bpmn:incoming>'
        '<bpmn:linkEventDefinition id="jump_link" name="next" /></bpmn:intermediateThrowEvent>\n'
        '<bpmn:scriptTask id="later" name="之后"><bpmn:outgoing>f2</bpmn:outgoing><bpmn:script>x = 1</bpmn:script>'
        '</bpmn:scriptTask>\n')
PLAIN = ('<bpmn:scriptTask id="work" name="办理"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>'
         '<bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>\n')


def test_a_version_with_a_construct_refused_since_still_runs(deploy, session, runtime, user):
    settings = runtime.settings  # the same settings, a fresh engine: nothing cached from the deploy
    deployment = deploy(files={"old.bpmn": definitions(process(pid="old", middle=PLAIN), pid="old").encode()})
    stored = definitions(process(pid="old", middle=LINK.replace("<bpmn:outgoing>f2</bpmn:outgoing>", "")
                                 + '<bpmn:task id="tail"><bpmn:outgoing>f2</bpmn:outgoing></bpmn:task>\n'), pid="old")
    session.execute(update(DeployedFile).where(DeployedFile.deployment_id == deployment.id,
                                               DeployedFile.name == "old.bpmn").values(content=stored.encode()))
    session.commit()
    assert b"linkEventDefinition" in session.scalar(select(DeployedFile.content).where(
        DeployedFile.deployment_id == deployment.id))
    fresh = Runtime(Engine(RunLimits.from_config(Config)), settings)
    instance = start_instance(session, fresh, user("admin"), "old")
    session.commit()
    assert instance.status in ("completed", "running"), instance.error
