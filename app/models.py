"""Import every model module so the metadata is complete (Alembic autogenerate, relationship strings)."""

from app.definitions.models import (  # noqa: F401
    DeployedFile,
    DeployedForm,
    DeployedProcess,
    Deployment,
    DeployRequest,
    DeployRequestFile,
    Draft,
    DraftRevision,
)
from app.domain.attachments import Attachment  # noqa: F401
from app.domain.audit import AuditCheckpoint, AuditEvent  # noqa: F401
from app.domain.calendars import Holiday  # noqa: F401
from app.domain.logins import LoginThrottle  # noqa: F401
from app.domain.notifications import Notification, NotificationRead  # noqa: F401
from app.domain.organisations import Organisation  # noqa: F401
from app.domain.people import ApiToken, User, UserRole  # noqa: F401
from app.governance.assessment_models import (  # noqa: F401
    AssessmentAppeal,
    AssessmentExclusion,
    AssessmentFormula,
    AssessmentResult,
    AssessmentRun,
)
from app.governance.calls import Call, CallExtension, CallParty, CallUrge  # noqa: F401
from app.governance.evaluations import Evaluation  # noqa: F401
from app.governance.lists import ItemVersion, ResponsibilityItem  # noqa: F401
from app.governance.supervision import SupervisionCase  # noqa: F401
from app.governance.supervision_ladder import EscalationStep, SupervisionInterview  # noqa: F401
from app.workflow.migration_models import InstanceMigration, MigrationBatch  # noqa: F401
from app.workflow.models import HumanTask, MessageRecord, MessageWait, ProcessInstance, TaskCandidate  # noqa: F401
