"""Facts for assessment tests, written as the governance rows the procedures leave behind (calls, parties,
ratings, cases, urges, extensions, tasks), at chosen times, so each figure can be computed by hand."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from app.definitions.models import Deployment
from app.governance.calls import Call, CallExtension, CallParty, CallUrge
from app.governance.evaluations import GRADES, Evaluation
from app.governance.lists import get_item
from app.governance.supervision import SupervisionCase
from app.workflow.models import HumanTask, ProcessInstance

ZONE = ZoneInfo("Asia/Shanghai")
GRADE_WORDS = {score: word for word, score in GRADES.items()}  # 100 -> 满意 …


def county(year, month, day, hour=10):
    """A county time (Tianchang), as an aware UTC datetime."""
    return datetime(year, month, day, hour, tzinfo=ZONE).astimezone(timezone.utc)


class Facts:
    def __init__(self, session):
        self.session, self.serial, self.deployment = session, 0, None

    def call(self, created, caller="tongcheng", status="closed", item="P-0001"):
        self.serial += 1
        version = get_item(self.session, item).current
        call = Call(number=f"HJT{self.serial:05d}", caller_org=caller, caller_user="zhenjie", item_code=item,
                    item_version_id=version.id, title=f"测试呼叫 {self.serial}", location="铜城镇", description="",
                    status=status, created_at=created)
        self.session.add(call)
        self.session.flush()
        return call

    def party(self, call, org, response_due=None, responded=None, handle_due=None, handled=None, rejected=False,
              overturned=False, role="lead"):
        party = CallParty(call_id=call.id, org_code=org, role=role, status="handled" if handled else "handling",
                          response_due=response_due, responded_at=responded, handle_due=handle_due, handled_at=handled,
                          confirmed_at=handled if handled and call.status == "closed" else None,
                          rejection_reason="不属于本单位职责" if rejected else None, rejection_overturned=overturned)
        self.session.add(party)
        self.session.flush()
        return party

    def rating(self, call, ratee, score, at, rater="tongcheng"):
        self.session.add(Evaluation(kind="satisfaction", rater_org=rater, rater_user="zhenjie", ratee_org=ratee,
                                    call_id=call.id, grade=GRADE_WORDS[score], score=score, created_at=at))
        self.session.flush()

    def quality(self, call, rater, ratee, accuracy, cooperation, at):
        self.session.add(Evaluation(kind="call_quality", rater_org=rater, rater_user="nongye", ratee_org=ratee,
                                    call_id=call.id, accuracy=accuracy, cooperation=cooperation, created_at=at))
        self.session.flush()

    def case(self, target, grade, opened, call=None):
        self.serial += 1
        case = SupervisionCase(number=f"DBT{self.serial:05d}", target_org=target, reason="late", grade=grade,
                               call_id=call.id if call else None, opened_at=opened)
        self.session.add(case)
        self.session.flush()
        return case

    def urge(self, call, org, at):
        self.session.add(CallUrge(call_id=call.id, org_code=org, urged_by="zhenjie", at=at))
        self.session.flush()

    def extension(self, call, org, decided, days=2):
        self.session.add(CallExtension(call_id=call.id, org_code=org, days=days, reason="需现场勘查", status="approved",
                                       decided_by="ducha", created_at=decided - timedelta(hours=2), decided_at=decided))
        self.session.flush()

    def instance(self, call=None):
        """A stored instance row for tasks to belong to (the call's, when given)."""
        if self.deployment is None:
            self.deployment = Deployment(number=900000, checksum="0" * 64, deployed_by="admin",
                                         deployed_at=county(2026, 1, 1))
            self.session.add(self.deployment)
            self.session.flush()
        instance = ProcessInstance(process_id="call_response", process_name="呼叫响应", deployment_id=self.deployment.id,
                                   state=b"{}", serializer_version="1", started_by="zhenjie",
                                   business_key=call.number if call else None)
        self.session.add(instance)
        self.session.flush()
        if call is not None:
            call.instance_id = instance.id
            self.session.flush()
        return instance

    def task(self, instance, org, due, completed=None, kpi="handle"):
        self.serial += 1
        self.session.add(HumanTask(instance_id=instance.id, task_uuid=f"t-{self.serial}", process_id="p", bpmn_id="b",
                                   name="办理", title="办理", kpi=kpi, org_code=org, created_at=due - timedelta(days=1),
                                   due_at=due, completed_at=completed, status="completed" if completed else "open"))
        self.session.flush()
