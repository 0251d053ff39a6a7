"""Scripted demos: the seed's electric-fishing case on 高邮湖, played through the real procedures.

The scenario replays last week on a simulated clock (freezegun), so a newcomer sees calls with real
deadlines, a late response graded by supervision, a rejection coordinated by 编办, and work still open.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from freezegun import freeze_time
from sqlalchemy import select

from app.domain import access
from app.domain.attachments import store_attachment
from app.domain.people import get_user
from app.governance.demo_photo import scene_jpeg
from app.messages import msg
from app.workflow import instances, tasks
from app.workflow.models import HumanTask

CALL = {"item_code": "P-0001", "location": "高邮湖铜城段（湖滨村附近水域）", "urgency": "normal",
        "extra_departments": [], "photos": []}


class Player:
    """Completes tasks as the demo user of the task's organisation; the edge's `step_done` ends each step.

    The player never commits: its edge (the CLI command, a benchmark) passes `step_done` (its commit) and
    `sweep` (its timer sweep, which commits per instance), so every step is one transaction of that edge.
    """

    def __init__(self, session, runtime, clock, step_done, sweep):
        self.session, self.runtime, self.clock, self.log = session, runtime, clock, []
        self.step_done, self.sweep = step_done, sweep

    def start(self, username, process_id, data):
        instance = instances.start_instance(self.session, self.runtime, get_user(self.session, username),
                                            process_id, data)
        self.step_done()
        self.log.append(msg("demo.started", user=username, process=instance.process_name,
                            number=instance.business_key or instance.id))
        return instance

    def complete(self, instance, bpmn_id, username, data):
        self.session.expire_all()
        task = self.session.scalar(select(HumanTask).where(
            HumanTask.instance_id.in_(self._family(instance)), HumanTask.bpmn_id == bpmn_id,
            HumanTask.status == "open").order_by(HumanTask.id).where(
            HumanTask.id.in_(self._candidates_for(username))))
        if task is None:
            raise LookupError(msg("demo.no_task", user=username, task=bpmn_id))
        tasks.complete_task(self.session, self.runtime, get_user(self.session, username), task.id, data)
        self.step_done()
        self.log.append(msg("demo.completed", user=username, task=task.name))

    def wait(self, **delta):
        self.clock.tick(timedelta(**delta))
        fired = self.sweep().fired
        if fired:
            self.log.append(msg("demo.timers", count=fired))

    def _family(self, instance):
        """The instance and every instance started from it by messages (supervision cases)."""
        from app.governance.supervision import SupervisionCase

        ids = {instance.id}
        ids |= set(self.session.scalars(select(SupervisionCase.instance_id).where(
            SupervisionCase.source_instance_id == instance.id)))
        return [i for i in ids if i]

    def _candidates_for(self, username):
        from app.workflow.models import TaskCandidate

        user = get_user(self.session, username)
        return select(TaskCandidate.task_id).where(access.candidate_clause(TaskCandidate, user))


def play_fishing(session, runtime, step_done, sweep, timezone, days_ago=8, photos=None):
    """Three calls about electric fishing; returns a log of what happened, in Chinese. `photos` (upload dir, max
    size): the grid worker's call carries a scene photo, stored like any upload."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(datetime.now(zone).date() - timedelta(days=days_ago), time(9, 0), zone)
    while start.weekday() != 0:
        start -= timedelta(days=1)
    with freeze_time(start, tick=False) as clock:
        play = Player(session, runtime, clock, step_done, sweep)
        _coordinated_rejection(play, _scene_photo(session, photos, start) if photos else [])
        _late_response(play)
        _still_open(play)
    return play.log


def _scene_photo(session, photos, start):
    """[the id of] the grid worker's photo of the scene, taken twenty minutes before the call."""
    upload_dir, max_size = photos
    content = scene_jpeg(start - timedelta(minutes=20))
    return [store_attachment(session, get_user(session, "wangge"), "湖面电鱼船.jpg", content, upload_dir, max_size).id]


def _coordinated_rejection(play, photo_ids=()):
    call = play.start("wangge", "call_response", dict(CALL, description="夜间有人在湖面使用电鱼器捕鱼，约三人一船",
                                                      photos=list(photo_ids)))
    play.wait(minutes=40)
    play.complete(call, "respond", "nongye", {"decision": "accept"})
    play.complete(call, "respond", "gongan", {"decision": "reject", "reason": "非法捕捞由渔政部门查处，属地巡查由镇街负责"})
    play.complete(call, "decide", "wangge", {"choice": "forward", "dispute_note": "电鱼涉嫌犯罪，需公安机关配合"})
    play.wait(hours=3)
    play.complete(call, "negotiate", "ducha", {"agreed": "no", "responsible": "department", "summary": "双方对配合职责认识不一"})
    play.complete(call, "coordinate", "bianban", {
        "responsible": "department", "basis_kind": "list",
        "basis_note": "配合事项清单 P-0001：市农业农村局主办，市公安局配合查处", "amend_list": True,
        "amendment_note": "在 P-0001 中写明公安机关对涉嫌犯罪线索的配合职责"})
    play.complete(call, "rectify", "gongan", {"measures": "派出所与渔政联合夜巡", "result": "查获电鱼器 2 套"})
    play.complete(call, "verify", "ducha", {"verify_decision": "close", "verify_comment": "整改到位"})
    play.wait(hours=20)
    play.complete(call, "handle", "nongye", {"action": "done", "result": "查处非法捕捞案件 1 起，罚款 3000 元，没收电鱼器 2 套"})
    play.complete(call, "handle", "gongan", {"action": "done", "result": "配合查处，涉案人员已移交"})
    play.complete(call, "confirm", "wangge", {"grade": "满意", "comment": "处置迅速"})
    for org_user in ("nongye", "gongan"):
        play.complete(call, "rate_call", org_user, {"accuracy": 5, "cooperation": 5})


def _late_response(play):
    play.wait(days=1)
    call = play.start("zhenjie", "call_response", dict(CALL, urgency="urgent", description="湖心岛附近发现电鱼船，正在作业"))
    play.complete(call, "respond", "gongan", {"decision": "accept"})
    play.wait(hours=5)  # the urgent 2-hour response limit passes for 市农业农村局
    play.complete(call, "respond", "nongye", {"decision": "accept"})
    play.complete(call, "handle", "gongan", {"action": "done", "result": "出警处置，暂扣船只"})
    play.complete(call, "handle", "nongye", {"action": "done", "result": "立案查处，罚款 5000 元"})
    play.complete(call, "confirm", "zhenjie", {"grade": "基本满意", "comment": "响应偏慢"})
    for org_user in ("nongye", "gongan"):
        play.complete(call, "rate_call", org_user, {"accuracy": 5, "cooperation": 4})


def _still_open(play):
    play.wait(days=1)
    call = play.start("zhenjie", "call_response", dict(CALL, description="群众举报凌晨有电鱼声响"))
    play.complete(call, "respond", "nongye", {"decision": "accept"})
