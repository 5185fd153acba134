"""What tables in papers and reports say, in English and Chinese: topics with row names, column names and groups.

Each topic is (row_head, rows, group_head, groups, columns): the head of the label column, row
labels, the name of a column group (a data set, a year, a condition) with its values, and value
columns as (name, kind) where kind says how its numbers look (see `engines.tables.generator`).
"""

from __future__ import annotations

Column = tuple[str, str]  # (header, kind)

TOPICS: dict[str, list[tuple[str, tuple[str, ...], tuple[str, ...], tuple[Column, ...]]]] = {
    "en": [
        ("Method", ("Baseline", "ResNet-50", "ViT-B/16", "BERT-base", "RoBERTa", "LSTM", "Transformer", "GCN",
                    "XGBoost", "Random Forest", "SVM", "Ours", "Ours (w/o attention)", "Linear", "MLP", "k-NN"),
         ("CIFAR-10", "ImageNet", "MNIST", "COCO", "SQuAD", "WMT14", "PubMed", "Cora"),
         (("Acc. (\\%)", "pct"), ("F1", "score"), ("Precision", "score"), ("Recall", "score"), ("mAP", "pct"),
          ("AUC", "score"), ("BLEU", "pct"), ("RMSE", "small"), ("MAE", "small"), ("Params (M)", "size"),
          ("FLOPs (G)", "size"), ("Time (s)", "size"), ("Acc. $\\uparrow$", "pct"), ("Loss $\\downarrow$", "small"))),
        ("Sample", ("S1", "S2", "S3", "S4", "S5", "A-1", "A-2", "B-1", "B-2", "Control", "Reference", "Bulk"),
         ("300 K", "77 K", "Annealed", "As grown", "Run 1", "Run 2"),
         (("$T$ (K)", "int"), ("$\\rho$ (g/cm$^3$)", "small"), ("$E_g$ (eV)", "small"), ("$a$ (\\AA)", "small"),
          ("$\\sigma$ (S/m)", "sci"), ("Yield (\\%)", "pct"), ("$\\Delta H$ (kJ/mol)", "signed"), ("$n$", "int"),
          ("$\\chi^2$", "small"), ("$R^2$", "score"))),
        ("Country", ("United States", "China", "Germany", "Japan", "India", "Brazil", "France", "Canada",
                     "Australia", "Mexico", "Nigeria", "Italy"),
         ("2019", "2020", "2021", "2022", "2023"),
         (("GDP (bn USD)", "int"), ("Growth (\\%)", "signed"), ("Population (M)", "size"), ("Inflation (\\%)", "small"),
          ("Unemployment (\\%)", "small"), ("Exports", "int"), ("Debt/GDP", "pct"))),
        ("Characteristic", ("Age, years", "Female, n (\\%)", "BMI, kg/m$^2$", "Smoker", "Diabetes", "Hypertension",
                            "Systolic BP", "HbA1c (\\%)", "LDL, mmol/L", "Follow-up, months"),
         ("Treatment", "Placebo", "Cohort A", "Cohort B"),
         (("Mean", "size"), ("SD", "small"), ("$n$", "int"), ("$p$-value", "pvalue"), ("OR", "small"),
          ("95\\% CI", "interval"))),
        ("Parameter", ("Learning rate", "Batch size", "Epochs", "Dropout", "Weight decay", "Hidden size", "Layers",
                       "Heads", "Warm-up steps", "Optimizer", "$\\beta_1$", "$\\beta_2$", "$\\epsilon$"),
         ("Small", "Base", "Large", "Stage 1", "Stage 2"),
         (("Value", "param"), ("Search range", "param_range"), ("Default", "param"))),
    ],
    "zh": [
        ("方法", ("基线模型", "本文方法", "支持向量机", "随机森林", "卷积神经网络", "循环神经网络", "注意力模型", "线性回归",
                "决策树", "朴素贝叶斯", "集成模型", "改进算法"),
         ("数据集一", "数据集二", "训练集", "测试集", "验证集"),
         (("准确率（\\%）", "pct"), ("召回率", "score"), ("精确率", "score"), ("F1 值", "score"), ("参数量（M）", "size"),
          ("推理时间（ms）", "size"), ("误差", "small"))),
        ("地区", ("北京", "上海", "广东", "江苏", "浙江", "四川", "湖北", "山东", "河南", "福建", "陕西", "重庆"),
         ("2020 年", "2021 年", "2022 年", "2023 年"),
         (("人口（万人）", "int"), ("生产总值（亿元）", "int"), ("增长率（\\%）", "signed"), ("人均收入（元）", "int"),
          ("城镇化率（\\%）", "pct"), ("占比", "pct"))),
        ("样品", ("样品 A", "样品 B", "样品 C", "对照组", "实验组", "一号样品", "二号样品", "标准样"),
         ("第一次测量", "第二次测量", "常温", "高温"),
         (("温度（$^\\circ$C）", "int"), ("压力（MPa）", "small"), ("密度（g/cm$^3$）", "small"), ("含量（\\%）", "pct"),
          ("浓度（mol/L）", "small"), ("电导率", "sci"))),
        ("指标", ("平均年龄", "男性比例", "体重指数", "收缩压", "舒张压", "血糖", "随访时间", "住院天数"),
         ("治疗组", "对照组", "全部患者"),
         (("均值", "size"), ("标准差", "small"), ("例数", "int"), ("$P$ 值", "pvalue"))),
        ("参数", ("学习率", "批大小", "训练轮数", "丢弃率", "权重衰减", "隐藏层维度", "网络层数", "优化器"),
         ("小模型", "基础模型", "大模型"),
         (("取值", "param"), ("搜索范围", "param_range"), ("默认值", "param"))),
    ],
}

MISSING = ("--", "-", "N/A", "---")
# How a hyper-parameter's values look, by its row label.
PARAM_KINDS = {"Learning rate": "rate", "Batch size": "pow2", "Epochs": "count", "Dropout": "frac",
               "Weight decay": "rate", "Hidden size": "pow2", "Layers": "count", "Heads": "pow2",
               "Warm-up steps": "steps", "Optimizer": "optimizer", "$\\beta_1$": "beta", "$\\beta_2$": "beta",
               "$\\epsilon$": "rate", "学习率": "rate", "批大小": "pow2", "训练轮数": "count", "丢弃率": "frac",
               "权重衰减": "rate", "隐藏层维度": "pow2", "网络层数": "count", "优化器": "optimizer"}
OPTIMIZERS = ("Adam", "AdamW", "SGD", "RMSprop", "Adagrad", "LAMB")

