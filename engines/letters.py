"""The words of letters and administrative notices, made from templates whose slots are filled from plausible data.

A letter page once carried a manual's prose as its body under "Dear Anna," and a notice issued a manual chapter;
a model that reads real letters and notices sees their own kind of text: a meeting called, an order answered,
information asked for, a repair complained of; 邀请函, 复函 and 咨询函 with their conventions (尊敬的...：, 您好！,
此致 / 敬礼！, 联系人 and 电话); and notices calling a meeting, arranging a year's work, inviting applications or
setting a holiday (现就有关事项通知如下：, 一、..., 特此通知。). Dates follow one another as they must (a reply after
the letter it answers, a meeting after the notice that calls it), and each kind names what belongs to it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from engines.base import pick
from engines.everyday import UK_CITIES, WEEKDAYS, ZH_NAMES, day, email, en_day, en_phone, later, zh_day, zh_phone

FEMALE = frozenset({"Alice", "Maria", "Sarah", "Emily", "Laura", "Anna", "王芳", "李娜", "陈静", "赵敏", "周婷"})
ASSOCIATIONS = ("Residents' Association", "Allotment Society", "Parent Teacher Association", "Tennis Club",
                "Local History Society", "Choral Society")
MEETINGS = ("annual general meeting", "autumn meeting", "spring meeting")
VENUES = ("the community hall", "the village hall", "St Mary's Church Hall", "the school library",
          "the meeting room of the public library")
AGENDA = ("the accounts for the year", "the election of officers", "plans for the summer fair",
          "the repair of the footpath", "membership fees for next year", "a proposal to change the meeting night")
COMPANIES = ("Hartley & Sons", "Northfield Home Goods", "Brightwater Outdoor", "Kestrel Kitchenware")
ORDERED = ("table lamp", "set of four dinner plates", "kettle", "bookcase", "pair of walking boots",
           "coffee grinder")
COURSES = ("Spanish for beginners", "Introduction to photography", "Bookkeeping", "Pottery", "First aid at work")
REPAIRED = ("washing machine", "boiler", "dishwasher", "garage door")
EN_CLOSINGS = {"meeting": ("Best regards,", "Kind regards,"), "order": ("Yours sincerely,",),
               "request": ("Yours sincerely,", "Yours faithfully,"), "complaint": ("Yours sincerely,",)}
ZH_SOCIETIES = ("华东地区图书馆协会", "省青年企业家协会", "市软件行业协会", "省统计学会")
ZH_EVENTS = ("年学术年会", "年行业发展论坛", "年度工作交流会")  # after the year: 2025年学术年会
ZH_TOPICS = ("数字化转型与创新发展", "人才培养与队伍建设", "数据治理与开放共享", "行业标准与规范建设")
ZH_PLACES = ("杭州国际会议中心", "市会展中心三楼报告厅", "北京友谊宾馆", "南京国际博览中心二号会议室")
ZH_SHOPS = ("远航家居用品有限公司", "宏达电器有限公司", "优品生活电子商务有限公司")
ZH_ORDERED = ("台灯", "电热水壶", "陶瓷餐具套装", "书架")
ZH_COURSES = ("计算机应用", "会计实务", "育婴师", "中式烹调")
ZH_TRAINERS = ("市职业技能培训中心", "区社区教育学院", "市老年大学")
ZH_CITIES = ("杭州市", "南京市", "武汉市", "成都市")
# Holidays a notice sets (name, month, first day, days), as the state council's arrangements set them
ZH_HOLIDAYS = (("元旦", 1, 1, 1), ("劳动节", 5, 1, 5), ("国庆节", 10, 1, 7))


@dataclass(frozen=True)
class Letter:
    """A letter's words: its salutation, its subject line ("" for none), paragraphs, closing lines (a Chinese letter's
    此致 and 敬礼！ are two), the signature's lines (the sender, maybe their role) and the company it comes from (""
    for a private letter)."""

    salutation: str
    subject: str
    paragraphs: tuple[str, ...]
    closing: tuple[str, ...]
    signature: tuple[str, ...]
    company: str = ""


@dataclass(frozen=True)
class Notice:
    """An administrative notice's words: its title (关于...的通知), paragraphs (the last 特此通知。), attachments, and
    the day it is issued (its 落款 and the year of its 文号)."""

    title: str
    paragraphs: tuple[str, ...]
    attachments: tuple[str, ...]
    issued: datetime.date


def en_letter(rng: np.random.Generator, sender: str, recipient: str, city: str, date: datetime.date) -> Letter:
    """An English letter from `sender` (living in `city`) to `recipient`, dated `date`: calling a meeting, answering
    about an order (from a company's customer services), asking for information or complaining about a repair."""
    kind = pick(rng, tuple(EN_CLOSINGS))
    first, last = recipient.split()
    title = "Ms" if first in FEMALE else "Mr"
    phone, mail = en_phone(rng, city), email(sender, "example.org")
    money = "£" if city in UK_CITIES else "$"
    signature: tuple[str, ...] = (sender,)
    subject = company = ""
    if kind == "meeting":
        meet = later(rng, date, 14, 40)
        agenda = [AGENDA[int(k)] for k in rng.choice(len(AGENDA), 3, replace=False)]
        society = pick(rng, ASSOCIATIONS)
        paragraphs = [
            f"I am writing to let you know that the {pick(rng, MEETINGS)} of the {society} will be held on "
            f"{WEEKDAYS[meet.weekday()]}, {en_day(meet)}, at {int(rng.integers(6, 9))}:{pick(rng, ('00', '30'))} pm "
            f"in {pick(rng, VENUES)}.",
            f"The agenda includes {agenda[0]}, {agenda[1]} and {agenda[2]}. If you would like to raise any other "
            f"matter, please let me know by {en_day(later(rng, date, 5, 10))} so that it can be added.",
            "Please let me know whether you will be able to attend. If you cannot come, you are welcome to send "
            "your views in writing, and they will be read out at the meeting.",
            f"You can reach me on {phone} or at {mail}."]
        salutation = f"Dear {first},"
        signature = (sender, f"Secretary, {society}")
    elif kind == "order":
        number = int(rng.integers(10000, 99999))
        item = pick(rng, ORDERED)
        delivered = later(rng, date, -20, -8)
        paragraphs = [
            f"Thank you for your letter of {en_day(later(rng, delivered, 1, 5))} about your order no. {number}, "
            f"which was delivered on {en_day(delivered)}.",
            f"I am sorry to hear that the {item} arrived damaged. We have sent a replacement today by courier, and "
            f"it should reach you within {int(rng.integers(2, 6))} working days. There is no need to return the "
            "damaged one.",
            f"We have also refunded the delivery charge of {money}{rng.choice([3.95, 4.95, 5.99, 6.5]):.2f} to your "
            "card. The refund may take up to five working days to appear on your statement.",
            "Please accept our apologies for the inconvenience. If there is anything else we can do, please do not "
            "hesitate to contact us."]
        salutation, subject = f"Dear {title} {last},", f"Order no. {number}"
        signature, company = (sender, "Customer Services"), pick(rng, COMPANIES)
    elif kind == "request":
        paragraphs = [
            f"I am writing to ask for information about the {pick(rng, COURSES)} course that your college runs "
            f"in the {pick(rng, ('autumn', 'spring', 'summer'))} term.",
            "I would be grateful if you could send me the dates and times of the classes, the fees and details of "
            "how to enrol. I would also like to know whether the course is suitable for complete beginners.",
            f"I am free on weekday evenings and on Saturdays. You can reach me on {phone} or at {mail}.",
            "Thank you in advance for your help. I look forward to hearing from you."]
        salutation = f"Dear {title} {last},"
    else:
        thing = pick(rng, REPAIRED)
        paid = rng.integers(6000, 24000) / 100
        days = sorted(int(k) for k in rng.choice(5, 2, replace=False))
        paragraphs = [
            f"I am writing to complain about the repair of my {thing} carried out by your engineer on "
            f"{en_day(later(rng, date, -30, -10))}.",
            f"The {thing} stopped working again {int(rng.integers(2, 8))} days later, with the same fault. I have "
            f"paid your invoice no. {int(rng.integers(1000, 9999))} of {money}{paid:,.2f} in full.",
            "I would be grateful if you could arrange for an engineer to visit again as soon as possible, at no "
            f"further charge. I am at home on {WEEKDAYS[days[0]]} and {WEEKDAYS[days[1]]} mornings, and you can "
            f"reach me on {phone}.",
            "I look forward to your reply."]
        salutation = f"Dear {title} {last},"
    return Letter(salutation, subject, tuple(paragraphs), (pick(rng, EN_CLOSINGS[kind]),), signature, company)


def _zh_dear(name: str) -> str:
    return f"尊敬的{name[0]}{'女士' if name in FEMALE else '先生'}："


def zh_letter(rng: np.random.Generator, date: datetime.date) -> Letter:
    """A Chinese letter dated `date`: 邀请函 from a society, 复函 from a shop about a damaged order, or 咨询函 from a
    citizen to a training centre; each greets (尊敬的...：, 您好！), closes with 此致 / 敬礼！ and names whom to call."""
    kind = int(rng.integers(3))
    to, contact = (str(n) for n in rng.choice(ZH_NAMES, 2, replace=False))
    phone = zh_phone(rng)
    if kind == 0:
        society = pick(rng, ZH_SOCIETIES)
        meet = later(rng, date, 20, 50)
        paragraphs = [
            "您好！",
            f"{society}定于{zh_day(meet)}在{pick(rng, ZH_PLACES)}举办{meet.year}{pick(rng, ZH_EVENTS)}，"
            "诚挚邀请您拨冗出席。",
            f"本次会议将围绕{pick(rng, ZH_TOPICS)}等议题进行交流研讨，并邀请有关专家作专题报告。",
            f"请于{zh_day(later(rng, date, 7, 15))}前将参会回执发送至电子邮箱hy{int(rng.integers(100, 999))}@example.cn，"
            "以便我们做好会务安排。",
            f"联系人：{contact}，电话：{phone}。"]
        return Letter(_zh_dear(to), "", tuple(paragraphs), ("此致", "敬礼！"), (society,))
    if kind == 1:
        shop = pick(rng, ZH_SHOPS)
        wrote = later(rng, date, -12, -3)
        paragraphs = [
            "您好！",
            f"您于{zh_day(wrote)}来函反映的订单（编号：{int(rng.integers(10 ** 9, 10 ** 10))}）中{pick(rng, ZH_ORDERED)}"
            "在运输途中破损一事，我公司已收悉。",
            f"经核查，情况属实。我公司已于{zh_day(later(rng, wrote, 1, 3))}为您重新发货，预计{int(rng.integers(2, 6))}个"
            "工作日内送达，请注意查收。破损商品无需退回。",
            "由此给您带来的不便，我们深表歉意。如有其他问题，请随时与我们联系。",
            f"联系人：{contact}，电话：{phone}。"]
        return Letter(_zh_dear(to), "", tuple(paragraphs), ("此致", "敬礼！"), (shop,))
    trainer = pick(rng, ZH_TRAINERS)
    paragraphs = [
        "您好！",
        f"我是{pick(rng, ZH_CITIES)}居民，近期有意报名参加贵单位开办的{pick(rng, ZH_COURSES)}培训班，"
        "现就有关事项咨询如下：",
        "一、培训班的开课时间、上课地点及收费标准；",
        "二、报名需要提交的材料及报名截止时间；",
        "三、结业后是否颁发培训证书。",
        "恳请贵单位予以答复，不胜感激。",
        f"联系电话：1{int(rng.integers(30, 90))}{int(rng.integers(10 ** 7, 10 ** 8))}。"]
    return Letter(f"尊敬的{trainer}负责同志：", "", tuple(paragraphs), ("此致", "敬礼！"), (to,))


def zh_notice(rng: np.random.Generator, work: str, office: str, project: str | None) -> Notice:
    """An administrative notice of an issuer whose line of work is `work` (安全生产), whose office takes replies
    (`office`) and whose projects (`project`, None where it funds none) are applied for: calling a meeting, arranging
    a year's work, inviting applications or setting a holiday (issued 10 to 40 days before it)."""
    kinds = ["meeting", "work", "holiday"] + (["apply"] if project else [])
    kind = pick(rng, kinds)
    issued = day(rng, 2015, 2025)
    year = issued.year
    contact = f"联系人：{pick(rng, ZH_NAMES)}，电话：{zh_phone(rng)}。"
    attachments: tuple[str, ...] = ()
    if kind == "meeting":
        meet = later(rng, issued, 5, 20)
        title = f"关于召开{year}年{work}工作会议的通知"
        paragraphs = [
            f"经研究，定于{zh_day(meet)}召开{year}年{work}工作会议。现将有关事项通知如下：",
            f"一、会议时间：{zh_day(meet)}上午9:00，会期半天。",
            f"二、会议地点：{pick(rng, ZH_PLACES)}。",
            "三、参会人员：各单位分管负责同志及业务科室负责人。",
            f"四、有关要求：请各单位于{zh_day(later(rng, issued, 2, (meet - issued).days - 2))}前将参会人员名单报送"
            f"{office}。参会人员请提前10分钟到场签到。", contact]
    elif kind == "work":
        title = f"关于做好{year}年{work}工作的通知"
        paragraphs = [
            f"为进一步做好{year}年{work}工作，切实提高工作质量和效率，现就有关事项通知如下：",
            f"一、加强组织领导。各单位要高度重视{work}工作，明确分管负责同志和具体责任人，细化工作措施，确保各项任务落到实处。",
            "二、突出工作重点。要围绕年度目标任务，认真梳理存在的问题和薄弱环节，制定整改措施，按时完成各阶段工作。",
            "三、加强督促检查。将适时组织督查，对工作推进不力的单位予以通报。",
            f"四、及时报送情况。请各单位于{zh_day(later(rng, issued, 20, 60))}前将工作开展情况书面报送{office}。",
            contact]
    elif kind == "apply":
        opens = later(rng, issued, 3, 10)
        title = f"关于组织申报{year}年度{project}项目的通知"
        paragraphs = [
            f"为做好{year}年度{project}项目管理工作，现将项目申报有关事项通知如下：",
            "一、申报条件。申报单位应具有独立法人资格，管理规范，具备承担项目的能力；项目负责人应具有相应的专业背景。",
            f"二、申报时间。申报时间为{zh_day(opens)}至{zh_day(later(rng, opens, 20, 40))}，逾期不予受理。",
            f"三、材料报送。请将申报书一式三份报送{office}，并对材料的真实性负责。", contact]
        attachments = ("项目申报书", "项目汇总表")
    else:
        name, month, first, days = pick(rng, ZH_HOLIDAYS)
        start = datetime.date(year + (month == 1), month, first)  # a new year's holiday is set in the year before
        issued, issued_for = start - datetime.timedelta(days=int(rng.integers(10, 41))), start.year
        end = start + datetime.timedelta(days=days - 1)
        span = f"{start.month}月{start.day}日放假" if days == 1 else \
            f"{start.month}月{start.day}日至{end.month}月{end.day}日放假调休"
        title = f"关于{issued_for}年{name}放假安排的通知"
        paragraphs = [
            f"根据国家有关规定，经研究，现将{issued_for}年{name}放假安排通知如下：",
            f"{span}，共{days}天。",
            "节假日期间，各单位要妥善安排好值班和安全保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，"
            "确保人民群众祥和平安度过节日假期。"]
    return Notice(title, (*paragraphs, "特此通知。"), attachments, issued)
