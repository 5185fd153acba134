"""What tables in papers and reports say, in English and Chinese: topics with row names, column names and groups.

Each topic is (row_head, rows, group_head, groups, columns): the head of the label column, row
labels, the name of a column group (a data set, a year, a condition) with its values, and value
columns as (name, kind) where kind says how its numbers look (see `engines.tables.content`).
"""

from __future__ import annotations

from engines.charts.content import facts

Column = tuple[str, str]  # (header, kind)

TOPICS: dict[str, list[tuple[str, tuple[str, ...], tuple[str, ...], tuple[Column, ...]]]] = {
    "en": [
        ("Method", ("Baseline", "ResNet-50", "ViT-B/16", "BERT-base", "RoBERTa", "LSTM", "Transformer", "GCN",
                    "XGBoost", "Random Forest", "SVM", "Ours", "Ours (w/o attention)", "Linear", "MLP", "k-NN"),
         ("CIFAR-10", "ImageNet", "MNIST", "COCO", "SQuAD", "WMT14", "PubMed", "Cora", "ETTh1", "Weather"),
         (("Acc. (\\%)", "pct"), ("F1", "score"), ("Precision", "score"), ("Recall", "score"), ("mAP", "pct"),
          ("AUC", "score"), ("BLEU", "r:18:45:1"), ("MSE", "small"), ("MAE", "small"), ("Params (M)", "size"),
          ("FLOPs (G)", "size"), ("Time (s)", "size"), ("Acc. $\\uparrow$", "pct"), ("Loss $\\downarrow$", "small"))),
        ("Sample", ("S1", "S2", "S3", "S4", "S5", "A-1", "A-2", "B-1", "B-2", "Control", "Reference", "Bulk"),
         ("Annealed", "As grown", "Run 1", "Run 2"),  # no temperature groups over a $T$ column
         (("$T$ (K)", "r:4:1200:0"), ("$\\rho$ (g/cm$^3$)", "r:0.8:12:2"), ("$E_g$ (eV)", "r:0.3:6:2"),
          ("$a$ (\\AA)", "r:2.5:12:3"),
          ("$\\sigma$ (S/m)", "sci"), ("Yield (\\%)", "pct"), ("$\\Delta H$ (kJ/mol)", "r:-400:150:1"), ("$n$", "r:3:60:0"),
          ("$\\chi^2$", "small"), ("$R^2$", "score"))),
        ("Country", ("United States", "China", "Germany", "Japan", "India", "Brazil", "France", "Canada",
                     "Australia", "Mexico", "Nigeria", "Italy"),
         ("2019", "2020", "2021", "2022", "2023"),
         (("GDP (bn USD)", "row:gdp"), ("Growth (\\%)", "row:growth"), ("Population (M)", "row:population"),
          ("Inflation (\\%)", "row:inflation"), ("Unemployment (\\%)", "row:unemployment"),
          ("Exports (bn USD)", "row:exports"), ("Debt/GDP (\\%)", "row:debt"))),
        ("Characteristic", ("Age, years", "Female, n (\\%)", "BMI, kg/m$^2$", "Smoker", "Diabetes", "Hypertension",
                            "Systolic BP", "HbA1c (\\%)", "LDL, mmol/L", "Follow-up, months"),
         ("Treatment", "Placebo", "Cohort A", "Cohort B"),
         (("Mean", "row:cohort"), ("SD", "row:cohort_sd"), ("$n$", "count"), ("$p$-value", "pvalue"),
          ("OR", "odds"), ("95\\% CI", "interval"))),
        ("Parameter", ("Learning rate", "Batch size", "Epochs", "Dropout", "Weight decay", "Hidden size", "Layers",
                       "Heads", "Warm-up steps", "Optimizer", "$\\beta_1$", "$\\beta_2$", "$\\epsilon$"),
         ("Small", "Base", "Large", "Stage 1", "Stage 2"),
         (("Value", "param"), ("Search range", "param_range"), ("Default", "param"))),
        ("Entry", ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"),
         ("Conditions A", "Conditions B"),
         (("Catalyst", "t:catalyst"), ("Solvent", "t:solvent"), ("$T$ ($^\\circ$C)", "r:20:140:0"),
          ("Time (h)", "r:1:48:0"), ("Yield (\\%)", "r:5:98:0"), ("ee (\\%)", "r:40:99:0"))),
        ("Model", ("Full model", "w/o pre-training", "w/o attention", "w/o augmentation", "w/o fine-tuning",
                   "+ extra data", "+ larger backbone", "Single-stage", "Two-stage"),
         ("Dev", "Test", "In-domain", "Out-of-domain"),
         (("Acc. (\\%)", "pct"), ("F1", "score"), ("$\\Delta$", "r:-6:2:1"), ("Latency (ms)", "r:2:400:1"),
          ("Memory (GB)", "r:0.5:80:1"))),
        ("Month", ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
         ("Station A", "Station B", "Coast", "Inland"),
         (("Mean temp. ($^\\circ$C)", "season:-8:30:1"), ("Precipitation (mm)", "season:5:220:0"),
          ("Sunshine (h)", "season:40:320:0"),
          ("Humidity (\\%)", "r:35:90:0"), ("Wind (m/s)", "r:1:9:1"))),
        ("Material", ("Steel", "Aluminium", "Copper", "Titanium", "Glass", "Concrete", "PVC", "Nylon", "Oak",
                      "Carbon fibre"),
         ("Nominal", "Measured"),  # handbook values beside a lab's (not temperatures: a cost has none)
         (("Density (kg/m$^3$)", "row:density"), ("$E$ (GPa)", "row:modulus"), ("Strength (MPa)", "row:strength"),
          ("Thermal cond. (W/m$\\cdot$K)", "row:conductivity"), ("Cost (USD/kg)", "row:cost"))),
    ],
    "zh": [
        ("方法", ("基线模型", "本文方法", "支持向量机", "随机森林", "卷积神经网络", "循环神经网络", "注意力模型", "线性回归",
                "决策树", "朴素贝叶斯", "集成模型", "改进算法"),
         ("数据集一", "数据集二", "训练集", "测试集", "验证集"),
         (("准确率（\\%）", "pct"), ("召回率", "score"), ("精确率", "score"), ("F1 值", "score"), ("参数量（M）", "size"),
          ("推理时间（ms）", "r:2:400:1"), ("均方根误差", "small"), ("平均绝对误差", "small"))),
        ("地区", ("北京", "上海", "广东", "江苏", "浙江", "四川", "湖北", "山东", "河南", "福建", "陕西", "重庆"),
         ("2020 年", "2021 年", "2022 年", "2023 年"),
         (("常住人口（万人）", "row:population_zh"), ("生产总值（亿元）", "row:gdp_zh"), ("增长率（\\%）", "row:growth_zh"),
          ("人均可支配收入（元）", "row:income_zh"), ("城镇化率（\\%）", "row:urban_zh"))),
        ("样品", ("样品 A", "样品 B", "样品 C", "对照组", "实验组", "一号样品", "二号样品", "标准样"),
         ("第一次测量", "第二次测量", "常温", "高温"),
         (("温度（$^\\circ$C）", "r:20:900:0"), ("压力（MPa）", "r:0.1:30:2"), ("密度（g/cm$^3$）", "r:0.8:12:2"),
          ("含量（\\%）", "pct"), ("浓度（mol/L）", "r:0.01:5:3"), ("电导率（S/m）", "sci"))),
        ("指标", ("平均年龄", "男性比例", "体重指数", "收缩压", "舒张压", "血糖", "随访时间", "住院天数"),
         ("治疗组", "对照组", "全部患者"),
         (("均值", "row:cohort_zh"), ("标准差", "row:cohort_sd_zh"), ("例数", "count"), ("$P$ 值", "pvalue"))),
        ("参数", ("学习率", "批大小", "训练轮数", "丢弃率", "权重衰减", "隐藏层维度", "网络层数", "优化器"),
         ("小模型", "基础模型", "大模型"),
         (("取值", "param"), ("搜索范围", "param_range"), ("默认值", "param"))),
        ("序号", ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"),
         ("条件一", "条件二"),
         (("催化剂", "t:catalyst"), ("溶剂", "t:solvent_zh"), ("温度（$^\\circ$C）", "r:20:140:0"),
          ("时间（h）", "r:1:48:0"), ("产率（\\%）", "r:5:98:0"))),
        ("月份", ("1 月", "2 月", "3 月", "4 月", "5 月", "6 月", "7 月", "8 月", "9 月", "10 月", "11 月", "12 月"),
         ("一号站", "二号站", "沿海站", "内陆站"),
         (("平均气温（$^\\circ$C）", "season:-8:30:1"), ("降水量（mm）", "season:5:300:1"), ("日照时数（h）", "season:40:300:0"),
          ("相对湿度（\\%）", "r:35:90:0"))),
        ("企业类型", ("国有企业", "民营企业", "外资企业", "股份制企业", "集体企业", "港澳台企业", "小微企业", "规模以上企业"),
         ("2022 年", "2023 年"),
         (("企业数（个）", "r:200:60000:0"), ("营业收入（亿元）", "r:50:90000:1"), ("利润总额（亿元）", "r:5:8000:1"),
          ("从业人员（万人）", "r:1:3000:1"), ("增长（\\%）", "r:-8:15:1"))),
    ],
}

MISSING = ("--", "-", "N/A", "---")
# A hyper-parameter's kind, by its row label: its plausible values are `PARAM_VALUES[kind]`.
PARAM_KINDS = {"Learning rate": "rate", "Batch size": "batch", "Epochs": "epochs", "Dropout": "dropout",
               "Weight decay": "decay", "Hidden size": "hidden", "Layers": "layers", "Heads": "heads",
               "Warm-up steps": "steps", "Optimizer": "optimizer", "$\\beta_1$": "beta1", "$\\beta_2$": "beta2",
               "$\\epsilon$": "eps", "学习率": "rate", "批大小": "batch", "训练轮数": "epochs", "丢弃率": "dropout",
               "权重衰减": "decay", "隐藏层维度": "hidden", "网络层数": "layers", "优化器": "optimizer"}
# The values papers report for each kind, smallest first (what Transformer and CNN papers' hyper-parameter tables
# list): a search range is a run of neighbours around the value chosen, a default a neighbour of it.
PARAM_VALUES = {
    "rate": (1e-5, 2e-5, 3e-5, 5e-5, 1e-4, 2e-4, 3e-4, 5e-4, 1e-3, 3e-3),
    "decay": (0.0, 1e-5, 1e-4, 5e-4, 1e-3, 0.01, 0.05, 0.1),
    "eps": (1e-9, 1e-8, 1e-7, 1e-6),
    "batch": (8, 16, 32, 64, 128, 256, 512, 1024, 2048),
    "epochs": (3, 5, 10, 20, 30, 50, 100, 200, 300),
    "dropout": (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5),
    "hidden": (128, 256, 384, 512, 768, 1024, 1536, 2048, 4096),
    "layers": (2, 3, 4, 6, 8, 12, 16, 24, 32, 48),
    "heads": (2, 4, 8, 12, 16, 32),
    "steps": (500, 1000, 2000, 4000, 5000, 10000),
    "beta1": (0.8, 0.9, 0.95),
    "beta2": (0.98, 0.99, 0.995, 0.999),
}
# How a kind moves from a smaller model to a larger one (column groups "Small", "Base", "Large"): wider, deeper
# and more heads (+1), a smaller learning rate (-1); the others stay.
PARAM_GROWTH = {"hidden": 1, "layers": 1, "heads": 1, "rate": -1}
MODEL_SIZES = ("Small", "Base", "Large", "小模型", "基础模型", "大模型")
OPTIMIZERS = ("Adam", "AdamW", "SGD", "RMSprop", "Adagrad", "LAMB")


# Text columns (kind "t:NAME"): the words a column of that kind holds.
TEXT_VALUES = {
    "catalyst": ("Pd(OAc)$_2$", "Pd(PPh$_3$)$_4$", "CuI", "NiCl$_2$", "FeCl$_3$", "Cu(OTf)$_2$", "RuCl$_3$",
                 "Pd/C", "None"),
    "solvent": ("THF", "DMF", "DMSO", "MeCN", "Toluene", "DCM", "MeOH", "EtOH", "Dioxane", "H$_2$O"),
    "solvent_zh": ("四氢呋喃", "甲苯", "乙腈", "二氯甲烷", "甲醇", "乙醇", "水", "DMF", "DMSO"),
}

COUNTRIES = next(rows for head, rows, _, _ in TOPICS["en"] if head == "Country")
PROVINCES = next(rows for head, rows, _, _ in TOPICS["zh"] if head == "地区")
FACTS_NAMES = {"United States": "USA"}  # a table's country name where `facts` spells it otherwise
# Columns whose value depends on the row (kind "row:NAME"): about each row's real size in 2023 (World Bank,
# 国家统计局), drawn with a few percent of noise, so the United States never has Nigeria's GDP.
ROW_VALUES: dict[str, dict[str, float | None]] = {
    "gdp": {"United States": 27360, "China": 17790, "Germany": 4460, "Japan": 4210, "India": 3550, "Brazil": 2170,
            "France": 3030, "Canada": 2140, "Australia": 1720, "Mexico": 1790, "Nigeria": 363, "Italy": 2250},
    "population": {c: facts.population(FACTS_NAMES.get(c, c)) / 1e6 for c in COUNTRIES},
    "exports": {"United States": 3050, "China": 3510, "Germany": 2100, "Japan": 920, "India": 770, "Brazil": 380,
                "France": 1030, "Canada": 760, "Australia": 420, "Mexico": 640, "Nigeria": 60, "Italy": 790},
    "population_zh": {p: facts.population(p) / 1e4 for p in PROVINCES},
    # 2023: real GDP growth (IMF for countries, 国家统计局 for provinces), consumer price inflation (IMF), the
    # unemployment rate (ILO), general government gross debt (% of GDP, IMF)
    "growth": {c: facts.gdp_growth(FACTS_NAMES.get(c, c)) for c in COUNTRIES},
    "growth_zh": {"北京": 5.2, "上海": 5.0, "广东": 4.8, "江苏": 5.8, "浙江": 6.0, "四川": 6.0, "湖北": 6.0, "山东": 6.0,
                  "河南": 4.1, "福建": 4.5, "陕西": 4.3, "重庆": 6.1},
    "inflation": {"United States": 4.1, "China": 0.2, "Germany": 6.0, "Japan": 3.3, "India": 5.4, "Brazil": 4.6,
                  "France": 5.7, "Canada": 3.9, "Australia": 5.6, "Mexico": 5.5, "Nigeria": 24.7, "Italy": 5.9},
    "unemployment": {"United States": 3.6, "China": 5.2, "Germany": 3.0, "Japan": 2.6, "India": 4.2, "Brazil": 8.0,
                     "France": 7.3, "Canada": 5.4, "Australia": 3.7, "Mexico": 2.8, "Nigeria": 5.0, "Italy": 7.7},
    "debt": {"United States": 119, "China": 84, "Germany": 64, "Japan": 252, "India": 83, "Brazil": 84,
             "France": 111, "Canada": 107, "Australia": 49, "Mexico": 53, "Nigeria": 39, "Italy": 137},
    "gdp_zh": {"北京": 43761, "上海": 47219, "广东": 135673, "江苏": 128222, "浙江": 82553, "四川": 60133,
               "湖北": 55804, "山东": 92069, "河南": 59132, "福建": 54355, "陕西": 33786, "重庆": 30146},
    "income_zh": {"北京": 81752, "上海": 84834, "广东": 49327, "江苏": 52674, "浙江": 63830, "四川": 32514,
                  "湖北": 35146, "山东": 39890, "河南": 29933, "福建": 45426, "陕西": 32128, "重庆": 37595},
    # a cohort's baseline characteristics (means and SDs of adults in cardiovascular cohorts; percentages for
    # the yes/no rows)
    "cohort": {"Age, years": 58.4, "Female, n (\\%)": 47.5, "BMI, kg/m$^2$": 27.6, "Smoker": 21.3, "Diabetes": 18.2,
               "Hypertension": 42.7, "Systolic BP": 132.5, "HbA1c (\\%)": 6.1, "LDL, mmol/L": 3.1,
               "Follow-up, months": 36.2},
    # a share's row has no SD (None: printed "--")
    "cohort_sd": {"Age, years": 11.6, "Female, n (\\%)": None, "BMI, kg/m$^2$": 4.8, "Smoker": None, "Diabetes": None,
                  "Hypertension": None, "Systolic BP": 17.8, "HbA1c (\\%)": 1.1, "LDL, mmol/L": 0.9,
                  "Follow-up, months": 14.5},
    "cohort_zh": {"平均年龄": 57.9, "男性比例": 52.4, "体重指数": 24.3, "收缩压": 131.6, "舒张压": 79.8, "血糖": 5.9,
                  "随访时间": 24.6, "住院天数": 8.7},
    "cohort_sd_zh": {"平均年龄": 10.8, "男性比例": None, "体重指数": 3.4, "收缩压": 17.2, "舒张压": 10.6, "血糖": 1.6,
                     "随访时间": 9.8, "住院天数": 4.2},
    # materials at room temperature (handbook values: structural steel, 6061 aluminium, Ti-6Al-4V, soda-lime glass,
    # concrete in compression, rigid PVC, nylon 6, white oak along the grain, a carbon-fibre laminate)
    "density": {"Steel": 7850, "Aluminium": 2700, "Copper": 8960, "Titanium": 4430, "Glass": 2500, "Concrete": 2400,
                "PVC": 1380, "Nylon": 1140, "Oak": 750, "Carbon fibre": 1600},
    "modulus": {"Steel": 200, "Aluminium": 69, "Copper": 117, "Titanium": 114, "Glass": 70, "Concrete": 30,
                "PVC": 3.2, "Nylon": 2.7, "Oak": 12.3, "Carbon fibre": 135},
    "strength": {"Steel": 250, "Aluminium": 276, "Copper": 70, "Titanium": 880, "Glass": 45, "Concrete": 32,
                 "PVC": 48, "Nylon": 70, "Oak": 52, "Carbon fibre": 600},
    "conductivity": {"Steel": 50.2, "Aluminium": 167, "Copper": 401, "Titanium": 6.7, "Glass": 1.0, "Concrete": 1.7,
                     "PVC": 0.19, "Nylon": 0.25, "Oak": 0.17, "Carbon fibre": 7.0},
    "cost": {"Steel": 0.9, "Aluminium": 2.6, "Copper": 9.4, "Titanium": 18.5, "Glass": 1.2, "Concrete": 0.12,
             "PVC": 1.3, "Nylon": 3.1, "Oak": 1.6, "Carbon fibre": 24.0},
    "urban_zh": {"北京": 87.8, "上海": 89.5, "广东": 75.4, "江苏": 75.0, "浙江": 74.2, "四川": 59.5, "湖北": 65.5,
                 "山东": 65.5, "河南": 57.1, "福建": 71.0, "陕西": 65.2, "重庆": 71.7},
}

# Statements whose totals add up: (row head, "flow" or "stock", items). An item is (label, share) for a line drawn as a
# share of the statement's base (a range), or of an earlier item (low, high, that item's index: income tax is 15-25%
# of the profit before tax), or (label, formula) for a total: "+0-1" adds item 0 and subtracts item 1.
Item = tuple[str, "tuple[float, float] | tuple[float, float, int] | str"]
STATEMENTS: dict[str, list[tuple[str, str, tuple[Item, ...]]]] = {
    "en": [
        ("", "flow", (("Revenue", (1.0, 1.0)), ("Cost of revenue", (0.45, 0.65)), ("Gross profit", "+0-1"),
              ("Research and development", (0.04, 0.12)), ("Selling, general and administrative", (0.06, 0.14)),
              ("Operating income", "+2-3-4"), ("Interest expense", (0.004, 0.02)),
              ("Income before income taxes", "+5-6"), ("Income tax expense", (0.15, 0.25, 7)),
              ("Net income", "+7-8"))),
        ("", "stock", (("Cash and cash equivalents", (0.05, 0.2)), ("Accounts receivable", (0.08, 0.2)),
              ("Inventories", (0.05, 0.2)), ("Total current assets", "+0+1+2"),
              ("Property, plant and equipment", (0.2, 0.4)), ("Intangible assets", (0.03, 0.1)),
              ("Total assets", "+3+4+5"))),
        ("Category", "flow", (("Personnel", (0.35, 0.6)), ("Equipment", (0.05, 0.25)), ("Travel", (0.02, 0.08)),
                      ("Materials and supplies", (0.03, 0.12)), ("Subcontracts", (0.0, 0.15)),
                      ("Indirect costs", (0.1, 0.25)), ("Total", "+0+1+2+3+4+5"))),
    ],
    "zh": [
        ("项目", "flow", (("一、营业收入", (1.0, 1.0)), ("减：营业成本", (0.45, 0.65)), ("税金及附加", (0.005, 0.01)),
                ("销售费用", (0.03, 0.08)), ("管理费用", (0.03, 0.07)), ("研发费用", (0.02, 0.06)),
                ("财务费用", (0.002, 0.01)), ("二、营业利润", "+0-1-2-3-4-5-6"), ("加：营业外收入", (0.001, 0.005)),
                ("减：营业外支出", (0.0005, 0.003)), ("三、利润总额", "+7+8-9"), ("减：所得税费用", (0.15, 0.25, 10)),
                ("四、净利润", "+10-11"))),
        ("项目", "stock", (("货币资金", (0.05, 0.2)), ("应收账款", (0.08, 0.2)), ("存货", (0.05, 0.2)),
                ("其他流动资产", (0.01, 0.05)), ("流动资产合计", "+0+1+2+3"), ("长期股权投资", (0.02, 0.1)),
                ("固定资产", (0.2, 0.4)), ("无形资产", (0.03, 0.1)), ("非流动资产合计", "+5+6+7"),
                ("资产总计", "+4+8"))),
        ("费用项目", "flow", (("人员费", (0.35, 0.6)), ("设备费", (0.05, 0.25)), ("差旅费", (0.02, 0.08)),
                  ("材料费", (0.03, 0.12)), ("会议费", (0.01, 0.04)), ("间接费用", (0.1, 0.25)),
                  ("合计", "+0+1+2+3+4+5"))),
    ],
}
# Each statement's titles (a caption names the statement its lines belong to), in the order of STATEMENTS.
STATEMENT_TITLES = {"en": (("Consolidated statement of income", "Income statement"),
                           ("Balance sheet", "Consolidated balance sheet"), ("Project budget", "Budget")),
                    "zh": (("合并利润表", "利润表"), ("资产负债表", "合并资产负债表"), ("经费预算表", "项目经费预算"))}
# A statement's columns: two periods (a year's flows, or balances at two dates), and maybe the change between them.
PERIODS = {"flow": {"en": (("FY2023", "FY2022"), ("2023", "2022"), ("Year ended 2023", "Year ended 2022")),
                    "zh": (("本期金额", "上期金额"), ("2023 年度", "2022 年度"), ("本年累计", "上年同期"))},
           "stock": {"en": (("Dec. 31, 2023", "Dec. 31, 2022"), ("2023", "2022")),
                     "zh": (("期末余额", "期初余额"), ("2023 年 12 月 31 日", "2022 年 12 月 31 日"))}}
CHANGE = {"en": "Change (\\%)", "zh": "增减（\\%）"}
# A statement's unit line and the range of its base line (revenue, total assets), as powers of ten in that unit.
UNITS = {"en": (("(in thousands of USD)", 3.0, 7.0), ("(USD millions)", 1.5, 5.0), ("(EUR thousands)", 3.0, 7.0),
                ("(in millions)", 1.5, 5.0)),
         "zh": (("单位：万元", 3.0, 6.0), ("单位：元", 6.5, 9.5), ("单位：千元", 4.0, 7.0), ("单位：亿元", 0.5, 3.0))}
MONTHS = tuple(next(rows for head, rows, _, _ in TOPICS[lang] if head in ("Month", "月份")) for lang in ("en", "zh"))
MONTHS = MONTHS[0] + MONTHS[1]  # January to December, in English then in Chinese
ORDERED = ("Entry", "Month", "序号", "月份")  # row heads whose rows keep their order (entries 1, 2, 3; months)
MONTH_RUNS = (3, 6, 12)  # a climate table's months: a quarter, a half year or the year, from its start

# What a results table's data sets are scored by: (data sets, the metrics that suit them) per task, so BLEU is
# reported on translation, MSE and MAE on forecasting and accuracy on classification, never BLEU on CIFAR-10.
TASKS: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = {
    "Method": (
        (("CIFAR-10", "ImageNet", "MNIST"), ("Acc. (\\%)", "F1", "Precision", "Recall", "Params (M)", "FLOPs (G)",
                                             "Time (s)", "Acc. $\\uparrow$", "Loss $\\downarrow$")),
        (("COCO",), ("mAP", "Params (M)", "FLOPs (G)", "Time (s)")),
        (("SQuAD",), ("F1", "Params (M)", "Time (s)")),
        (("WMT14",), ("BLEU", "Params (M)", "Time (s)", "Loss $\\downarrow$")),
        (("PubMed", "Cora"), ("Acc. (\\%)", "F1", "AUC", "Params (M)", "Time (s)")),
        (("ETTh1", "Weather"), ("MSE", "MAE", "Params (M)", "Time (s)"))),
    "方法": (
        (("数据集一", "数据集二", "训练集", "测试集", "验证集"),
         ("准确率（\\%）", "召回率", "精确率", "F1 值", "参数量（M）", "推理时间（ms）")),
        (("数据集一", "数据集二", "训练集", "测试集", "验证集"),
         ("均方根误差", "平均绝对误差", "参数量（M）", "推理时间（ms）"))),
}

# A model's size: one figure per model, the same under each data set's or split's columns.
MODEL_COSTS = ("Params (M)", "FLOPs (G)", "Memory (GB)", "参数量（M）")

# Row groups (`\\multirow` blocks): the class each row label belongs to, by row head, so a block holds the rows of
# its class, each class once, named unlike the column groups (data sets, years, conditions); row heads absent here
# (months, entries, a cohort's characteristics) have no blocks. Countries as the IMF's World Economic Outlook
# groups them; provinces by the 国家统计局's regions.
BLOCKS: dict[str, dict[str, str]] = {
    "Method": {**dict.fromkeys(("Baseline", "XGBoost", "Random Forest", "SVM", "Linear", "k-NN"), "Classical"),
               **dict.fromkeys(("ResNet-50", "ViT-B/16", "BERT-base", "RoBERTa", "LSTM", "Transformer", "GCN",
                                "MLP"), "Neural"),
               **dict.fromkeys(("Ours", "Ours (w/o attention)"), "Proposed")},
    "Sample": {**dict.fromkeys(("S1", "S2", "S3", "S4", "S5"), "Series S"), **dict.fromkeys(("A-1", "A-2"), "Series A"),
               **dict.fromkeys(("B-1", "B-2"), "Series B"), **dict.fromkeys(("Control", "Reference", "Bulk"), "Controls")},
    "Country": {**dict.fromkeys(("United States", "Germany", "Japan", "France", "Canada", "Australia", "Italy"),
                                "Advanced"),
                **dict.fromkeys(("China", "India", "Brazil", "Mexico", "Nigeria"), "Emerging")},
    "Parameter": {**dict.fromkeys(("Learning rate", "Batch size", "Epochs", "Warm-up steps", "Optimizer",
                                   "$\\beta_1$", "$\\beta_2$", "$\\epsilon$"), "Optimization"),
                  **dict.fromkeys(("Hidden size", "Layers", "Heads"), "Architecture"),
                  **dict.fromkeys(("Dropout", "Weight decay"), "Regularization")},
    "Material": {**dict.fromkeys(("Steel", "Aluminium", "Copper", "Titanium"), "Metals"),
                 **dict.fromkeys(("Glass", "Concrete"), "Ceramics"), **dict.fromkeys(("PVC", "Nylon"), "Polymers"),
                 **dict.fromkeys(("Oak", "Carbon fibre"), "Composites")},
    "方法": {**dict.fromkeys(("基线模型", "支持向量机", "随机森林", "线性回归", "决策树", "朴素贝叶斯", "集成模型"), "传统方法"),
           **dict.fromkeys(("卷积神经网络", "循环神经网络", "注意力模型"), "深度学习方法"),
           **dict.fromkeys(("本文方法", "改进算法"), "所提方法")},
    "地区": {**dict.fromkeys(("北京", "上海", "广东", "江苏", "浙江", "山东", "福建"), "东部地区"),
           **dict.fromkeys(("湖北", "河南"), "中部地区"), **dict.fromkeys(("四川", "陕西", "重庆"), "西部地区")},
    "样品": {**dict.fromkeys(("样品 A", "样品 B", "样品 C"), "第一批"),
           **dict.fromkeys(("一号样品", "二号样品", "实验组"), "第二批"), **dict.fromkeys(("对照组", "标准样"), "对照")},
    "参数": {**dict.fromkeys(("学习率", "批大小", "训练轮数", "优化器"), "优化"),
           **dict.fromkeys(("隐藏层维度", "网络层数"), "结构"), **dict.fromkeys(("丢弃率", "权重衰减"), "正则化")},
}

# How a row's value moves from year to year, for tables whose column groups are years:
# levels grow (% a year, as 2019-2023 did in nominal terms) with a relative noise; rates (%, points) wander
# around their 2023 value by a spread of points a year, or drift (urbanisation, debt) by points a year.
ROW_GROWTH: dict[str, tuple[float, float]] = {"gdp": (5.0, 0.01), "exports": (5.0, 0.03), "gdp_zh": (6.0, 0.01),
                                              "income_zh": (6.0, 0.005)}
ROW_DRIFT: dict[str, tuple[float, float]] = {"growth": (0.0, 1.2), "growth_zh": (0.0, 0.6), "inflation": (0.0, 1.0),
                                             "unemployment": (0.0, 0.3), "debt": (1.0, 1.5), "urban_zh": (0.9, 0.2)}
ROW_YEAR = 2023  # the year ROW_VALUES are for

# Key indicators as statistical bulletins list them, in a bulletin's order: (figure, name, unit, decimals); a rate
# (%, 上年=100) shows no change column. A table lists one place's published figures (`INDICATOR_FIGURES`), so its
# rows agree: exports below GDP, population times GDP per capita the GDP, a change computed from the two years.
INDICATORS = {
    "en": (("gdp", "GDP", "USD bn", 0), ("gdp_per_capita", "GDP per capita", "USD", 0),
           ("population", "Population", "million", 1), ("inflation", "Consumer prices", "\\% y/y", 1),
           ("unemployment", "Unemployment rate", "\\%", 1), ("exports", "Exports of goods", "USD bn", 0),
           ("electricity", "Electricity generation", "TWh", 0), ("steel", "Crude steel output", "Mt", 1),
           ("debt", "Government debt", "\\% of GDP", 0)),
    "zh": (("gdp", "地区生产总值", "亿元", 1), ("gdp_per_capita", "人均地区生产总值", "元", 0),
           ("population", "常住人口", "万人", 1), ("revenue", "一般公共预算收入", "亿元", 1),
           ("retail", "社会消费品零售总额", "亿元", 1), ("trade", "进出口总额", "亿元", 1),
           ("urban_income", "城镇居民人均可支配收入", "元", 0), ("rural_income", "农村居民人均可支配收入", "元", 0),
           ("grain", "粮食产量", "万吨", 1), ("cpi", "居民消费价格指数", "上年=100", 1)),
}
_BULLETIN_COUNTRIES = ("United States", "China", "Germany", "Japan", "India", "Brazil", "France", "Canada", "Australia",
                       "Mexico", "Italy")
_BULLETIN_PROVINCES = ("北京", "上海", "广东", "江苏", "浙江", "山东", "四川")
# 2022's figures of each country, in `_BULLETIN_COUNTRIES`' order (2023's are `ROW_VALUES`' and `facts`'): GDP
# (current USD bn, World Bank), consumer price inflation (IMF), unemployment (ILO), gross government debt (% of GDP,
# IMF), exports of goods (USD bn, WTO); electricity generation (TWh, Ember) and crude steel (Mt, worldsteel) as
# (2022, 2023). Rounded; population is `facts`' (UN) moved by its growth rate.
_COUNTRIES_2022 = {
    "gdp": (25744, 17882, 4163, 4256, 3353, 1952, 2796, 2162, 1776, 1466, 2066),
    "inflation": (8.0, 2.0, 8.7, 2.5, 6.7, 9.3, 5.9, 6.8, 6.6, 7.9, 8.7),
    "unemployment": (3.6, 5.6, 3.1, 2.6, 4.8, 9.3, 7.3, 5.3, 3.7, 3.3, 8.1),
    "debt": (120, 77, 66, 257, 81, 84, 111, 107, 50, 54, 141),
    "exports": (2065, 3594, 1655, 747, 453, 334, 618, 599, 412, 578, 657),
}
_COUNTRIES_BOTH = {
    "electricity": ((4548, 4494), (8849, 9456), (577, 514), (1030, 1013), (1824, 1958), (677, 706), (469, 515),
                    (648, 622), (273, 274), (338, 352), (284, 264)),
    "steel": ((80.5, 81.4), (1018.0, 1019.1), (36.8, 35.4), (89.2, 87.0), (125.3, 140.2), (34.1, 31.9), (12.1, 10.0),
              (12.1, 12.2), (5.7, 5.5), (18.2, 16.3), (21.6, 21.1)),
}
# Each province's (2022, 2023) figures, in `_BULLETIN_PROVINCES`' order, from its 国民经济和社会发展统计公报 (as first
# published, rounded): 地区生产总值 and 一般公共预算收入, 社会消费品零售总额, 进出口总额 (亿元), 城镇 and 农村居民人均可支配收入
# (元), 粮食产量 (万吨), 居民消费价格指数 (上年=100), and 2022's year-end 常住人口 (万人; 2023's is `facts`').
_PROVINCES = {
    "gdp": ((41610.9, 43760.7), (44652.8, 47218.7), (129118.6, 135673.2), (122875.6, 128222.2), (77715.4, 82553.2),
            (87435.1, 92068.7), (56749.8, 60132.9)),
    "revenue": ((5714.4, 6181.1), (7608.2, 8312.5), (13279.7, 13851.3), (9258.9, 9930.2), (8039.4, 8600.0),
                (7104.0, 7464.7), (4882.2, 5529.1)),
    "retail": ((13794.2, 14462.7), (16442.1, 18515.5), (44882.9, 47494.9), (42752.1, 45547.5), (30467.2, 32550.4),
               (33236.2, 36029.0), (24104.6, 26313.1)),
    "trade": ((36445.5, 36466.3), (41902.8, 42121.6), (83102.9, 83040.7), (54454.9, 52493.8), (46836.9, 48998.3),
              (33324.9, 32642.2), (10076.8, 9574.4)),
    "urban_income": ((84023, 88650), (84034, 89477), (56905, 59307), (60178, 63211), (71268, 74997), (49050, 51571),
                     (43233, 45227)),
    "rural_income": ((34754, 37358), (39729, 42988), (23598, 25142), (28486, 30488), (37565, 40311), (22110, 23776),
                     (18672, 19978)),
    "grain": ((45.4, 47.8), (95.6, 97.5), (1291.5, 1285.2), (3769.1, 3797.7), (621.0, 638.1), (5543.8, 5655.3),
              (3510.5, 3593.8)),
    "cpi": ((101.8, 100.4), (102.5, 100.3), (102.2, 100.4), (102.2, 100.4), (102.2, 100.4), (101.7, 100.1),
            (102.0, 100.3)),
}
_PROVINCES_POPULATION_2022 = (2184.3, 2475.9, 12656.8, 8515.0, 6577.0, 10162.8, 8374.0)


def _bulletin_countries() -> dict[str, dict[str, tuple[float, float]]]:
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for k, country in enumerate(_BULLETIN_COUNTRIES):
        name = FACTS_NAMES.get(country, country)
        now = {"gdp": ROW_VALUES["gdp"][country], "inflation": ROW_VALUES["inflation"][country],
               "unemployment": ROW_VALUES["unemployment"][country], "debt": ROW_VALUES["debt"][country],
               "exports": facts.EXPORTS[name]}
        figures = {key: (before[k], now[key]) for key, before in _COUNTRIES_2022.items()}
        figures |= {key: both[k] for key, both in _COUNTRIES_BOTH.items()}
        figures["population"] = (facts.population(name, 2022) / 1e6, facts.population(name) / 1e6)
        figures["gdp_per_capita"] = tuple(g * 1e3 / p for g, p in zip(figures["gdp"], figures["population"]))
        out[country] = figures
    return out


def _bulletin_provinces() -> dict[str, dict[str, tuple[float, float]]]:
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for k, province in enumerate(_BULLETIN_PROVINCES):
        figures = {key: both[k] for key, both in _PROVINCES.items()}
        figures["population"] = (_PROVINCES_POPULATION_2022[k], facts.population(province) / 1e4)
        figures["gdp_per_capita"] = tuple(g * 1e4 / p for g, p in zip(figures["gdp"], figures["population"]))
        out[province] = figures
    return out


# lang -> place -> figure -> (2022, 2023)
INDICATOR_FIGURES = {"en": _bulletin_countries(), "zh": _bulletin_provinces()}
INDICATOR_HEADS = {"en": ("Indicator", "Unit", "Change (\\%)"), "zh": ("指标", "单位", "比上年增长（\\%）")}

# How a sample splits: (row head, categories) of a survey or census distribution, with a total row.
DISTRIBUTIONS = {
    "en": (("Age group", ("18--24", "25--34", "35--44", "45--54", "55--64", "65 and over")),
           ("Education", ("Primary or less", "Secondary", "Vocational", "Bachelor's", "Master's or higher")),
           ("Region", ("North", "South", "East", "West", "Central")),
           ("Response", ("Strongly agree", "Agree", "Neutral", "Disagree", "Strongly disagree"))),
    "zh": (("年龄组", ("18--24 岁", "25--34 岁", "35--44 岁", "45--54 岁", "55--64 岁", "65 岁及以上")),
           ("受教育程度", ("初中及以下", "高中或中专", "大专", "本科", "研究生及以上")),
           ("地区", ("东部地区", "中部地区", "西部地区", "东北地区")),
           ("满意度", ("非常满意", "比较满意", "一般", "不太满意", "很不满意"))),
}
DISTRIBUTION_HEADS = {"en": (("$n$", "\\%"), ("Respondents", "Share (\\%)"), ("Count", "Percent")),
                      "zh": (("人数", "占比（\\%）"), ("样本数", "比例（\\%）"))}
TOTAL = {"en": ("Total",), "zh": ("合计", "总计")}
