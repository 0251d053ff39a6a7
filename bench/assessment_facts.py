"""A year of assessment facts for bench/assessment.py, generated in chunks and written in bulk.

Each call is played through as the procedures leave their facts: the call and its instance, its parties (lead and
cooperating from the list item; after a rejection that stands, the organisation decided responsible — the calling
town itself in three cases out of five), each party's response and handling against its deadlines, rejections and
how they ended, extensions, urges on late parties, 督办 cases with their grades and ladder steps (and 约谈 records), the
caller's satisfaction rating of each handler and each handler's rating of the call, the human tasks of every step
(kpi, organisation, due and completed times; a case's 整改 and 核实 in the case's own instance), and now and then an
exclusion (剔除) an accepted appeal made. Calls come in time order, so ids grow with time. Every organisation has its
own lateness (so rankings differ). Rows are plain tuples in the column order of COLUMNS; times are naive UTC, as the
app stores them.
"""

import random
from bisect import bisect_left
from datetime import date, datetime, timedelta
from itertools import accumulate

from app.domain.audit import GENESIS
from app.governance.demo import DEPARTMENTS, HOLIDAYS_2026, TOWNS, WORKDAYS_2026
from app.governance.evaluations import GRADES

COLUMNS = {  # in foreign-key order
    "process_instance": ("id", "process_id", "process_name", "deployment_id", "status", "business_key", "state",
                         "serializer_version", "started_by", "org_code", "started_at", "updated_at", "ended_at",
                         "waits_for_messages", "version", "audit_seq", "audit_hash", "has_open_task"),
    "call": ("id", "number", "caller_org", "caller_user", "item_code", "item_version_id", "title", "location",
             "description", "urgency", "photos", "status", "instance_id", "redo_count", "created_at", "closed_at"),
    "assessment_exclusion": ("id", "call_id", "org_code", "appeal_id", "reason", "created_by", "created_at"),
    "call_party": ("id", "call_id", "org_code", "role", "status", "response_due", "responded_at", "handle_due",
                   "handled_at", "rejection_reason", "rejection_outcome", "rejection_overturned", "urge_count",
                   "confirmed_at"),
    "call_extension": ("id", "call_id", "org_code", "days", "reason", "status", "old_due", "new_due", "decided_by",
                       "created_at", "decided_at"),
    "call_urge": ("id", "call_id", "org_code", "urged_by", "note", "at"),
    "evaluation": ("id", "kind", "rater_org", "rater_user", "ratee_org", "instance_id", "call_id", "grade", "score",
                   "accuracy", "cooperation", "comment", "created_at"),
    "supervision_case": ("id", "number", "target_org", "reason", "grade", "status", "lateness_hours", "summary",
                         "call_id", "source_instance_id", "instance_id", "opened_at", "closed_at"),
    "escalation_step": ("id", "case_id", "step", "target_org", "recipients", "note", "at"),
    "supervision_interview": ("id", "case_id", "step_id", "held_on", "attendees", "outcome", "recorded_by", "at"),
    "human_task": ("id", "instance_id", "task_uuid", "process_id", "bpmn_id", "name", "title", "kpi", "org_code",
                   "status", "created_at", "due_at", "completed_at", "completed_by"),
}
TASKS = {  # bpmn id -> (name, kpi), as the procedures in processes/ name them
    "respond": ("签收响应", "respond"), "handle": ("办理", "handle"), "confirm": ("确认并评价", "evaluate"),
    "rate_call": ("评价呼叫", "mutual"), "decide": ("处理驳回", "dispute"), "approve_extension": ("审批延期", "supervise"),
    "rectify": ("整改", "rectify"), "verify": ("核实", "supervise"),
}
WORD = {score: word for word, score in GRADES.items()}  # 100 -> 满意, 90 -> 基本满意, 0 -> 不满意
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
LADDER = {"blue": ("urge",), "yellow": ("urge", "notice", "yellow"), "red": ("urge", "notice", "yellow", "red")}
RECIPIENTS = {"urge": '["unit"]', "notice": '["unit", "leader"]', "yellow": '["unit", "leader", "bianban"]',
              "red": '["unit", "leader", "bianban", "gov"]', "interview": '["leader", "bianban", "gov"]'}
CASES = 10_000_000  # a 督办 case's own instance (the supervision_case procedure) has this id + the case's
COUNTY = timedelta(hours=8)  # Asia/Shanghai has no summer time: county time = UTC + 8 h


def county_days(year):
    """Each day of the year with its weight: working days 1, weekends and public holidays 0.3 (2026's calendar)."""
    holidays, workdays = set(), set()
    if year == 2026:
        for first, last, _ in HOLIDAYS_2026:
            day = date.fromisoformat(first)
            while day <= date.fromisoformat(last):
                holidays.add(day)
                day += DAY
        workdays = {date.fromisoformat(day) for day, _ in WORKDAYS_2026}
    days, day = [], date(year, 1, 1)
    while day.year == year:
        working = day in workdays or (day.weekday() < 5 and day not in holidays)
        days.append((day, 1.0 if working else 0.3))
        day += DAY
    return days


HOURS = [0.1] * 7 + [1, 3, 3, 3, 3, 1, 1.5, 3, 3, 3, 3, 1.5, 1, 0.6, 0.4, 0.2, 0.1]  # county hour 0..23


class Facts:
    """The facts of `calls` calls over `year`, chunk by chunk (a dict table -> rows per chunk)."""

    def __init__(self, year, items, deployment_id, seed=13):
        self.rng = random.Random(seed)
        self.year, self.deployment = year, deployment_id
        self.now = datetime(year + 1, 1, 10)  # the bench's "now": the year is over, its last calls partly open
        self.items = items  # [(code, version_id, title, lead, cooperating, response_hours, handle_days)]
        self.item_weights = list(accumulate(1 + (i * 7) % 5 for i in range(len(items))))
        days = county_days(year)  # a day's share of the calls by its weight (working days busier)
        self.days, self.day_weights = [d for d, _ in days], list(accumulate(w for _, w in days))
        self.hour_weights = list(accumulate(HOURS))
        self.towns = [code for code, _ in TOWNS]
        self.town_weights = list(accumulate(3 if code.endswith("_jd") else 1 + i % 3 for i, code in enumerate(self.towns)))
        self.departments = [code for code, _ in DEPARTMENTS]
        # each organisation's habits: a lateness factor (0.4 … 2.5) and how often it leaves the caller unsatisfied
        self.late = {code: 0.4 * (2.5 / 0.4) ** self.rng.random() for code in self.departments + self.towns}
        self.ids = dict.fromkeys(COLUMNS, 0)
        self.rows = {table: [] for table in COLUMNS}

    # -- plumbing

    def add(self, table, *values):
        self.ids[table] += 1
        self.rows[table].append((self.ids[table], *values))
        return self.ids[table]

    def reserve(self, table):
        self.ids[table] += 1
        return self.ids[table]

    def task(self, instance, bpmn_id, number, org, created, due, completed, by="bench"):
        name, kpi = TASKS[bpmn_id]
        done = completed is not None and completed <= self.now
        task_id = self.ids["human_task"] + 1
        process = "supervision_case" if instance > CASES else "call_response"
        self.add("human_task", instance, f"{task_id:x}", process, bpmn_id, name, f"{name}：{number}", kpi, org,
                 "completed" if done else "open", created, due, completed if done else None, by if done else None)

    def chunks(self, calls, size=10000):
        """The calls in the order they came (ids grow with time, as in the app), `size` calls a chunk."""
        n, share = 0, self.day_weights[-1]
        for day, weight in zip(self.days, self.day_weights, strict=True):
            for created in sorted(self.when(day) for _ in range(round(calls * weight / share) - n)):
                n += 1
                self.call(n, created)
                if n % size == 0 or n == calls:
                    rows, self.rows = self.rows, {table: [] for table in COLUMNS}
                    yield rows

    def when(self, day):
        """A creation time on that county day, at an hour by weight (office hours busiest), as naive UTC."""
        rng = self.rng
        hour = bisect_left(self.hour_weights, rng.random() * self.hour_weights[-1])
        return datetime(day.year, day.month, day.day, hour) + timedelta(seconds=rng.randrange(3600)) - COUNTY

    def pick(self, weights, values):
        return values[bisect_left(weights, self.rng.random() * weights[-1])]

    def soon(self, start, end):
        return start + (end - start) * self.rng.uniform(0.05, 0.95)

    # -- one call

    def call(self, n, created):
        rng = self.rng
        town = self.pick(self.town_weights, self.towns)
        code, version_id, title, lead, cooperating, hours, days = self.pick(self.item_weights, self.items)
        number = f"HJ{created + COUNTY:%Y%m%d}-{n}"
        self.call_id, self.number, self.town, self.item = n, number, town, (hours, days)
        self.handlers, self.parties, self.handle_due = [], {lead} | set(cooperating), {}
        outcomes = [self.party(org, "lead" if org == lead else "cooperate", created)
                    for org in [lead] + [c for c in cooperating if c != town]]
        status, closed = ("responding" if all(o == "pending" for o in outcomes) else "handling"), None
        if self.handlers and all(o not in ("pending", None) for o in outcomes):
            last = max(at for _, at in self.handlers)
            confirmed = last + HOUR * rng.uniform(2, 40)
            self.task(n, "confirm", number, town, last, last + 3 * DAY, confirmed, "zhenjie")
            if confirmed <= self.now:
                status, closed = "closed", confirmed
                self.confirm(n, confirmed)
                for org, at in self.handlers:
                    if org != town:
                        self.ratings(org, confirmed, at)
        self.rows["process_instance"].append((n, "call_response", "呼叫—响应", self.deployment,
                                              "completed" if closed else "running", number, b"", "1.0", "zhenjie",
                                              town, created, closed or created, closed, False, 1, 0, GENESIS,
                                              closed is None))
        self.rows["call"].append((n, number, town, "zhenjie", code, version_id, title, "", "", "urgent"
                                  if rng.random() < 0.1 else "normal", "[]", status, n, 0, created, closed))
        if rng.random() < 0.0001:  # an accepted appeal took this call out of the lead's figures (剔除)
            self.add("assessment_exclusion", n, lead, None, "申诉成立", "bianban", created + 40 * DAY)

    def confirm(self, call_id, confirmed):
        """The call closed: each party that handled it has it confirmed then (解决)."""
        rows = self.rows["call_party"]
        for i in range(len(rows) - 1, -1, -1):
            if rows[i][1] != call_id:
                break
            if rows[i][8] is not None:
                rows[i] = (*rows[i][:13], confirmed)

    def ratings(self, org, confirmed, handled_at):
        """The town's satisfaction with a handler (满意 / 基本满意 / 不满意), and the handler's rating of the call."""
        rng, q = self.rng, self.late[org]
        late = handled_at > self.handle_due.get(org, handled_at)
        unsatisfied, fair = 0.03 * q * (3 if late else 1), 0.12 * q ** 0.5
        u = rng.random()
        score = 0 if u < unsatisfied else 90 if u < unsatisfied + fair else 100
        self.add("evaluation", "satisfaction", self.town, "zhenjie", org, self.call_id, self.call_id, WORD[score],
                 score, None, None, "", confirmed)
        rated = confirmed + HOUR * rng.uniform(1, 30)
        self.task(self.call_id, "rate_call", self.number, org, confirmed, None, rated)
        if rated <= self.now:
            self.add("evaluation", "call_quality", org, "bench", self.town, self.call_id, self.call_id, None, None,
                     rng.choice((3, 4, 4, 5, 5, 5)), rng.choice((3, 4, 5, 5)), "", rated)

    def party(self, org, role, created):
        """One party from its response on; returns 'pending' (never responded), None (not handled) or its end."""
        rng, q, now, number = self.rng, self.late[org], self.now, self.number
        hours, _ = self.item
        due = created + HOUR * hours
        u = rng.random()
        if u < 0.01 * q:
            responded = None
        elif u < 0.08 * q:
            responded = due + HOUR * (0.1 + rng.expovariate(1 / 8))
        else:
            responded = self.soon(created, due)
        responded = responded if responded is not None and responded <= now else None
        self.task(self.call_id, "respond", number, org, created, due, responded)
        party_id = self.reserve("call_party")
        if responded is None:
            urges = self.late_party(org, due, min(now, due + 10 * DAY), "no_response")
            self.rows["call_party"].append((party_id, self.call_id, org, role, "pending", due, None, None, None, None,
                                            None, False, urges, None))
            return "pending"
        urges = self.late_party(org, due, responded, "late_response") if responded > due else 0
        if role == "lead" and rng.random() < 0.04:
            return self.rejection(party_id, org, role, due, responded, urges)
        end, handle_due, urges = self.handling(org, responded, urges)
        self.rows["call_party"].append((party_id, self.call_id, org, role, "handled" if end else "handling", due,
                                        responded, handle_due, end, None, None, False, urges, None))
        return end

    def rejection(self, party_id, org, role, due, responded, urges):
        """驳回: settled after a dispute; overturned, the party handles after all, else another is decided."""
        rng = self.rng
        disputed = responded + HOUR * rng.uniform(2, 30)
        settled = disputed + HOUR * rng.uniform(2, 48)
        self.task(self.call_id, "decide", self.number, self.town, responded, responded + 2 * DAY, disputed, "zhenjie")
        outcome = rng.choices(("accepted", "agreement", "coordination"), (35, 40, 25))[0]
        overturned = outcome != "accepted" and rng.random() < 0.5
        row = [party_id, self.call_id, org, role, "released", due, responded, None, None, "非本单位职责", outcome,
               overturned, urges, None]
        if settled > self.now:
            row[4], row[10], row[11] = "rejected", None, False
            self.rows["call_party"].append(tuple(row))
            return None
        if overturned:
            end, handle_due, urges = self.handling(org, settled, urges)
            row[4], row[7], row[8], row[12] = "handled" if end else "handling", handle_due, end, urges
            self.rows["call_party"].append(tuple(row))
            return end
        self.rows["call_party"].append(tuple(row))
        others = [d for d in self.departments if d not in self.parties]
        decided = self.town if rng.random() < 0.6 or not others else rng.choice(others)
        self.parties.add(decided)
        end, handle_due, urges = self.handling(decided, settled, 0)
        self.add("call_party", self.call_id, decided, "decided", "handled" if end else "handling", None, None,
                 handle_due, end, None, None, False, urges, None)
        return end

    def handling(self, org, start, urges):
        """办理 from `start`: (handled at or None, the handle deadline in force, urges so far); extensions, lateness."""
        rng, q, now = self.rng, self.late[org], self.now
        _, days = self.item
        due = start + DAY * days * 1.4  # working days, roughly
        if rng.random() < 0.05:
            asked = self.soon(start, due)
            decided, extra = asked + HOUR * rng.uniform(2, 30), rng.randint(3, 10)
            approved = rng.random() < 0.8 and decided <= now
            new_due = due + DAY * extra * 1.4 if approved else None
            self.add("call_extension", self.call_id, org, extra, "需协调其他单位", "approved" if approved else
                     "refused" if decided <= now else "pending", due, new_due, "ducha" if decided <= now else None,
                     asked, decided if decided <= now else None)
            self.task(self.call_id, "approve_extension", self.number, "ducha", asked, None, decided, "ducha")
            due = new_due or due
        u = rng.random()
        if u < 0.01 * q:
            end = None
        elif u < 0.1 * q:
            end = due + DAY * (0.05 + rng.expovariate(1 / 2.5))
        else:
            end = self.soon(start, due)
        end = end if end is not None and end <= now else None
        self.task(self.call_id, "handle", self.number, org, start, due, end)
        if end is None or end > due:
            urges += self.late_party(org, due, end or min(now, due + 20 * DAY), "inaction")
        if end is not None:
            self.handlers.append((org, end))
        self.handle_due[org] = due
        return end, due, urges

    def late_party(self, org, due, until, reason):
        """A late party: urged by the caller (half of them, 1–3 times), a 督办 case (seven in ten) with its ladder."""
        rng, urges = self.rng, 0
        if until > due and rng.random() < 0.5:
            urges = rng.randint(1, 3)
            for k in range(urges):
                self.add("call_urge", self.call_id, org, "zhenjie", "", due + (until - due) * (k + 1) / (urges + 1))
        opened = due + HOUR
        if opened > self.now or rng.random() >= 0.7:
            return urges
        lateness = max(1, int((until - due) / HOUR))
        grade = None if rng.random() < 0.1 else "blue" if lateness < 24 else "yellow" if lateness < 72 else "red"
        closed = opened + DAY * rng.uniform(1, 8)
        closed = closed if closed <= self.now else None
        case_number = f"DB{opened + COUNTY:%Y%m%d}-{self.ids['supervision_case'] + 1}"
        instance = CASES + self.ids["supervision_case"] + 1
        self.rows["process_instance"].append((instance, "supervision_case", "督办", self.deployment,
                                              "completed" if closed else "running", case_number, b"", "1.0", "ducha",
                                              org, opened, closed or opened, closed, False, 1, 0, GENESIS,
                                              closed is None))
        case = self.add("supervision_case", case_number, org, reason, grade, "closed" if closed else "open",
                        lateness, "", self.call_id, self.call_id, instance, opened, closed)
        self.task(instance, "rectify", case_number, org, opened, opened + 4 * DAY,
                  (closed - HOUR * rng.uniform(2, 20)) if closed else None)
        self.task(instance, "verify", case_number, "ducha", closed - HOUR if closed else opened, None, closed, "ducha")
        for k, step in enumerate(LADDER.get(grade, ())):
            at = opened + DAY * 2 * k
            if at <= self.now:
                self.add("escalation_step", case, step, org, RECIPIENTS[step], "", at)
        if grade == "red" and rng.random() < 0.15 and opened + 10 * DAY <= self.now:
            at = opened + 10 * DAY
            step_id = self.add("escalation_step", case, "interview", org, RECIPIENTS["interview"], "", at)
            held = at + DAY * rng.randint(2, 6)
            self.add("supervision_interview", case, step_id, (held + COUNTY).date(), "单位主要负责人、市委编办",
                     "限期整改", "lingdao", held)
        return urges
