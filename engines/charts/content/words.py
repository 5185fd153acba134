"""Words charts are made of, in English and Chinese: the pools of labels and company names.

Real charts label real kinds of things (months, provinces, companies, products), so the built-in
generator draws its categories and series names from these pools rather than from random strings;
a Chinese chart uses Chinese pools throughout. Labels are kept short (a chart has little room and
a truncated label would make its target unverifiable). Company names are composed from parts, so
the model sees many names rather than memorising a few.
"""

from __future__ import annotations

# Pools whose order matters (time): a chart takes a consecutive run of them, never a shuffle.
ORDERED = ("months", "quarters", "weekdays", "age_groups")

POOLS: dict[str, dict[str, list[str]]] = {
    "months": {"en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
               "zh": [f"{m}月" for m in range(1, 13)]},
    "quarters": {"en": ["Q1", "Q2", "Q3", "Q4"], "zh": ["一季度", "二季度", "三季度", "四季度"]},
    "weekdays": {"en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
                 "zh": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]},
    "age_groups": {"en": ["Under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"],
                   "zh": ["18岁以下", "18-24岁", "25-34岁", "35-44岁", "45-54岁", "55-64岁", "65岁以上"]},
    "countries": {
        "en": ["China", "USA", "Japan", "Germany", "India", "UK", "France", "Italy", "Brazil", "Canada",
               "Korea", "Russia", "Australia", "Spain", "Mexico", "Indonesia", "Turkey", "Netherlands",
               "Saudi Arabia", "Switzerland", "Poland", "Sweden", "Norway", "Egypt", "Vietnam", "Chile"],
        "zh": ["中国", "美国", "日本", "德国", "印度", "英国", "法国", "意大利", "巴西", "加拿大", "韩国",
               "俄罗斯", "澳大利亚", "西班牙", "墨西哥", "印度尼西亚", "土耳其", "荷兰", "沙特阿拉伯",
               "瑞士", "波兰", "瑞典", "挪威", "埃及", "越南", "智利"]},
    "regions": {
        "en": ["California", "Texas", "Florida", "New York", "Ohio", "Georgia", "Michigan", "Arizona",
               "Oregon", "Nevada", "Utah", "Iowa", "Kansas", "Maine", "Alaska", "Virginia", "Colorado"],
        "zh": ["北京", "上海", "天津", "重庆", "广东", "江苏", "浙江", "山东", "河南", "四川", "湖北", "湖南",
               "福建", "安徽", "河北", "陕西", "江西", "辽宁", "云南", "广西", "山西", "贵州", "吉林", "甘肃"]},
    "cities": {
        "en": ["London", "Paris", "Tokyo", "Berlin", "Sydney", "Toronto", "Chicago", "Boston", "Seattle",
               "Madrid", "Rome", "Vienna", "Dublin", "Oslo", "Lisbon", "Prague", "Denver", "Austin"],
        "zh": ["北京", "上海", "广州", "深圳", "成都", "杭州", "武汉", "西安", "南京", "重庆", "天津", "苏州",
               "长沙", "郑州", "青岛", "厦门", "昆明", "大连", "沈阳", "合肥"]},
    "products": {
        "en": ["Laptops", "Phones", "Tablets", "Monitors", "Printers", "Cameras", "Headphones", "Speakers",
               "Keyboards", "Routers", "Watches", "Consoles", "Drones", "Chargers"],
        "zh": ["手机", "笔记本电脑", "平板电脑", "显示器", "打印机", "相机", "耳机", "音箱", "键盘", "路由器",
               "智能手表", "游戏机", "无人机", "充电器"]},
    "departments": {
        "en": ["Sales", "Marketing", "R&D", "Finance", "HR", "IT", "Operations", "Legal", "Support"],
        "zh": ["销售部", "市场部", "研发部", "财务部", "人力资源部", "信息部", "运营部", "法务部", "客服部"]},
    "channels": {"en": ["Online", "Retail", "Wholesale", "Direct", "Partners", "Export"],
                 "zh": ["线上", "门店", "批发", "直销", "代理商", "出口"]},
    "energy": {"en": ["Coal", "Natural Gas", "Nuclear", "Hydro", "Wind", "Solar", "Biomass", "Oil"],
               "zh": ["煤炭", "天然气", "核能", "水电", "风电", "光伏", "生物质能", "石油"]},
    "expenses": {"en": ["Rent", "Salaries", "Utilities", "Travel", "Supplies", "Insurance", "Training", "Taxes"],
                 "zh": ["房租", "工资", "水电费", "差旅费", "办公用品", "保险", "培训", "税费"]},
    "subjects": {"en": ["Math", "Physics", "Chemistry", "Biology", "History", "English", "Art", "Music"],
                 "zh": ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理"]},
    "attributes": {"en": ["Speed", "Price", "Quality", "Design", "Battery", "Service", "Safety", "Comfort"],
                   "zh": ["性能", "价格", "质量", "外观", "续航", "服务", "安全性", "舒适度"]},
    "areas": {"en": ["North", "South", "East", "West", "Central"], "zh": ["华北", "华东", "华南", "华中", "西南", "西北", "东北"]},
    "scenarios": {"en": ["Plan", "Actual", "Forecast", "Budget"], "zh": ["计划", "实际", "预测", "预算"]},
    "genders": {"en": ["Male", "Female"], "zh": ["男性", "女性"]},
    "classes": {"en": ["Class A", "Class B", "Class C", "Class D"], "zh": ["一班", "二班", "三班", "四班"]},
}

COMPANY_PARTS = {
    "en": (["Apex", "Nova", "Blue", "Summit", "Vertex", "Orion", "Atlas", "Pioneer", "Zenith", "Crest",
            "Harbor", "Silver", "Quantum", "Evergreen", "Bright", "Northern"],
           ["Corp", "Systems", "Labs", "Group", "Motors", "Foods", "Energy", "Tech", "Retail", "Bank"]),
    "zh": (["华信", "东方", "长城", "恒达", "天元", "瑞丰", "宏图", "中科", "金桥", "海纳", "博远", "星河",
            "鼎盛", "万通", "新华", "远航"],
           ["科技", "电子", "集团", "能源", "汽车", "食品", "物流", "银行", "医药", "传媒"]),
}
