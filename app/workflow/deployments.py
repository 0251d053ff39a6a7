"""Validate and deploy bundles against what this host offers (roles, service operations, helpers)."""

from pathlib import Path

from app.definitions.operations import deploy_bundle, overlay_latest
from app.definitions.validation import Catalogue, validate_bundle
from app.domain import access
from app.domain.audit import append_event
from app.domain.people import ROLES
from app.workflow.runtime import HELPER_NAMES
from app.workflow.services import registry

BUNDLE_SUFFIXES = (".bpmn", ".dmn", ".json")


def catalogue(runtime):
    return Catalogue(roles=dict(ROLES), services=registry.catalogue(), reserved=set(HELPER_NAMES),
                     max_flow_nodes=runtime.settings.max_flow_nodes)


def read_bundle_dir(*directories):
    """{file name: bytes} for the diagrams, tables and forms in the given folders."""
    files = {}
    for directory in directories:
        for path in sorted(Path(directory).iterdir()):
            if path.is_file() and path.suffix in BUNDLE_SUFFIXES:
                files[path.name] = path.read_bytes()
    return files


def require_designer(actor):
    access.require(access.may_deploy(actor))


def validate_files(runtime, actor, files):
    require_designer(actor)
    return validate_bundle(files, catalogue(runtime))


def deploy_files(session, runtime, actor, files, note="", overlay=False):
    """Deploy a bundle (or overlay it on the latest version); returns (deployment, created?)."""
    require_designer(actor)
    if overlay:
        files = overlay_latest(session, files)
    deployment, created = deploy_bundle(session, actor, files, catalogue(runtime), note)
    if created:
        append_event(session, "deployments", "deploy", actor=actor,
                     payload={"number": deployment.number, "checksum": deployment.checksum, "files": sorted(files)})
    return deployment, created
