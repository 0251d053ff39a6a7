"""Demo data for a newcomer: Tianchang's organisations, one user per role, and the holiday table."""

from datetime import date

from sqlalchemy import select

from app.domain.actors import Actor
from app.domain.calendars import set_holiday
from app.domain.organisations import ensure_org
from app.domain.people import User, create_user
from app.governance.demo_lists import load_demo_lists

GOVERNMENT = ("gov", "天长市委市政府", "government")
OFFICES = [
    ("bianban", "市委编办", "office"),
    ("ducha", "市监督检查账号（督查室）", "supervision"),
    ("renda", "市人大常委会", "congress"),
]
DEPARTMENTS = [
    ("nongye", "市农业农村局"), ("gongan", "市公安局"), ("ziranziyuan", "市自然资源和规划局"),
    ("shengtai", "市生态环境分局"), ("zhujian", "市住房和城乡建设局"), ("shuili", "市水利局"),
    ("shijian", "市市场监督管理局"), ("yingji", "市应急管理局"), ("chengguan", "市城市管理局"),
    ("jiaotong", "市交通运输局"), ("weijian", "市卫生健康委员会"), ("minzheng", "市民政局"),
    ("renshe", "市人力资源和社会保障局"), ("jiaoti", "市教育体育局"),
]
TOWNS = [
    ("tianchang_jd", "天长街道"), ("qianqiu_jd", "千秋街道"), ("guangling_jd", "广陵街道"),
    ("tongcheng", "铜城镇"), ("qinlan", "秦栏镇"), ("datong", "大通镇"), ("yangcun", "杨村镇"),
    ("shiliang", "石梁镇"), ("chajian", "汊涧镇"), ("zhangpu", "张铺镇"), ("xinjie", "新街镇"),
    ("renheji", "仁和集镇"), ("yeshan", "冶山镇"), ("zhengji", "郑集镇"), ("yongfeng", "永丰镇"),
]
VILLAGES = [
    ("tongcheng_longgang", "铜城镇龙岗村", "tongcheng"), ("tongcheng_gaoyouhu", "铜城镇高邮湖社区", "tongcheng"),
    ("qinlan_qinlan", "秦栏镇秦栏社区", "qinlan"), ("datong_datong", "大通镇大通社区", "datong"),
]
USERS = [
    ("wangge", "王格", "tongcheng_gaoyouhu", ["grid"]),
    ("zhenjie", "陈镇洁", "tongcheng", ["town_staff"]),
    ("zhenzhang", "周镇长", "tongcheng", ["town_leader"]),
    ("nongye", "刘农", "nongye", ["dept_staff"]),
    ("nongyezhang", "孙局长", "nongye", ["dept_leader"]),
    ("gongan", "赵警官", "gongan", ["dept_staff"]),
    ("bianban", "吴编", "bianban", ["bianban"]),
    ("sheji", "郑设计", "bianban", ["designer"]),
    ("ducha", "钱督查", "ducha", ["supervisor"]),
    ("renda", "冯代表", "renda", ["congress"]),
    ("lingdao", "李书记", "gov", ["leader"]),
    ("admin", "系统管理员", "bianban", ["admin", "designer"]),
]
# Public holidays and make-up working days (调休) of 2026, as the State Council announced them.
HOLIDAYS_2026 = [
    ("2026-01-01", "2026-01-03", "元旦"), ("2026-02-15", "2026-02-23", "春节"), ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"), ("2026-06-19", "2026-06-21", "端午节"),
    ("2026-09-25", "2026-09-27", "中秋节"), ("2026-10-01", "2026-10-07", "国庆节"),
]
WORKDAYS_2026 = [("2026-01-04", "元旦调休上班"), ("2026-02-14", "春节调休上班"), ("2026-02-28", "春节调休上班"),
                 ("2026-05-09", "劳动节调休上班"), ("2026-09-20", "国庆节调休上班"), ("2026-10-10", "国庆节调休上班")]


def load_demo(session, password, hash_method="scrypt"):
    """Create or refresh the demo organisations, users and holidays; safe to run again."""
    gov = ensure_org(session, *GOVERNMENT)
    orgs = {"gov": gov}
    for code, name, kind in OFFICES:
        orgs[code] = ensure_org(session, code, name, kind, gov)
    for code, name in DEPARTMENTS:
        orgs[code] = ensure_org(session, code, name, "department", gov)
    for code, name in TOWNS:
        orgs[code] = ensure_org(session, code, name, "town", gov)
    for code, name, town in VILLAGES:
        orgs[code] = ensure_org(session, code, name, "village", orgs[town])
    created, actor = 0, Actor.system("demo")
    for username, display_name, org, roles in USERS:
        if session.scalar(select(User.id).where(User.username == username)) is None:
            create_user(session, actor, username, display_name, password, org, roles, hash_method)
            created += 1
    _load_holidays(session)
    items = load_demo_lists(session, actor)
    return {"orgs": len(orgs), "users_created": created, "items_created": items}


def _load_holidays(session):
    for first, last, name in HOLIDAYS_2026:
        day = date.fromisoformat(first)
        while day <= date.fromisoformat(last):
            set_holiday(session, day, name, is_workday=False)
            day = date.fromordinal(day.toordinal() + 1)
    for day, name in WORKDAYS_2026:
        set_holiday(session, date.fromisoformat(day), name, is_workday=True)
