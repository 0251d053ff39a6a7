"""Demo list items: the two lists and the assigned column, across Tianchang's departments and towns."""

from datetime import date

from sqlalchemy import select

from app.domain.actors import Actor
from app.governance.lists import ResponsibilityItem, create_item
from app.messages import msg

EFFECTIVE = date(2026, 1, 1)
# code, title, category, lead, cooperating, response hours, handle days, legal basis
COOPERATION = [
    ("P-0001", "查处高邮湖非法电鱼等非法捕捞行为", "渔政执法", "nongye", ["gongan"], 2, 3,
     "《中华人民共和国渔业法》第三十八条；《安徽省实施〈中华人民共和国渔业法〉办法》"),
    ("P-0002", "高邮湖禁捕退捕巡查与违法线索移送", "渔政执法", "nongye", ["gongan", "shuili"], 4, 5, "《长江十年禁渔实施方案》"),
    ("P-0003", "违法占用耕地建房的制止与查处", "自然资源", "ziranziyuan", ["chengguan"], 4, 10, "《中华人民共和国土地管理法》第七十七条"),
    ("P-0004", "违法建设（城镇规划区）的制止与拆除", "城市管理", "chengguan", ["ziranziyuan", "zhujian"], 4, 10,
     "《中华人民共和国城乡规划法》第六十四条、第六十八条"),
    ("P-0005", "秸秆露天焚烧的巡查与处罚", "生态环境", "shengtai", ["nongye"], 2, 3, "《中华人民共和国大气污染防治法》第一百一十九条"),
    ("P-0006", "畜禽养殖污染的监管与处罚", "生态环境", "shengtai", ["nongye"], 4, 10, "《畜禽规模养殖污染防治条例》"),
    ("P-0007", "河道非法采砂的查处", "水利", "shuili", ["gongan", "ziranziyuan"], 2, 5, "《中华人民共和国水法》第七十二条"),
    ("P-0008", "河道管理范围内违法建筑物清理", "水利", "shuili", ["chengguan"], 4, 15, "《中华人民共和国河道管理条例》"),
    ("P-0009", "食品小作坊、小餐饮的监督检查", "市场监管", "shijian", [], 4, 5, "《安徽省食品安全条例》"),
    ("P-0010", "无证无照经营的查处", "市场监管", "shijian", ["chengguan"], 4, 10, "《无证无照经营查处办法》"),
    ("P-0011", "农村自建房安全隐患排查整治", "住房城乡建设", "zhujian", ["yingji"], 4, 15, "《安徽省农村住房建设管理办法》"),
    ("P-0012", "建筑工地扬尘污染的监管", "住房城乡建设", "zhujian", ["shengtai", "chengguan"], 4, 5, "《中华人民共和国大气污染防治法》"),
    ("P-0013", "非法加油站点和流动加油车的取缔", "安全生产", "yingji", ["shijian", "gongan"], 2, 5, "《危险化学品安全管理条例》"),
    ("P-0014", "烟花爆竹非法储存、销售的查处", "安全生产", "yingji", ["gongan"], 2, 3, "《烟花爆竹安全管理条例》"),
    ("P-0015", "道路超限超载运输的治理", "交通运输", "jiaotong", ["gongan"], 4, 5, "《公路安全保护条例》"),
    ("P-0016", "农村公路路域环境整治", "交通运输", "jiaotong", [], 8, 10, "《农村公路条例》"),
    ("P-0017", "非法行医的查处", "卫生健康", "weijian", ["shijian"], 4, 10, "《中华人民共和国基本医疗卫生与健康促进法》"),
    ("P-0018", "传染病疫情的报告与处置", "卫生健康", "weijian", [], 2, 2, "《中华人民共和国传染病防治法》"),
    ("P-0019", "困难群众临时救助的审核", "民政", "minzheng", [], 8, 10, "《社会救助暂行办法》"),
    ("P-0020", "拖欠农民工工资的查处", "人力资源社会保障", "renshe", ["zhujian"], 4, 10, "《保障农民工工资支付条例》"),
    ("P-0021", "校园周边环境的整治", "教育", "jiaoti", ["gongan", "shijian"], 8, 10, "《中华人民共和国未成年人保护法》"),
    ("P-0022", "占道经营、店外经营的治理", "城市管理", "chengguan", [], 4, 3, "《城市市容和环境卫生管理条例》"),
    ("P-0023", "违规使用农药、兽药的查处", "农业农村", "nongye", ["shijian"], 4, 10, "《农药管理条例》《兽药管理条例》"),
    ("P-0024", "动物疫病的监测与扑灭", "农业农村", "nongye", ["weijian"], 2, 3, "《中华人民共和国动物防疫法》"),
    ("P-0025", "非法占用林地、滥伐林木的查处", "自然资源", "ziranziyuan", ["gongan"], 4, 10, "《中华人民共和国森林法》"),
]
POWER = [
    ("Q-0001", "网格巡查中发现的违法线索上报", "基层治理", "tongcheng", [], 24, 1, "《天长市网格化服务管理办法》"),
    ("Q-0002", "村（社区）人居环境整治的组织实施", "农业农村", "tongcheng", [], 24, 10, "《农村人居环境整治提升五年行动方案》"),
    ("Q-0003", "辖区防汛抗旱的组织与巡查", "应急管理", "tongcheng", [], 2, 1, "《中华人民共和国防洪法》"),
    ("Q-0004", "辖区燃气安全隐患的排查与劝导", "安全生产", "qinlan", [], 8, 5, "《城镇燃气管理条例》"),
    ("Q-0005", "矛盾纠纷的排查与调解", "平安建设", "qinlan", [], 24, 10, "《中华人民共和国人民调解法》"),
    ("Q-0006", "农村危房的摸底与上报", "住房城乡建设", "datong", [], 24, 10, "《农村危房改造工作方案》"),
    ("Q-0007", "秸秆禁烧的网格巡查与劝阻", "生态环境", "datong", [], 2, 1, "《天长市秸秆禁烧工作方案》"),
    ("Q-0008", "辖区河长制日常巡河", "水利", "yangcun", [], 24, 5, "《关于全面推行河长制的意见》"),
    ("Q-0009", "退役军人服务保障", "退役军人事务", "yangcun", [], 24, 10, "《退役军人保障法》"),
    ("Q-0010", "城乡居民医保参保的组织", "医疗保障", "shiliang", [], 24, 15, "《中华人民共和国社会保险法》"),
    ("Q-0011", "辖区道路交通安全劝导", "平安建设", "chajian", [], 8, 5, "《中华人民共和国道路交通安全法》"),
    ("Q-0012", "集体经济组织财务的监督", "农业农村", "zhangpu", [], 24, 15, "《农村集体经济组织财务制度》"),
    ("Q-0013", "特困人员的发现与报告", "民政", "xinjie", [], 24, 5, "《社会救助暂行办法》"),
    ("Q-0014", "辖区食品安全信息员的管理", "市场监管", "tianchang_jd", [], 24, 10, "《安徽省食品安全条例》"),
]
ASSIGNED = [
    ("J-0001", "2026 年汛期防汛值守", "防汛抗旱", "shuili", ["yingji", "tongcheng", "qinlan"], 2, 1, "市防指〔2026〕3 号",
     date(2026, 9, 30)),
    ("J-0002", "全国文明城市创建常态化长效化工作", "文明创建", "chengguan", ["zhujian", "tianchang_jd", "qianqiu_jd"], 8, 5,
     "市委常委会议纪要〔2026〕2 号", date(2026, 12, 31)),
    ("J-0003", "高邮湖退捕禁捕专项执法行动", "渔政执法", "nongye", ["gongan", "tongcheng"], 2, 3, "市政府常务会议纪要〔2026〕5 号",
     date(2026, 12, 31)),
]


def load_demo_lists(session, actor=None):
    """Create the demo items that do not exist yet; returns how many were created."""
    actor = actor or Actor.system("demo")
    existing = set(session.scalars(select(ResponsibilityItem.code)))
    created = 0
    rows = [("cooperation", r, None) for r in COOPERATION] + [("power", r, None) for r in POWER]
    rows += [("assigned", r[:8], r[8]) for r in ASSIGNED]
    for kind, (code, title, category, lead, cooperating, hours, days, basis), until in rows:
        if code in existing:
            continue
        create_item(session, actor, code, kind, {
            "title": title, "category": category, "lead_org": lead, "cooperating_orgs": cooperating,
            "legal_basis": basis, "lead_duties": _lead_duty(kind, title), "cooperating_duties": _cooperating_duty(kind),
            "response_hours": hours, "handle_days": days, "effective_from": EFFECTIVE, "effective_to": until,
        }, msg("demo.reason"))
        created += 1
    return created


def _lead_duty(kind, title):
    return {"cooperation": f"负责{title}，在承诺时限内响应呼叫并办结",
            "power": f"负责{title}", "assigned": f"牵头{title}"}[kind]


def _cooperating_duty(kind):
    return {"cooperation": "镇街发现线索后及时呼叫上报，配合现场处置；配合部门按分工参与办理",
            "power": "", "assigned": "按分工配合落实"}[kind]
