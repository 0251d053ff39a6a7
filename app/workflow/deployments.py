"""Validate and deploy bundles against what this host offers (roles, service operations, helpers, size limits)."""

from pathlib import Path

from app.definitions.files import base_name, file_kind
from app.definitions.operations import deploy_bundle, overlay_latest
from app.definitions.validation import Catalogue, validate_bundle
from app.domain import access
from app.domain.audit import append_event
from app.domain.people import ROLES
from app.workflow.runtime import HELPER_NAMES
from app.workflow.services import registry


def catalogue(runtime):
    return Catalogue(roles=dict(ROLES), services=registry.catalogue(), reserved=set(HELPER_NAMES),
                     limits=runtime.settings.definition_limits)


def read_bundle_dir(*directories):
    """{file name: bytes} for the diagrams, tables and forms in the given folders."""
    files = {}
    for directory in directories:
        for path in sorted(Path(directory).iterdir()):
            if path.is_file() and file_kind(path.name) is not None:
                files[path.name] = path.read_bytes()
    return files


def require_designer(actor):
    access.require(access.may_deploy(actor))


def validate_files(runtime, actor, files):
    """The valid bundle, its `warnings` included; DefinitionInvalid lists every problem otherwise."""
    require_designer(actor)
    return validate_bundle(files, catalogue(runtime))


def deploy_checked(session, runtime, actor, files, note="", overlay=False):
    """Deploy a bundle (or overlay it on the latest version); returns Deployed(deployment, created?, warnings)."""
    require_designer(actor)
    if overlay:
        files = overlay_latest(session, files)
    deployed = deploy_bundle(session, actor, files, catalogue(runtime), note)
    if deployed.created:
        deployment = deployed.deployment
        append_event(session, "deployments", "deploy", actor=actor, payload={
            "number": deployment.number, "checksum": deployment.checksum, "files": sorted(base_name(n) for n in files),
            "warnings": len(deployed.warnings)})
    return deployed


def deploy_files(session, runtime, actor, files, note="", overlay=False):
    """(deployment, created?) for callers that do not show warnings; see deploy_checked."""
    deployed = deploy_checked(session, runtime, actor, files, note, overlay)
    return deployed.deployment, deployed.created
